"""Icon uploads: SVG (sanitised) or PNG, size-limited. Nothing executable reaches the plugin."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 (entities and DTDs are refused before parsing)

MAX_ICON_BYTES = 256 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video"}


class IconError(ValueError):
    pass


def clean_icon(name: str, data: bytes) -> tuple[str, bytes]:
    """(extension, bytes to store) for an uploaded icon, or IconError with the reason."""
    if len(data) > MAX_ICON_BYTES:
        raise IconError(f"icons are limited to {MAX_ICON_BYTES // 1024} KB")
    if data.startswith(PNG_SIGNATURE):
        return "png", data
    if name.lower().endswith(".svg") or data.lstrip().startswith((b"<svg", b"<?xml")):
        return "svg", sanitise_svg(data)
    raise IconError("upload an SVG or PNG file")


def sanitise_svg(data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise IconError("SVG files with a DOCTYPE or entities are refused")
    try:
        root = ET.fromstring(text)  # noqa: S314
    except ET.ParseError as exc:
        raise IconError(f"not a valid SVG: {exc}") from None
    if local(root.tag) != "svg":
        raise IconError("not an SVG: the root element must be <svg>")
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    strip(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def is_unsafe_attribute(name: str, value: str) -> bool:
    """Event handlers, links out of the file, and url() references that are not #local."""
    compact = value.replace(" ", "").lower()
    external_url = "url(" in compact and "url(#" not in compact
    return (
        name.startswith("on")
        or (name == "href" and not value.strip().startswith("#"))
        or (external_url)
    )


def strip(element) -> None:
    for child in list(element):
        if local(child.tag) in FORBIDDEN_TAGS:
            element.remove(child)
        else:
            strip(child)
    for attribute, value in list(element.attrib.items()):
        if is_unsafe_attribute(local(attribute).lower(), value):
            del element.attrib[attribute]
    if local(element.tag) == "style" and element.text and re.search(r"url\(|@import", element.text):
        element.text = ""
