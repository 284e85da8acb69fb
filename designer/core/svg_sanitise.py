"""SVG icons rebuilt from an allowlist: only SVG-namespace drawing elements and plain attributes.

The icon ships inside the plugin and Dify serves it from its own origin, so anything that can run
script, navigate, load another resource or pull in a foreign namespace (XHTML, MathML) is dropped.
Names are compared exactly (XML is case-sensitive, so `<SCRIPT>` is simply not on the list), and a
new tree is built from what is allowed, so nothing unlisted can slip through by omission.
"""

import re
import xml.etree.ElementTree as ET  # noqa: S405 (only to build and serialise the clean tree)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as parse_untrusted

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 64


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ELEMENTS = words(
    "svg g defs symbol use title desc metadata switch path rect circle ellipse line polyline "
    "polygon text tspan textPath image style linearGradient radialGradient stop pattern clipPath "
    "mask marker filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix "
    "feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB "
    "feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight "
    "feSpecularLighting feSpotLight feTile feTurbulence animate animateTransform set"
)
ANIMATIONS = frozenset({"animate", "animateTransform", "set"})
TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath", "title", "desc"})

# Presentation attributes: what `style` may set too.
PRESENTATION = words(
    "alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation "
    "color-interpolation-filters color-rendering direction display dominant-baseline fill "
    "fill-opacity fill-rule filter flood-color flood-opacity font font-family font-size "
    "font-size-adjust font-stretch font-style font-variant font-weight image-rendering "
    "letter-spacing lighting-color marker marker-end marker-mid marker-start mask mask-type "
    "opacity overflow paint-order pointer-events shape-rendering stop-color stop-opacity stroke "
    "stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit "
    "stroke-opacity stroke-width text-anchor text-decoration text-rendering transform "
    "transform-origin unicode-bidi vector-effect visibility word-spacing writing-mode"
)
ATTRIBUTES = PRESENTATION | words(
    "id class style width height x y x1 x2 y1 y2 cx cy r rx ry fx fy fr d points pathLength "
    "viewBox preserveAspectRatio version baseProfile dx dy rotate lengthAdjust textLength "
    "startOffset method spacing side offset gradientUnits gradientTransform spreadMethod "
    "patternUnits patternContentUnits patternTransform clipPathUnits maskUnits "
    "maskContentUnits markerUnits markerWidth markerHeight refX refY orient filterUnits "
    "primitiveUnits in in2 result mode type values operator k1 k2 k3 k4 order kernelMatrix "
    "divisor bias targetX targetY edgeMode kernelUnitLength preserveAlpha surfaceScale "
    "diffuseConstant specularConstant specularExponent limitingConeAngle azimuth elevation z "
    "pointsAtX pointsAtY pointsAtZ scale xChannelSelector yChannelSelector stdDeviation radius "
    "baseFrequency numOctaves seed stitchTiles tableValues slope intercept amplitude exponent "
    "attributeName attributeType begin dur end min max restart repeatCount repeatDur fill "
    "calcMode keyTimes keySplines from to by additive accumulate "
    "requiredFeatures requiredExtensions systemLanguage"
)
# Attributes an animation may change: drawing only, never a link, a style or a handler.
ANIMATABLE = PRESENTATION | words(
    "x y x1 x2 y1 y2 cx cy r rx ry width height d points offset opacity"
)
OTHER_NAMESPACE_ATTRIBUTES = frozenset({f"{{{XLINK_NS}}}href", f"{{{XML_NS}}}space"})
HREF_NAMES = frozenset({"href", f"{{{XLINK_NS}}}href"})
INLINE_RASTER = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*", re.IGNORECASE)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
LOCAL_URL = re.compile(r"url\(\s*['\"]?#[\w.:-]*['\"]?\s*\)")
CSS_DANGER = re.compile(r"url\(|@import|expression|javascript|behavior|binding|\\|&|<", re.I)


class SvgError(ValueError):
    pass


def sanitise_svg(data: bytes) -> bytes:
    """The allowed part of an SVG document, serialised anew; SvgError if it is not an SVG."""
    root = parse(data)
    if tag_name(root.tag) != "svg":
        raise SvgError("not an SVG: the root element must be <svg>")
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    clean = clean_element(root, depth=0)
    return ET.tostring(clean, encoding="utf-8", xml_declaration=False) + b"\n"


