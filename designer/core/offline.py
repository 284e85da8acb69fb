"""Offline packages: the plugin's dependencies inside its `.difypkg`, for a Dify that cannot
reach an index when it installs the plugin.

Wheels for CPython 3.12 on manylinux, one set per architecture in the manifest, go under
`wheels/`; `requirements.txt` then installs from them with no index. `pyproject.toml` and
`uv.lock` are left out: the daemon prefers them to requirements.txt and would go online.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import PluginSourceError
from .package import MAX_PACKAGE_BYTES, difypkg_bytes, packaged_files, size_limit_text

WHEELS_DIR = "wheels"
MACHINES = {"amd64": "x86_64", "arm64": "aarch64"}
# pip matches --platform tags exactly (no implied older glibc), so name every manylinux level a
# glibc 2.28 system (the oldest Dify's images run on) can load.
GLIBC_MINORS = (28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 12, 5)
LEGACY_ALIASES = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
DEPENDENCY_FILES_LEFT_OUT = ("pyproject.toml", "uv.lock")
PIP_TIMEOUT = 600
ERROR_TAIL = 600
COMPLETE_MARKER = "complete.txt"
OFFLINE_REQUIREMENTS_HEADER = (
    "# An offline package: install from the wheels inside it, never from an index.\n"
    f"--no-index\n--find-links ./{WHEELS_DIR}\n"
)


def platform_tags(machine: str) -> list[str]:
    tags = [f"manylinux_2_{minor}_{machine}" for minor in GLIBC_MINORS]
    tags += [f"{alias}_{machine}" for alias in LEGACY_ALIASES.values()]
    return tags


def requirement_lines(files: Mapping[str, bytes]) -> list[str]:
    """The requirements of requirements.txt, without comments, blanks and options."""
    text = files.get("requirements.txt", b"").decode("utf-8", "replace")
    lines = [line.split(" #")[0].strip() for line in text.splitlines()]
    return [line for line in lines if line and not line.startswith(("#", "-"))]


def download_wheels(
    requirements: Sequence[str],
    machine: str,
    dest: Path,
    *,
    cache_dir: Path | None = None,
    timeout: float = PIP_TIMEOUT,
) -> None:
    """pip download the requirements' wheels (and their dependencies') for one machine."""
    command = [sys.executable, "-m", "pip", "download", "--only-binary=:all:", "--dest", str(dest)]
    command += ["--python-version", "3.12", "--implementation", "cp", "--no-input"]
    for tag in platform_tags(machine):
        command += ["--platform", tag]
    if cache_dir is not None:
        command += ["--cache-dir", str(cache_dir)]
    command += ["--", *requirements]
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise PluginSourceError(f"downloading the wheels took over {timeout:g}s") from None
    if completed.returncode != 0:
        tail = " ".join(completed.stderr.split())[-ERROR_TAIL:]
        raise PluginSourceError(f"cannot download the wheels for {machine}: {tail}")


def offline_files(
    files: Mapping[str, bytes],
    arches: Sequence[str],
    *,
    cache_dir: Path | None = None,
    max_bytes: int = MAX_PACKAGE_BYTES,
) -> dict[str, bytes]:
    """The plugin's files with its wheels under wheels/ and a requirements.txt that installs
    them without an index. Refused when the package would exceed `max_bytes`."""
    unknown = [arch for arch in arches if arch not in MACHINES]
    if unknown or not arches:
        raise PluginSourceError(f"offline packages are built for amd64 and arm64, not {unknown}")
    requirements = requirement_lines(files)
    wheels: dict[str, bytes] = {}
    for arch in arches:
        wheels.update(wheels_for(requirements, MACHINES[arch], cache_dir))
    tree = {path: data for path, data in files.items() if path not in DEPENDENCY_FILES_LEFT_OUT}
    tree["requirements.txt"] = (OFFLINE_REQUIREMENTS_HEADER + "\n".join(requirements)).encode()
    tree["requirements.txt"] += b"\n"
    tree.update(dict(sorted(wheels.items())))
    _check_wheels_are_packaged(tree, wheels)
    _check_size(tree, max_bytes)
    return tree


def wheels_for(
    requirements: Sequence[str], machine: str, cache_dir: Path | None
) -> dict[str, bytes]:
    """wheels/NAME -> bytes for one machine. With a cache folder, a set downloaded before for
    the same requirements and machine is reused without asking pip (delete it to refresh)."""
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="offline-wheels-") as folder:
            download_wheels(requirements, machine, Path(folder))
            return _read_wheels(Path(folder))
    key = hashlib.sha256("\n".join([machine, *platform_tags(machine), *requirements]).encode())
    wheelhouse = Path(cache_dir) / "wheelhouse" / key.hexdigest()[:32]
    if not (wheelhouse / COMPLETE_MARKER).exists():
        wheelhouse.mkdir(parents=True, exist_ok=True)
        download_wheels(requirements, machine, wheelhouse, cache_dir=Path(cache_dir) / "pip")
        (wheelhouse / COMPLETE_MARKER).write_text("\n".join(requirements) + "\n")
    return _read_wheels(wheelhouse)


def _read_wheels(folder: Path) -> dict[str, bytes]:
    return {f"{WHEELS_DIR}/{path.name}": path.read_bytes() for path in folder.glob("*.whl")}


def _check_wheels_are_packaged(tree: Mapping[str, bytes], wheels: Mapping[str, bytes]) -> None:
    ignored = [path for path in wheels if path in tree and path not in packaged_files(tree)]
    if ignored:
        raise PluginSourceError(
            f"the plugin's ignore file leaves out {ignored[0]}: remove the pattern that "
            "matches wheels/ or *.whl"
        )


def _check_size(tree: Mapping[str, bytes], max_bytes: int) -> None:
    size = sum(len(data) for data in packaged_files(tree).values())
    if size > max_bytes:
        raise PluginSourceError(
            f"the offline package is {size / 2**20:.1f} MB uncompressed, above "
            f"{size_limit_text(max_bytes)}; {DAEMON_SIZE_SETTING}"
        )


DAEMON_SIZE_SETTING = (
    "raise Dify's PLUGIN_MAX_PACKAGE_SIZE (docker/.env; the plugin daemon reads it as "
    "MAX_PLUGIN_PACKAGE_SIZE, default 52428800 bytes) and build with a matching limit"
)


def offline_package(
    files: Mapping[str, bytes],
    arches: Sequence[str],
    *,
    cache_dir: Path | None = None,
    max_bytes: int = MAX_PACKAGE_BYTES,
) -> bytes:
    """The `.difypkg` of an offline plugin (see offline_files)."""
    tree = offline_files(files, arches, cache_dir=cache_dir, max_bytes=max_bytes)
    return difypkg_bytes(tree, max_bytes=max_bytes)


def default_cache_dir() -> Path:
    """Where offline builds keep their downloads: OFFLINE_PIP_CACHE, else the user's cache."""
    value = os.environ.get("OFFLINE_PIP_CACHE")
    return Path(value) if value else Path.home() / ".cache" / "dify-plugin-designer"
