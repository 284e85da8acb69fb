"""`make run` in one process group: the web app and a worker start, answer, and one Ctrl-C
(SIGINT to the group, as a terminal sends it) stops every process."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local URL)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for_health(base: str, process: subprocess.Popen, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline and process.poll() is None:
        try:
            status, body = get(f"{base}/healthz")
            last = json.loads(body)
            if status == 200:
                return last
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"not healthy in time: {last}")


def test_one_command_starts_web_and_worker_and_one_ctrl_c_stops_all(tmp_path):
    port = free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "PLUGINS_OUT": str(tmp_path / "out")}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runall", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for_health(base, process) == {"database": "ok", "broker": "ok", "worker": "ok"}
        assert get(f"{base}/")[0] == 200
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
        time.sleep(1)
        survivors = subprocess.run(
            ["pgrep", "-g", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        assert survivors == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
