"""Does Dify's own SDK load this plugin? Asked in a subprocess, never in this process.

`dify_plugin` monkeypatches the process with gevent when imported, so it only ever runs inside
`sdk_runner.py`, started with `sdk_python()`. One subprocess loads a whole batch of folders:
importing the SDK takes about a second, each folder a few milliseconds.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from designer.core.archive import write_tree
from designer.core.plugin_env import PluginEnv, declared_requirements, package_name, plugin_env

RUNNER = Path(__file__).with_name("sdk_runner.py")
REPORT_NAME = "sdk-report.json"
STDERR_NAME = "sdk-stderr.txt"
STDERR_TAIL = 1500
ERROR_LIMIT = 2000


@dataclass(frozen=True)
class SdkLoad:
    """What the SDK saw in one plugin folder (see sdk_runner.py for the shapes)."""

    ok: bool
    error: str | None
    manifest: dict | None = None
    providers: list[dict] = field(default_factory=list)
    models: list[dict] = field(default_factory=list)
    model_classes: dict[str, str] = field(default_factory=dict)
    provider_class: str | None = None
    assets: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = ()  # what could not be checked, and why


def sdk_python() -> str:
    """The interpreter that has dify_plugin installed."""
    return os.environ.get("DIFY_SDK_PYTHON") or sys.executable


def one_line(text: str, limit: int = ERROR_LIMIT) -> str:
    return " ".join(text.split())[:limit]


def failed_load(error: str) -> SdkLoad:
    return SdkLoad(ok=False, error=one_line(error) or "unknown error")


def load_from_report(report: Mapping) -> SdkLoad:
    if not report.get("ok"):
        return failed_load(str(report.get("error") or "unknown error"))
    return SdkLoad(
        ok=True,
        error=None,
        manifest=report["manifest"],
        providers=report["providers"],
        models=report["models"],
        model_classes=report["model_classes"],
        provider_class=report["provider_class"],
        assets=report["assets"],
    )


def runner_environment() -> dict[str, str]:
    """PATH, HOME and a UTF-8 locale; no PYTHONPATH, no secrets. DifyPluginEnv needs nothing:
    every setting has a default and building it opens no connection."""
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": os.environ.get("HOME", tempfile.gettempdir()),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def with_stderr_tail(message: str, work: Path) -> str:
    """`message`, followed by the end of what the runner wrote to stderr, if anything."""
    try:
        tail = (work / STDERR_NAME).read_text(encoding="utf-8", errors="replace")[-STDERR_TAIL:]
    except OSError:
        tail = ""
    return f"{message}: {tail}" if tail.strip() else message


def run_runner(
    dirs: Sequence[Path], work: Path, timeout: float, python: str | None = None
) -> list[SdkLoad] | str:
    """Run sdk_runner.py on `dirs` with cwd `work`; the loads, or why the runner failed.

    Output goes to files, not pipes: a plugin that leaves a child process holding a pipe
    cannot make us wait past the timeout."""
    report_path = work / REPORT_NAME
    python = python or sdk_python()
    command = [python, "-I", "-B", str(RUNNER), "--out", str(report_path)]
    command += [str(d) for d in dirs]
    with (work / STDERR_NAME).open("wb") as stderr:
        try:
            completed = subprocess.run(
                command,
                cwd=work,
                env=runner_environment(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return with_stderr_tail(f"SDK check timed out after {timeout:g}s", work)
        except OSError as error:
            return f"SDK check could not start {python}: {error}"
    if completed.returncode != 0:
        return with_stderr_tail(f"SDK runner exited with code {completed.returncode}", work)
    loads = read_report(report_path, len(dirs))
    if loads is None:
        return with_stderr_tail("SDK runner wrote no usable report", work)
    return loads


def read_report(path: Path, expected: int) -> list[SdkLoad] | None:
    try:
        reports = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(reports, list) or len(reports) != expected:
        return None
    return [load_from_report(report) for report in reports]


def load_dirs_with_sdk(
    dirs: Sequence[Path], *, timeout: float = 300, python: str | None = None
) -> list[SdkLoad]:
    """Load each plugin folder with the SDK, all in one subprocess; one SdkLoad per folder, in
    order. A runner that crashes or times out gives a failed SdkLoad for every folder."""
    if not dirs:
        return []
    absolute_dirs = [Path(d).resolve() for d in dirs]
    with tempfile.TemporaryDirectory(prefix="sdk-check-") as work:
        outcome = run_runner(absolute_dirs, Path(work), timeout, python)
    if isinstance(outcome, str):
        return [failed_load(outcome) for _ in dirs]
    return outcome


def load_trees_with_sdk(
    trees: Sequence[Mapping[str, bytes]], *, timeout: float = 300, python: str | None = None
) -> list[SdkLoad]:
    """Write each tree (path -> bytes) to a temporary folder and load them all in one go."""
    if not trees:
        return []
    with tempfile.TemporaryDirectory(prefix="sdk-trees-") as root:
        dirs = [Path(root) / f"plugin-{index}" for index in range(len(trees))]
        for tree, plugin_dir in zip(trees, dirs, strict=True):
            write_tree(tree, plugin_dir)
        return load_dirs_with_sdk(dirs, timeout=timeout, python=python)


def load_tree_with_sdk(files: Mapping[str, bytes], *, timeout: float = 120) -> SdkLoad:
    """Load one plugin with the SDK and the packages it declares (see plugin_env)."""
    env = plugin_env(files, sdk_python())
    load = load_trees_with_sdk([files], timeout=timeout, python=env.python)[0]
    return with_env_note(load, env, declared_requirements(files))


_MISSING_MODULE = re.compile(r"No module named '([^'.]+)")


def with_env_note(load: SdkLoad, env: PluginEnv, requirements: list[str]) -> SdkLoad:
    """Say what was not checked when the declared packages are missing; a load that failed
    only because one of them is missing is not a failure of the plugin."""
    if env.note is None:
        return load
    missing = _MISSING_MODULE.search(load.error or "")
    declared = {package_name(r) for r in requirements}
    if missing and missing.group(1).lower().replace("_", "-") in declared:
        return SdkLoad(ok=True, error=None, notes=(env.note, f"not verified: {load.error}"))
    return replace(load, notes=(*load.notes, env.note))
