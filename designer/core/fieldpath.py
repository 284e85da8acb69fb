"""Field paths: the one grammar that names a value in a design spec.

Findings carry these paths and the editor's inputs are named by them, so an error lands beside
the input that caused it. ``("models", 3, "label", "en_US")`` is ``models[3].label.en_US``:

    path  = [ first ] { "." identifier | "[" index "]" | "[" string "]" }
    first = identifier | "[" index "]" | "[" string "]"

An identifier is ``[A-Za-z_][A-Za-z0-9_]*``; an index is ``0`` or digits without a leading
zero; any other key (``a.b``, ``3``, ``""``, ``中文``) is a JSON string in brackets:
``positions["a.b"]``. ``static/js/designer.js`` follows the same grammar (tested together).

Paths arrive from the outside as form field names, so parsing is bounded: a path is at most
``MAX_LENGTH`` characters, ``MAX_DEPTH`` parts and list indices at most ``MAX_INDEX``.
"""

import json
import re
from json.decoder import scanstring

MAX_LENGTH = 1000
MAX_DEPTH = 32  # the spec's deepest field is 8 parts
MAX_INDEX = 9999  # the largest real plugins have about 250 models
MAX_FIELDS = 5000  # fields in one form post (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS too)

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INDEX = re.compile(r"0|[1-9][0-9]*")
_KIND = re.compile(r":([a-z]+)")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

Part = str | int


class PathError(ValueError):
    """A text that is not a field path, or one over the bounds; the message says why."""


def format_path(*parts: Part) -> str:
    """``("models", 3, "a.b")`` -> ``models[3]["a.b"]``."""
    return append_path("", *parts)


def append_path(base: str, *parts: Part) -> str:
    """``base`` (a path text, maybe empty) followed by more parts."""
    out = base
    for part in parts:
        if isinstance(part, bool) or not isinstance(part, int | str):
            raise TypeError(f"a path part is a str or an int, not {part!r}")
        if isinstance(part, int):
            if part < 0:
                raise PathError(f"a list index cannot be negative ({part})")
            out += f"[{part}]"
        elif IDENTIFIER.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{quote(part)}]"
    return out


def join_path(base: str, tail: str) -> str:
    """Two path texts as one: ``models[0]`` and ``label.en_US`` or ``[2].max``."""
    if not base or not tail:
        return base or tail
    return base + tail if tail.startswith("[") else f"{base}.{tail}"


def quote(key: str) -> str:
    """The key as a JSON string, as JavaScript's JSON.stringify writes it (lone surrogates
    escaped, everything else printable kept as is)."""
    text = json.dumps(key, ensure_ascii=False)
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def parse_path(text: str) -> list[Part]:
    """``models[3]["a.b"].max`` -> ``["models", 3, "a.b", "max"]``; raises PathError."""
    if len(text) > MAX_LENGTH:
        raise PathError(f"longer than {MAX_LENGTH} characters")
    parts: list[Part] = []
    at = 0
    while at < len(text):
        if len(parts) >= MAX_DEPTH:
            raise PathError(f"nests deeper than {MAX_DEPTH} levels")
        if text[at] == "[":
            part, at = _bracket(text, at + 1)
        else:
            if parts:
                if text[at] != ".":
                    raise _unexpected(text, at)
                at += 1
            match = IDENTIFIER.match(text, at)
            if not match:
                raise _unexpected(text, at)
            part, at = match.group(), match.end()
        parts.append(part)
    return parts


def _bracket(text: str, at: int) -> tuple[Part, int]:
    """The key or index after a ``[`` at ``at``, and where the text goes on after ``]``."""
    if text.startswith('"', at):
        try:
            part, at = scanstring(text, at + 1)
        except ValueError:
            message = f"a quoted key that is not a JSON string, at character {at + 1}"
            raise PathError(message) from None
    else:
        match = _INDEX.match(text, at)
        if not match:
            raise _unexpected(text, at)
        digits, at = match.group(), match.end()
        if len(digits) > len(str(MAX_INDEX)) or int(digits) > MAX_INDEX:
            raise PathError(f"list index {digits[:12]} is over {MAX_INDEX}")
        part = int(digits)
    if not text.startswith("]", at):
        raise _unexpected(text, at)
    return part, at + 1


def _unexpected(text: str, at: int) -> PathError:
    found = repr(text[at]) if at < len(text) else "the end"
    return PathError(f"unexpected {found} at character {at + 1}")


def nesting_depth(value: object) -> int:
    """The number of parts of the longest path into ``value`` (0 for a plain value)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return deepest


def split_name(name: str) -> tuple[str, str]:
    """An input name is a path with an optional type suffix: ``x.max:number`` -> ``("x.max",
    "number")``; no suffix is ``str``. A ``:`` inside a quoted key is part of the key."""
    path, colon, kind = name.rpartition(":")
    if colon and _KIND.fullmatch(colon + kind):
        return path, kind
    return name, "str"
