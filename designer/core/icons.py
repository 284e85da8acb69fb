"""Icons: SVG (rebuilt from an allowlist) or PNG (rewritten chunk by chunk), whether uploaded
(size-limited), imported in a plugin or carried into a build.

Nothing executable reaches the plugin: the icon ships inside it and Dify serves it from its own
origin, so a file that is also HTML or script would be stored XSS in every Dify that installs it.
"""

import struct
import xml.etree.ElementTree as ET  # noqa: S405 (trees defusedxml parsed first)
import zlib
from collections.abc import Mapping

from .svg_sanitise import SvgError, sanitise_svg

MAX_ICON_BYTES = 256 * 1024
MAX_ICON_SIDE = 4096
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that only describe pixels; text, time, private and unknown chunks are dropped.
KEPT_CHUNKS = {b"PLTE", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"pHYs"}
# What would let a browser take the bytes for a page or a script (compressed pixels hold these
# by chance about once in 2**56 bytes).
MARKUP_MARKERS = (b"<html", b"<script", b"<svg", b"<body", b"<head", b"<iframe", b"<meta")
MARKUP_MARKERS += (b"<!doctype", b"<?xml", b"<img", b"<a ", b"javascript:")
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples per pixel
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2)]
ADAM7 += [(0, 1, 1, 2)]  # (x start, y start, x step, y step) of each interlace pass


class IconError(ValueError):
    pass


def clean_icon(name: str, data: bytes) -> tuple[str, bytes]:
    """(extension, bytes to store) for an uploaded icon, or IconError with the reason."""
    if len(data) > MAX_ICON_BYTES:
        raise IconError(f"icons are limited to {MAX_ICON_BYTES // 1024} KB")
    return clean_icon_data(name, data)


def is_icon_path(path: str) -> bool:
    return path.startswith("_assets/") and path.lower().endswith((".svg", ".png"))


def clean_icon_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """``files`` with every icon under ``_assets/`` cleaned as an upload is: a plugin imported
    or built carries no script in its icons either. IconError names the file it refuses."""
    cleaned = dict(files)
    for path, data in files.items():
        if is_icon_path(path):
            try:
                clean = clean_icon_data(path, data)[1]
            except IconError as exc:
                raise IconError(f"{path}: {exc}") from None
            # An icon that had nothing to remove stays byte for byte as its author wrote it.
            cleaned[path] = data if nothing_removed(data, clean) else clean
    return cleaned


def nothing_removed(original: bytes, clean: bytes) -> bool:
    """Whether the icon as written is as safe as its cleaned copy, so it may stay byte for byte.

    A PNG qualifies when it is whole (nothing after its end: cleaning checked that) and its raw
    bytes hold no markup a browser could sniff as HTML; an SVG when cleaning removed nothing.
    """
    if original.startswith(PNG_SIGNATURE):
        lowered = original.lower()
        return not any(marker in lowered for marker in MARKUP_MARKERS)
    # Both parsed safely already (no DTD, no entities): canonical forms compare the trees.
    return canonical_xml(original) == canonical_xml(clean)


def canonical_xml(data: bytes) -> str:
    return ET.canonicalize(data.decode("utf-8-sig"), strip_text=True)


def clean_icon_data(name: str, data: bytes) -> tuple[str, bytes]:
    """:func:`clean_icon` without the upload's size limit."""
    if data.startswith(PNG_SIGNATURE):
        return "png", clean_png(data)
    if name.lower().endswith(".svg") or data.lstrip().startswith((b"<svg", b"<?xml")):
        try:
            return "svg", sanitise_svg(data)
        except SvgError as exc:
            raise IconError(str(exc)) from None
    raise IconError("upload an SVG or PNG file")


def png_chunks(data: bytes):
    """(type, data) of each chunk, checked: lengths, CRCs, IHDR first, IEND last and final."""
    position, chunks = len(PNG_SIGNATURE), []
    while position < len(data):
        if position + 12 > len(data):
            raise IconError("not a valid PNG: a chunk is cut short")
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        end = position + 12 + length
        if not kind.isalpha() or end > len(data):
            raise IconError("not a valid PNG: a chunk is cut short or malformed")
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise IconError(f"not a valid PNG: the {kind.decode()} chunk is corrupt")
        chunks.append((kind, body))
        position = end
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or len(chunks[0][1]) != 13:
        raise IconError("not a valid PNG: it does not start with a header chunk")
    if chunks[-1][0] != b"IEND" or position != len(data):
        raise IconError("not a valid PNG: there is data after its end (or no end)")
    return chunks


def expected_pixel_bytes(header: bytes) -> int:
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if colour not in CHANNELS or not 0 < width <= MAX_ICON_SIDE or not 0 < height <= MAX_ICON_SIDE:
        raise IconError(f"PNG icons are limited to {MAX_ICON_SIDE} pixels a side")
    bits = depth * CHANNELS[colour]
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    total = 0
    for x0, y0, dx, dy in passes:
        columns, rows = -(-(width - x0) // dx), -(-(height - y0) // dy)
        if columns > 0 and rows > 0:
            total += rows * (1 + -(-(columns * bits) // 8))
    return total


def clean_png(data: bytes) -> bytes:
    """The PNG rewritten: its header, palette and colour chunks, and its pixels deflated anew.

    Recompressing the pixels leaves no stored block in which HTML could sit verbatim, and the
    decompression is bounded by what the header says the image holds.
    """
    chunks = png_chunks(data)
    header = chunks[0][1]
    expected = expected_pixel_bytes(header)
    decompressor = zlib.decompressobj()
    try:
        pixels = decompressor.decompress(b"".join(b for k, b in chunks if k == b"IDAT"), expected)
    except zlib.error:
        raise IconError("not a valid PNG: its pixel data is corrupt") from None
    if len(pixels) != expected or not decompressor.eof:
        raise IconError("not a valid PNG: its pixel data does not match its size")
    kept = [(b"IHDR", header)] + [(k, b) for k, b in chunks if k in KEPT_CHUNKS]
    kept += [(b"IDAT", zlib.compress(pixels, 9)), (b"IEND", b"")]
    return PNG_SIGNATURE + b"".join(chunk_bytes(kind, body) for kind, body in kept)


def chunk_bytes(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
