import base64
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designer.core.errors import PluginSourceError
from designer.core.icons import IconError, clean_icon
from designer.core.parse import parse_tree
from designer.core.pipeline import run_pipeline
from designer.core.render import render
from designer.core.validation import validate
from tests.core.factories import plugin_document

pytestmark = pytest.mark.django_db

SVG_OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:html="http://www.w3.org/1999/xhtml" viewBox="0 0 8 8">'
)
EVIL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'onload="alert(1)"><script>alert(2)</script><image xlink:href="https://evil.example/x.png"/>'
    b'<rect width="4" height="4" fill="url(https://evil.example/#x)" onclick="x()"/>'
    b'<use href="#local"/></svg>'
)
TINY_PNG_DATA = "iVBORw0KGgo="  # only the signature: inline rasters are checked by their prefix

# Each hostile fragment sits inside an otherwise harmless icon; none of the words after it may
# survive sanitising, in any case.
HOSTILE = {
    "upper-case script": ("<SCRIPT>alert(1)</SCRIPT>", ["alert"]),
    "mixed-case script": ("<ScRiPt>alert(1)</ScRiPt>", ["alert"]),
    "svg-namespace script": ("<script>alert(1)</script>", ["alert", "script"]),
    "animate href": (
        '<a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a>',
        ["javascript", "animate"],
    ),
    "animate xlink:href": (
        '<use href="#r"><animate attributeName="xlink:href" to="javascript:alert(1)"/></use>',
        ["javascript", "animate"],
    ),
    "set href": ('<set attributeName="href" to="javascript:alert(1)"/>', ["javascript", "set"]),
    "set onclick": ('<set attributeName="onclick" to="alert(1)"/>', ["alert", "onclick"]),
    "animate to an external fill": (
        '<rect><set attributeName="fill" to="url(http://evil.example/#p)"/></rect>',
        ["evil.example"],
    ),
    "xhtml img": ('<html:img src="http://evil.example/x.png"/>', ["evil.example", "img"]),
    "xhtml meta refresh": (
        '<html:meta http-equiv="refresh" content="0;url=http://evil.example/"/>',
        ["refresh", "evil.example", "meta"],
    ),
    "xhtml script": ("<html:script>alert(1)</html:script>", ["alert"]),
    "foreignObject": (
        "<foreignObject><html:iframe src='javascript:alert(1)'/></foreignObject>",
        ["foreignObject", "iframe", "javascript"],
    ),
    "event attributes": (
        '<rect onload="alert(1)" onmouseover="alert(2)" ONCLICK="alert(3)"/>',
        ["alert", "on"],
    ),
    "namespaced event attribute": (
        '<rect xmlns:e="urn:evil" e:onload="alert(1)"/>',
        ["alert", "urn:evil"],
    ),
    "style url": (
        '<rect style="fill: url(http://evil.example/#a); stroke: red"/>',
        ["evil.example"],
    ),
    "style escaped url": ('<rect style="fill: u\\72l(http://evil.example/)"/>', ["evil.example"]),
    "stylesheet import": (
        "<style>@import url(http://evil.example/x.css); rect {fill: red}</style>",
        ["evil.example", "@import"],
    ),
    "stylesheet hidden after a child": (
        "<style><g/>@import 'http://evil.example/x.css';</style>",
        ["evil.example"],
    ),
    "stylesheet comment split": (
        "<style>rect { fill: u/**/rl(http://evil.example/) }</style>",
        ["evil.example"],
    ),
    "use external": ('<use href="http://evil.example/sprite.svg#icon"/>', ["evil.example"]),
    "use xlink external": (
        '<use xlink:href="https://evil.example/sprite.svg#icon"/>',
        ["evil.example"],
    ),
    "image external": ('<image href="//evil.example/x.png"/>', ["evil.example"]),
    "image svg data": (
        '<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>',
        ["data:image/svg"],
    ),
    "image javascript": ('<image xlink:href="javascript:alert(1)"/>', ["javascript"]),
    "link": ('<a href="javascript:alert(1)"><rect/></a>', ["javascript"]),
    "xml:base": ('<g xml:base="http://evil.example/"><use href="#r"/></g>', ["evil.example"]),
    "filter feImage": ('<filter><feImage href="http://evil.example/"/></filter>', ["evil"]),
    "iframe embed object": (
        '<iframe src="http://evil.example/"/><embed src="x"/><object data="x"/>',
        ["evil.example", "embed", "object"],
    ),
    "handler element": ('<handler type="text/javascript">alert(1)</handler>', ["alert"]),
    "fill javascript": ('<rect fill="javascript:alert(1)"/>', ["javascript"]),
}


