"""Does the plugin come up as the Marketplace's check starts it? `python -m main` in the plugin
folder with INSTALL_METHOD=serverless: the SDK registers the plugin, then serves HTTP, and the
plugin is up when GET /health answers 200.

Like sdk_check, the plugin only ever runs in a subprocess with a clean environment; it listens
on 127.0.0.1 at a free port and its whole process group is ended afterwards.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .archive import write_tree
from .sdk_check import one_line, runner_environment, sdk_python

OUTPUT_TAIL = 1500
SETTLE_SECONDS = 0.5  # the SDK serves before it has finished starting; a crash shows by then
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Boot:
    ok: bool
    error: str | None
    seconds: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def boot_environment(port: int) -> dict[str, str]:
    return {
        **runner_environment(),
        "INSTALL_METHOD": "serverless",
        "SERVERLESS_HOST": "127.0.0.1",
        "SERVERLESS_PORT": str(port),
        "SERVERLESS_WORKERS": "1",
        "SERVERLESS_THREADS": "1",
    }


def is_healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:  # noqa: S310 - a fixed local address
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def boot_dir(plugin_dir: Path, *, entrypoint: str = "main", timeout: float = 60) -> Boot:
    """Start the plugin in `plugin_dir` and wait until it serves, exits or `timeout` passes."""
    port = free_port()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sdk-boot-") as work:
        output_path = Path(work) / "output.txt"
        with output_path.open("wb") as output:
            try:
                process = subprocess.Popen(
                    [sdk_python(), "-B", "-m", entrypoint],
                    cwd=plugin_dir,
                    env=boot_environment(port),
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as exc:
                return Boot(False, f"cannot start {sdk_python()}: {exc}", 0.0)
            try:
                problem = _wait_until_up(process, port, started + timeout, output_path)
            finally:
                _end(process)
        seconds = time.monotonic() - started
        if problem is None:
            return Boot(True, None, seconds)
        tail = output_path.read_text(encoding="utf-8", errors="replace")[-OUTPUT_TAIL:]
        return Boot(False, one_line(f"{problem}: {tail}" if tail.strip() else problem), seconds)


def _wait_until_up(
    process: subprocess.Popen, port: int, deadline: float, output_path: Path
) -> str | None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"the plugin exited with code {process.returncode} before serving"
        if is_healthy(port):
            time.sleep(SETTLE_SECONDS)
            if process.poll() is not None:
                return f"the plugin exited with code {process.returncode} after starting"
            if b"Traceback" in output_path.read_bytes():
                return "the plugin failed while starting"
            return None
        time.sleep(POLL_SECONDS)
    return "the plugin did not come up in time"


def _end(process: subprocess.Popen) -> None:
    """End the plugin and whatever it started (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def boot_tree(files: Mapping[str, bytes], *, entrypoint: str = "main", timeout: float = 60) -> Boot:
    """Write the plugin's files to a temporary folder and boot it there."""
    with tempfile.TemporaryDirectory(prefix="sdk-boot-tree-") as root:
        plugin_dir = Path(root) / "plugin"
        write_tree(files, plugin_dir)
        return boot_dir(plugin_dir, entrypoint=entrypoint, timeout=timeout)
