"""Plugin file trees: reading folders, ``.zip`` and ``.difypkg`` files, writing folders and zips.

A file tree is ``dict[str, bytes]``: POSIX relative paths (no ``./``, no folder entries) ->
contents. Sources may be hostile: every path is checked, symlinks and special files are refused,
and sizes are counted while reading, never taken from headers.
"""

import io
import lzma
import os
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import PluginSourceError
from .limits import MAX_ENTRIES, MAX_PACKAGE_BYTES
from .safepath import DOT_SEGMENT, EMPTY_SEGMENT, check_safe_path, path_problem

MAX_TOTAL_BYTES = MAX_PACKAGE_BYTES
MANIFEST = "manifest.yaml"
JUNK_NAMES = frozenset(
    {
        ".git",
        "__pycache__",
        ".venv",
        "venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "__MACOSX",
        ".DS_Store",
    }
)
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_COMPRESS_LEVEL = 6
FILE_MODE = 0o644

_CHUNK = 64 * 1024
_CENTRAL_RECORD = b"PK\x01\x02"
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
    struct.error,
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def check_relative_path(path: str) -> str:
    """A path as read from a folder or archive entry, in its one safe spelling, or refused.

    Zip tools write ``./`` prefixes and doubled slashes, so reading drops ``.`` and empty
    segments first; everything else must pass the one safe-path rule (``safepath``).
    """
    segments = [part for part in path.split("/") if part not in ("", ".")]
    problem = path_problem(path)
    if problem in (DOT_SEGMENT, EMPTY_SEGMENT):
        problem = None if segments else "it names no file"
    if problem:
        raise PluginSourceError(f"unsafe path {path!r}: {problem}")
    return "/".join(segments)


def _is_junk(path: str) -> bool:
    return any(part in JUNK_NAMES or part.endswith(".pyc") for part in path.split("/"))


class _Budget:
    """Counts entries and inflated bytes as they are read; refuses as soon as a limit is passed."""

    def __init__(self, name: str, max_total_bytes: int, max_entries: int):
        self.name = name
        self.max_total_bytes = max_total_bytes
        self.max_entries = max_entries
        self.total_bytes = 0
        self.entries = 0

    @property
    def bytes_left(self) -> int:
        return self.max_total_bytes - self.total_bytes

    def too_many_entries(self) -> PluginSourceError:
        return PluginSourceError(f"{self.name}: more than {self.max_entries} entries")

    def take_entries(self, count: int) -> None:
        self.entries += count
        if self.entries > self.max_entries:
            raise self.too_many_entries()

    def take_bytes(self, count: int) -> None:
        self.total_bytes += count
        if self.total_bytes > self.max_total_bytes:
            limit = _size_text(self.max_total_bytes)
            raise PluginSourceError(f"{self.name}: larger than {limit} uncompressed")


def _size_text(size: int) -> str:
    return f"{size / 2**20:g} MB" if size % 2**20 == 0 else f"{size} bytes"


def read_plugin_source(
    source: str | os.PathLike,
    *,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_entries: int = MAX_ENTRIES,
) -> dict[str, bytes]:
    """Read a plugin folder, ``.zip`` or ``.difypkg`` into a file tree rooted at manifest.yaml."""
    path = Path(source)
    name = _display_name(path)
    budget = _Budget(name, max_total_bytes, max_entries)
    try:
        if not path.exists():
            raise PluginSourceError(f"no such file or folder: {name}")
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            files = _read_folder(path, budget)
        elif stat.S_ISREG(mode) and zipfile.is_zipfile(path):
            files = _read_zip(path, budget)
        else:
            raise PluginSourceError(f"not a plugin folder, .zip or .difypkg: {name}")
    except OSError as exc:
        raise PluginSourceError(f"cannot read {name}: {exc.strerror or exc}") from None
    return _strip_top_folder(files, name)