def hostile_svg(fragment: str) -> bytes:
    return f'{SVG_OPEN}<rect id="r" width="8" height="8"/>{fragment}</svg>'.encode()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_svg_keeps_only_its_harmless_part(case):
    fragment, forbidden = HOSTILE[case]
    _, clean = clean_icon("i.svg", hostile_svg(fragment))
    text = clean.decode().lower()
    for word in forbidden:
        assert word.lower() not in text.replace('id="r"', ""), (case, text)
    assert '<rect id="r" width="8" height="8" />' in clean.decode()


def test_an_svg_loses_scripts_handlers_and_external_references():
    _, clean = clean_icon("i.svg", EVIL_SVG)
    text = clean.decode()
    for bad in ["script", "onload", "onclick", "evil.example"]:
        assert bad not in text
    assert 'href="#local"' in text


def test_a_harmless_icon_keeps_its_drawing_gradients_styles_text_and_inline_raster():
    source = (
        f'{SVG_OPEN}<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/>'
        "</linearGradient></defs><style>rect { fill: url(#g) }</style>"
        '<rect width="8" height="8" style="fill: url(#g); opacity: 0.5" rx="1"/>'
        '<text x="1" y="6" font-size="4">A<tspan>b</tspan>c</text>'
        '<circle r="2"><animate attributeName="r" values="1;2;1" dur="1s"/></circle>'
        f'<image width="2" height="2" xlink:href="data:image/png;base64,{TINY_PNG_DATA}"/>'
        '<use xlink:href="#g"/></svg>'
    )
    _, clean = clean_icon("i.svg", source.encode())
    text = clean.decode()
    for kept in [
        'viewBox="0 0 8 8"',
        '<stop offset="0" stop-color="#fff" />',
        "rect { fill: url(#g) }",
        'style="fill: url(#g); opacity: 0.5"',
        "A<tspan>b</tspan>c</text>",
        '<animate attributeName="r" values="1;2;1" dur="1s" />',
        f'xlink:href="data:image/png;base64,{TINY_PNG_DATA}"',
        'xlink:href="#g"',
    ]:
        assert kept in text, kept


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>',
        b'<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg>&b;</svg>',
        b'<!DOCTYPE svg SYSTEM "http://evil.example/x.dtd"><svg/>',
        b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
    ],
)
def test_doctypes_and_entities_are_refused(data):
    with pytest.raises(IconError, match="DOCTYPE"):
        clean_icon("i.svg", data)


def test_a_stylesheet_processing_instruction_and_comments_are_dropped():
    data = (
        b'<?xml version="1.0"?><?xml-stylesheet href="http://evil.example/x.css"?>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><!-- <script>alert(1)</script> --><g/></svg>'
    )
    _, clean = clean_icon("i.svg", data)
    assert b"evil" not in clean and b"alert" not in clean and b"<?" not in clean


def test_an_svg_nested_too_deeply_is_refused():
    data = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 5000 + b"</g>" * 5000 + b"</svg>"
    with pytest.raises(IconError, match="nested"):
        clean_icon("i.svg", data)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html></html>", "root element must be <svg>"),
        (b'<svg xmlns="http://www.w3.org/1999/xhtml"/>', "root element must be <svg>"),
        (b"GIF89a", "SVG or PNG"),
        (b"<svg", "not a valid SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 300_000, "256 KB"),
    ],
)
def test_bad_icons_are_refused_with_a_reason(data, reason):
    with pytest.raises(IconError, match=reason):
        clean_icon("icon.svg" if data.startswith(b"<") else "i.bin", data)


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width=2, height=2, extra=b"", after=b"", pixels=None) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = pixels if pixels is not None else (b"\0" + b"\xff\0\0" * width) * height
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", zlib.compress(rows, 0))
        + chunk(b"IEND", b"")
        + after
    )


