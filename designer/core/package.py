"""The installable package: a `.difypkg`, made as `dify plugin package` makes it.

The plugin root is the zip root, paths sorted with forward slashes, no directory entries,
`.difyignore` (else `.gitignore`) applied, and nothing above Dify's 50 MB limit.
"""

import fnmatch
from collections.abc import Mapping

from .archive import zip_tree
from .errors import PluginSourceError
from .limits import MAX_PACKAGE_BYTES

IGNORE_FILES = (".difyignore", ".gitignore")


def ignore_patterns(files: Mapping[str, bytes]) -> list[str]:
    """The patterns of the first ignore file present (comments, blanks and `!` lines dropped:
    the packager gives negation no effect)."""
    for name in IGNORE_FILES:
        if name in files:
            lines = files[name].decode("utf-8", "replace").splitlines()
            return [line.strip() for line in lines if _is_pattern(line.strip())]
    return []


def _is_pattern(line: str) -> bool:
    return bool(line) and not line.startswith(("#", "!"))


def is_ignored(path: str, patterns: list[str]) -> bool:
    return any(_matches(path, pattern) for pattern in patterns)


def _matches(path: str, pattern: str) -> bool:
    """gitignore matching: a pattern without an inner slash matches any name at any depth; one
    with a slash is anchored at the root; a trailing slash matches folders only."""
    folder_only = pattern.endswith("/")
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.strip("/")
    segments = path.split("/")
    candidates = segments[:-1] if folder_only else segments
    if not anchored:
        return any(fnmatch.fnmatchcase(name, pattern) for name in candidates)
    prefixes = ["/".join(segments[: i + 1]) for i in range(len(segments))]
    if folder_only:
        prefixes = prefixes[:-1]
    return any(_glob(prefix, pattern) for prefix in prefixes)


def _glob(path: str, pattern: str) -> bool:
    if "**" in pattern:
        return fnmatch.fnmatchcase(path, pattern.replace("**/", "*").replace("/**", "/*"))
    return path.count("/") == pattern.count("/") and fnmatch.fnmatchcase(path, pattern)


def packaged_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The files that go into the package, sorted by path."""
    patterns = ignore_patterns(files)
    kept = {path: data for path, data in files.items() if not is_ignored(path, patterns)}
    return dict(sorted(kept.items()))


def difypkg_bytes(files: Mapping[str, bytes], max_bytes: int = MAX_PACKAGE_BYTES) -> bytes:
    """The `.difypkg` of a rendered plugin; refused above `max_bytes` uncompressed (Dify's
    default limit unless its setting was raised)."""
    kept = packaged_files(files)
    size = sum(len(data) for data in kept.values())
    if size > max_bytes:
        raise PluginSourceError(
            f"the plugin is {size / 1024 / 1024:.1f} MB uncompressed; Dify refuses packages "
            f"above {size_limit_text(max_bytes)}"
        )
    return zip_tree(kept)


def size_limit_text(max_bytes: int) -> str:
    return f"{max_bytes / 2**20:g} MB"


def package_file_name(name: str, version: str) -> str:
    """What a built package is called when downloaded (and what the README tells people)."""
    return f"{name}-{version}.difypkg"