def parse(data: bytes):
    try:
        return parse_untrusted(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise SvgError(
            "SVG files with a DOCTYPE, entities or external references are refused"
        ) from None
    except ParseError as exc:
        raise SvgError(f"not a valid SVG: {exc}") from None


INERT_ATTRIBUTE = re.compile(r"(data|aria)-[a-z0-9][a-z0-9_.-]*")


def tag_name(tag) -> str | None:
    """The local name of an SVG-namespace (or un-namespaced) element; None for anything else."""
    if not isinstance(tag, str):  # comments and processing instructions
        return None
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return name if namespace == SVG_NS else None
    return tag


def clean_element(source, depth: int):
    if depth > MAX_DEPTH:
        raise SvgError(f"SVG nested more than {MAX_DEPTH} levels deep is refused")
    name = tag_name(source.tag)
    element = ET.Element(f"{{{SVG_NS}}}{name}")
    for attribute, value in source.attrib.items():
        if is_allowed_attribute(name, attribute, value):
            element.set(attribute, clean_style(value) if attribute == "style" else value)
    if name == "style":  # its own text only: children and their tails are dropped unread
        element.text = clean_stylesheet(source.text or "")
        return element
    element.text = source.text if name in TEXT_ELEMENTS else None
    for child in source:
        if is_allowed_element(child):
            kept = clean_element(child, depth + 1)
            kept.tail = child.tail if name in TEXT_ELEMENTS else None
            element.append(kept)
    return element


def is_allowed_element(element) -> bool:
    name = tag_name(element.tag)
    if name not in ELEMENTS:
        return False
    if name in ANIMATIONS:
        return element.get("attributeName", "") in ANIMATABLE and not any(
            has_unsafe_url(element.get(key, "")) for key in ("values", "from", "to", "by")
        )
    return True


def is_allowed_attribute(element: str, attribute: str, value: str) -> bool:
    if attribute in HREF_NAMES:
        return is_allowed_href(element, value)
    if attribute.startswith("{"):
        return attribute in OTHER_NAMESPACE_ATTRIBUTES
    known = attribute in ATTRIBUTES or is_inert_attribute(attribute)
    return known and not has_unsafe_url(value)


def is_inert_attribute(attribute: str) -> bool:
    """Data and ARIA attributes (and role) mean nothing to an image, but icons exported from
    web pages carry them: keeping them keeps a safe icon as written."""
    return attribute == "role" or INERT_ATTRIBUTE.fullmatch(attribute) is not None


def is_allowed_href(element: str, value: str) -> bool:
    """A reference inside this file, or for <image> an inline raster picture; nothing else."""
    value = value.strip()
    if value.startswith("#"):
        return element in {"use", "textPath", "linearGradient", "radialGradient", "pattern"}
    return element == "image" and INLINE_RASTER.fullmatch(value) is not None


def has_unsafe_url(value: str) -> bool:
    """A url() that points outside this file, or any script or data URL."""
    lowered = CSS_COMMENT.sub("", value).lower()
    without_local = LOCAL_URL.sub("", lowered)
    return any(word in without_local for word in ("url(", "javascript:", "data:", "\\"))


def clean_style(style: str) -> str:
    """Keep `property: value` pairs that are presentation attributes with safe values."""
    kept, dropped = [], False
    for declaration in CSS_COMMENT.sub("", style).split(";"):
        prop, _, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip()
        if prop in PRESENTATION and value and not is_dangerous_css(value):
            kept.append(f"{prop}: {value}")
        elif declaration.strip():
            dropped = True
    # A style that loses nothing stays as written, so a safe icon comes back byte for byte.
    return "; ".join(kept) if dropped or CSS_COMMENT.search(style) else style


def clean_stylesheet(css: str) -> str:
    """A stylesheet is kept whole only when it cannot load, import or run anything."""
    return "" if is_dangerous_css(CSS_COMMENT.sub("", css)) else css


def is_dangerous_css(css: str) -> bool:
    return CSS_DANGER.search(LOCAL_URL.sub("", css)) is not None