def test_a_png_is_rewritten_with_its_pixels_and_without_text_chunks():
    html = b"<html><script>alert(1)</script></html>"
    source = png(extra=chunk(b"tEXt", b"Comment\0" + html) + chunk(b"gAMA", b"\0\0\xb1\x8f"))
    assert html in source  # stored deflate keeps the HTML verbatim in the upload
    kind, clean = clean_icon("i.png", source)
    assert kind == "png" and b"script" not in clean and b"tEXt" not in clean
    assert b"gAMA" in clean
    assert clean_icon("again.png", clean) == ("png", clean)
    idat = clean.index(b"IDAT")
    (length,) = struct.unpack(">I", clean[idat - 4 : idat])
    assert zlib.decompress(clean[idat + 4 : idat + 4 + length]) == (b"\0" + b"\xff\0\0" * 2) * 2


def test_html_hidden_in_a_png_pixel_stream_does_not_survive():
    html = b"<html><script>alert(1)</script></html>"
    rows = (b"\0" + html[:24]) * 2  # width 8, RGB: 24 bytes a row
    kind, clean = clean_icon("i.png", png(width=8, pixels=rows))
    assert kind == "png" and b"<script" not in clean


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (png(after=b"<html><script>alert(1)</script></html>"), "data after its end"),
        (png()[:-12], "no end"),
        (png()[:-6], "cut short"),
        (png().replace(b"IEND\xae", b"IEND\xaf"), "IEND chunk is corrupt"),
        (png(pixels=b"\0" * 5), "does not match its size"),
        (png(width=5000), "4096 pixels"),
        (b"\x89PNG\r\n\x1a\n" + chunk(b"IEND", b""), "header chunk"),
    ],
)
def test_a_malformed_png_is_refused_with_a_reason(data, reason):
    with pytest.raises(IconError, match=reason):
        clean_icon("i.png", data)


def test_an_uploaded_icon_becomes_the_plugin_and_provider_icon(client, editor, project):
    client.force_login(editor)
    upload = SimpleUploadedFile("logo.svg", EVIL_SVG, content_type="image/svg+xml")
    client.post(reverse("projects:upload_icon", args=[project.pk]), {"icon": upload})
    project.refresh_from_db()
    stored = base64.b64decode(project.spec["files"]["_assets/icon.svg"]["base64"])
    assert b"script" not in stored
    assert project.spec["provider"]["icon_small"] == {"en_US": "icon.svg"}
    shown = client.get(reverse("projects:icon", args=[project.pk]))
    assert shown["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in shown["Content-Security-Policy"]


def test_a_png_with_html_after_its_end_is_refused_on_upload(client, editor, project):
    client.force_login(editor)
    upload = SimpleUploadedFile("logo.png", png(after=b"<html>x</html>"), "image/png")
    response = client.post(
        reverse("projects:upload_icon", args=[project.pk]), {"icon": upload}, follow=True
    )
    assert "data after its end" in response.content.decode()
    project.refresh_from_db()
    assert project.version == 1


def test_a_refused_upload_says_why_and_changes_nothing(client, editor, project):
    client.force_login(editor)
    upload = SimpleUploadedFile("x.gif", b"GIF89a....", content_type="image/gif")
    response = client.post(
        reverse("projects:upload_icon", args=[project.pk]), {"icon": upload}, follow=True
    )
    assert "Icon refused" in response.content.decode()
    project.refresh_from_db()
    assert project.version == 1


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_an_imported_plugin_s_hostile_icon_is_cleaned(case):
    fragment, forbidden = HOSTILE[case]
    files = render(validate(plugin_document()).spec)
    files["_assets/icon.svg"] = hostile_svg(fragment)
    carried = parse_tree(files).files["_assets/icon.svg"].data
    text = carried.decode().lower().replace('id="r"', "")
    for word in forbidden:
        assert word.lower() not in text, (case, text)


def test_an_imported_plugin_with_a_broken_png_icon_is_refused_with_its_name():
    files = render(validate(plugin_document()).spec)
    files["_assets/logo.png"] = png(after=b"<html><script>alert(1)</script></html>")
    with pytest.raises(PluginSourceError, match=r"_assets/logo.png: .*data after its end"):
        parse_tree(files)


def test_a_build_cleans_the_icons_a_spec_carries():
    # A spec sent whole (API, spec file) may carry an icon no upload form cleaned.
    document = plugin_document()
    document["files"]["_assets/icon.svg"] = {
        "text": hostile_svg(HOSTILE["xhtml script"][0]).decode()
    }
    result = run_pipeline(document, package=True)
    with zipfile.ZipFile(io.BytesIO(result.source_zip)) as archive:
        icon = archive.read("_assets/icon.svg").decode()
    assert "alert" not in icon and '<rect id="r"' in icon
