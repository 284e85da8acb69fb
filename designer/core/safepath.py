"""The one rule for a path inside a plugin, shared by validation, zipping and writing folders.

A safe path is relative, uses forward slashes, names a file (no trailing slash), and has no
empty, ``.`` or ``..`` segment and no control character: exactly one spelling per file, so what
validates also zips, and two different paths never name one file.
"""

import re

from .errors import PluginSourceError
from .limits import MAX_FILE_NAME_BYTES

_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_DRIVE = re.compile(r"[A-Za-z]:")
# The two problems of a path that only spells a safe one badly (``a/./b``, ``a//b``).
DOT_SEGMENT = "it has a '.' segment"
EMPTY_SEGMENT = "it has an empty segment ('//')"


def path_problem(path: str) -> str | None:
    """Why ``path`` is not a safe path inside a plugin, or None when it is."""
    if not path:
        return "it is empty"
    if _BAD_CHARS.search(path):
        return "it contains a control character"
    if path.startswith("/") or _DRIVE.match(path):
        return "it is absolute"
    if "\\" in path:
        return "it contains a backslash"
    if path.endswith("/"):
        return "it ends with a slash"
    segments = path.split("/")
    if ".." in segments:
        return "it climbs out with '..'"
    if "." in segments:
        return DOT_SEGMENT
    if "" in segments:
        return EMPTY_SEGMENT
    if any(len(segment.encode()) > MAX_FILE_NAME_BYTES for segment in segments):
        return f"a name in it is longer than {MAX_FILE_NAME_BYTES} bytes"
    return None


def check_safe_path(path: str) -> str:
    """``path`` when it is safe, else a PluginSourceError naming it and why."""
    problem = path_problem(path)
    if problem:
        raise PluginSourceError(f"unsafe path {path!r}: {problem}")
    return path
