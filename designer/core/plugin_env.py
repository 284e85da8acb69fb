"""The plugin's own dependencies for the SDK check: a virtualenv per dependency list, cached.

An imported plugin's code imports what its requirements.txt or pyproject.toml declares (the
official openai_api_compatible needs ``openai``). The check then runs in a virtualenv holding
those packages on top of the designer's own (where the SDK is), made once per list under
``var/sdk-envs/<sha256 of the list>``. When they cannot be installed (no package index
reachable) the check says so and runs with the designer's packages only.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_ROOT = Path(os.environ.get("SDK_ENV_DIR", Path(__file__).parents[2] / "var" / "sdk-envs"))
READY = "ready"
INSTALL_TIMEOUT = 600
# The SDK the check loads with is the designer's own: a plugin's pin of it is not installed.
SDK_NAMES = {"dify-plugin", "dify_plugin"}
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class PluginEnv:
    python: str | None  # the interpreter to load with; None: the designer's own
    note: str | None = None  # why the declared packages are missing, if they are


def declared_requirements(files: Mapping[str, bytes]) -> list[str]:
    """What requirements.txt (first) or pyproject.toml declares, without the SDK itself."""
    if "requirements.txt" in files:
        lines = files["requirements.txt"].decode("utf-8", "replace").splitlines()
        found = [line.split("#")[0].strip() for line in lines]
        found = [line for line in found if line and not line.startswith("-")]
    elif "pyproject.toml" in files:
        try:
            project = tomllib.loads(files["pyproject.toml"].decode("utf-8", "replace"))
        except tomllib.TOMLDecodeError:
            return []
        found = (project.get("project") or {}).get("dependencies") or []
        found = [item for item in found if isinstance(item, str)]
    else:
        return []
    return sorted({r for r in found if package_name(r) not in SDK_NAMES})


def package_name(requirement: str) -> str:
    """The normalized project name a requirement line names."""
    match = _NAME.match(requirement)
    return match.group(1).lower().replace("_", "-") if match else ""


def env_for(requirements: list[str], base_python: str) -> PluginEnv:
    """The cached virtualenv holding ``requirements``, made if needed."""
    if not requirements:
        return PluginEnv(None)
    key = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:32]
    env = ENV_ROOT / key
    if (env / READY).exists():
        return PluginEnv(str(env_python(env)))
    ENV_ROOT.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=ENV_ROOT))
    try:
        problem = build_env(building, requirements, base_python)
        if problem:
            listed = ", ".join(requirements)
            return PluginEnv(
                None,
                f"the plugin's dependencies ({listed}) could not be "
                f"installed: {problem}; checked with the designer's packages only",
            )
        (building / READY).write_text("\n".join(requirements) + "\n")
        if not env.exists():  # else another check made it meanwhile: use that one
            os.replace(building, env)
        return PluginEnv(str(env_python(env)))
    finally:
        shutil.rmtree(building, ignore_errors=True)


def env_python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def build_env(env: Path, requirements: list[str], base_python: str) -> str | None:
    """Make the virtualenv; None when done, else the reason in one line."""
    steps = [
        [base_python, "-m", "venv", "--without-pip", str(env)],
        [
            base_python,
            "-m",
            "pip",
            "--python",
            str(env_python(env)),
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
            "--retries",
            "1",
            "--timeout",
            "15",
            *requirements,
        ],
    ]
    for command in steps:
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return " ".join(str(error).split())[:300]
        if done.returncode != 0:
            lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
            return " ".join((lines[-1] if lines else f"exit {done.returncode}").split())[:300]
        if command[2] == "venv":
            link_base_packages(env, base_python)
    return None


def link_base_packages(env: Path, base_python: str) -> None:
    """Let the new virtualenv see the designer's packages (the SDK) after its own: a venv made
    from a venv's interpreter would otherwise see only the base Python's."""
    query = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    base = subprocess.run([base_python, "-c", query], capture_output=True, text=True, check=True)
    own = subprocess.run(
        [str(env_python(env)), "-c", query], capture_output=True, text=True, check=True
    )
    Path(own.stdout.strip(), "designer-packages.pth").write_text(base.stdout.strip() + "\n")


def plugin_env(files: Mapping[str, bytes], base_python: str | None = None) -> PluginEnv:
    return env_for(declared_requirements(files), base_python or sys.executable)