def read_plugin_archive(
    data: bytes,
    name: str,
    *,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_entries: int = MAX_ENTRIES,
) -> dict[str, bytes]:
    """Read an uploaded ``.zip`` or ``.difypkg`` held in memory, with the same refusals."""
    name = name if name.isprintable() else repr(name)
    budget = _Budget(name, max_total_bytes, max_entries)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PluginSourceError(f"not a .zip or .difypkg file: {name}")
    if data.count(_CENTRAL_RECORD) > budget.max_entries:
        raise budget.too_many_entries()
    return _strip_top_folder(_read_zip_file(io.BytesIO(data), budget), name)


def _display_name(path: Path) -> str:
    name = path.name or str(path)
    return name if name.isprintable() else repr(name)


def _read_folder(root: Path, budget: _Budget) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(root / folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
        for entry in entries:
            path = f"{folder}/{entry.name}" if folder else entry.name
            if _is_junk(entry.name):
                continue
            check_relative_path(path)
            budget.take_entries(1)
            if entry.is_symlink():
                raise PluginSourceError(f"symlinks are not allowed: {path}")
            if entry.is_dir(follow_symlinks=False):
                pending.append(path)
            elif entry.is_file(follow_symlinks=False):
                files[path] = _read_regular_file(entry.path, path, budget)
            else:
                raise PluginSourceError(f"special files are not allowed: {path}")
    return dict(sorted(files.items()))


def _read_regular_file(os_path: str, path: str, budget: _Budget) -> bytes:
    # O_NOFOLLOW and the fstat close the gap between the scan and the open (a swapped-in symlink
    # or FIFO); O_NONBLOCK keeps a FIFO from hanging the open.
    fd = os.open(os_path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PluginSourceError(f"special files are not allowed: {path}")
        data = file.read(budget.bytes_left + 1)
    budget.take_bytes(len(data))
    return data


def _read_zip(path: Path, budget: _Budget) -> dict[str, bytes]:
    # zipfile parses the whole central directory before anyone can count its entries, so bound
    # that work first: each record it parses starts with this signature.
    if _count_signatures(path, _CENTRAL_RECORD) > budget.max_entries:
        raise budget.too_many_entries()
    return _read_zip_file(path, budget)


def _read_zip_file(source: Path | io.BytesIO, budget: _Budget) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
            budget.take_entries(len(infos))
            return _read_members(archive, infos, budget)
    except PluginSourceError:
        raise
    except _ZIP_ERRORS as exc:
        reason = " ".join(str(exc).splitlines()) or type(exc).__name__
        raise PluginSourceError(f"corrupt archive {budget.name}: {reason}") from None


def _count_signatures(path: Path, signature: bytes) -> int:
    count, tail = 0, b""
    with path.open("rb") as file:
        while chunk := file.read(1024 * 1024):
            block = tail + chunk
            count += block.count(signature)
            tail = block[-(len(signature) - 1) :]
    return count


def _read_members(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], budget: _Budget
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    seen: set[str] = set()
    for info in infos:
        if info.filename == "./":  # the root folder itself, as some zip tools write it
            continue
        is_folder = info.filename.endswith("/")
        path = check_relative_path(info.filename[:-1] if is_folder else info.filename)
        if path in seen:
            raise PluginSourceError(f"duplicate entry in archive: {path}")
        seen.add(path)
        if is_folder or _is_junk(path):
            continue
        if (info.external_attr >> 16) & 0o170000 == stat.S_IFLNK:
            raise PluginSourceError(f"symlinks are not allowed: {path}")
        if info.flag_bits & 0x1:
            raise PluginSourceError(f"encrypted entries are not allowed: {path}")
        files[path] = _read_member(archive, info, budget)
    _check_no_file_is_a_folder(files)
    return dict(sorted(files.items()))


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    chunks = []
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            budget.take_bytes(len(chunk))
            chunks.append(chunk)
    return b"".join(chunks)


def _check_no_file_is_a_folder(files: Mapping[str, bytes]) -> None:
    folders = set()
    for path in files:
        parts = path.split("/")
        folders.update("/".join(parts[:end]) for end in range(1, len(parts)))
    clashes = sorted(folders.intersection(files))
    if clashes:
        raise PluginSourceError(f"both a file and a folder in archive: {clashes[0]}")


def _strip_top_folder(files: dict[str, bytes], name: str) -> dict[str, bytes]:
    """Accept a plugin nested in one top folder (a GitHub download) by dropping that folder."""
    if MANIFEST in files:
        return files
    prefix = next(iter(files), "").split("/")[0] + "/"
    if f"{prefix}{MANIFEST}" in files and all(path.startswith(prefix) for path in files):
        return {path.removeprefix(prefix): data for path, data in files.items()}
    raise PluginSourceError(f"no manifest.yaml found in {name}")


def write_tree(files: Mapping[str, bytes], dest: Path) -> None:
    """Write a file tree under ``dest`` (created if needed), never outside it or through a link."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    for path, data in files.items():
        _write_file(root, check_safe_path(path), data)


def _write_file(root: Path, path: str, data: bytes) -> None:
    *folders, filename = path.split("/")
    target = root
    for folder in folders:
        target = target / folder
        if target.is_symlink():
            raise PluginSourceError(f"refusing to write through a symlink: {path}")
        target.mkdir(exist_ok=True)
    target = target / filename
    if target.is_symlink():
        raise PluginSourceError(f"refusing to write through a symlink: {path}")
    if not target.resolve().is_relative_to(root):
        raise PluginSourceError(f"refusing to write outside the destination: {path}")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, FILE_MODE)
    with open(fd, "wb") as file:
        os.chmod(fd, FILE_MODE)
        file.write(data)


def zip_tree(files: Mapping[str, bytes]) -> bytes:
    """A deterministic zip of a file tree: sorted, no folder entries, fixed times and modes.

    Every path must be safe as it is (one spelling per file), as validation demands."""
    for path in files:
        check_safe_path(path)
    return zip_entries([(path, files[path]) for path in sorted(files)])


def zip_entries(entries: Sequence[tuple[str, bytes]], comment: bytes = b"") -> bytes:
    """A deterministic zip of `entries` in the order given (a signature covers that order)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in entries:
            archive.writestr(
                _zip_info(check_safe_path(path)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
                compresslevel=ZIP_COMPRESS_LEVEL,
            )
        archive.comment = comment
    return buffer.getvalue()


def read_zip_entries(
    data: bytes,
    name: str,
    *,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_entries: int = MAX_ENTRIES,
) -> tuple[list[tuple[str, bytes]], bytes]:
    """Every entry of a zip held in memory, in archive order and untouched (folder entries and
    junk included, as a signature counts them), and the zip's comment."""
    budget = _Budget(name, max_total_bytes, max_entries)
    if data.count(_CENTRAL_RECORD) > max_entries:
        raise budget.too_many_entries()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            budget.take_entries(len(infos))
            entries = [(info.filename, _read_member(archive, info, budget)) for info in infos]
            return entries, archive.comment
    except PluginSourceError:
        raise
    except _ZIP_ERRORS as exc:
        reason = " ".join(str(exc).splitlines()) or type(exc).__name__
        raise PluginSourceError(f"corrupt archive {name}: {reason}") from None


def _zip_info(path: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=ZIP_DATE_TIME)
    info.create_system = 3  # Unix, so external_attr carries the file mode on every platform
    info.external_attr = (stat.S_IFREG | FILE_MODE) << 16
    return info


def write_zip_atomic(files: Mapping[str, bytes], out_path: Path) -> None:
    """Write ``zip_tree(files)`` to ``out_path`` so that readers see the old file or the new one."""
    write_bytes_atomic(zip_tree(files), out_path)


def write_bytes_atomic(data: bytes, out_path: Path) -> None:
    """Write to a temporary file beside ``out_path``, then rename it into place."""
    out_path = Path(out_path)
    fd, temp = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp")
    try:
        with open(fd, "wb") as file:
            os.chmod(fd, FILE_MODE)
            file.write(data)
            file.flush()
            os.fsync(fd)
        os.replace(temp, out_path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
