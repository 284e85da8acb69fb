"""A digest of the whole core: its code, its code templates and any data it reads.

The same spec renders the same bytes only with the same core, so a build made by another core
must not be reused; every file counts (a changed template changes the output as much as a
changed module), except Python's bytecode caches.
"""

import hashlib
from pathlib import Path

CORE = Path(__file__).resolve().parent


def core_fingerprint(root: Path = CORE) -> str:
    """sha256 over the path and bytes of every file under ``root``, in path order."""
    digest = hashlib.sha256()
    for path in sorted(core_files(root)):
        data = path.read_bytes()
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


def core_files(root: Path) -> list[Path]:
    return [
        path
        for path in root.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.relative_to(root).parts
        and path.suffix != ".pyc"
    ]
