"""`make run`: the web app and a worker start and answer; one Ctrl-C (SIGINT to the group, as a
terminal sends it) stops every process; a worker killed outright is reported down and restarted
while the web app keeps answering."""

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


def start_runall(tmp_path) -> tuple[subprocess.Popen, str]:
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
    return process, f"http://127.0.0.1:{port}"


def children_of(pid: int) -> dict[int, str]:
    """pid -> command line of each child process of pid."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found[int(stat.parent.name)] = command
        except OSError:
            continue
    return found


def alive_in_groups(groups) -> list[str]:
    alive = []
    for group in groups:
        found = subprocess.run(["pgrep", "-g", str(group)], capture_output=True, text=True)
        alive += found.stdout.split()
    return alive


def stop_with_ctrl_c(process: subprocess.Popen) -> None:
    groups = [process.pid, *children_of(process.pid)]
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=30)
    time.sleep(1)
    assert alive_in_groups(groups) == []


def test_one_command_starts_web_and_worker_and_one_ctrl_c_stops_all(tmp_path):
    process, base = start_runall(tmp_path)
    try:
        assert wait_for_health(base, process) == {"database": "ok", "broker": "ok", "worker": "ok"}
        assert get(f"{base}/")[0] == 200
        stop_with_ctrl_c(process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def test_a_worker_killed_outright_is_reported_down_and_restarted_while_the_web_answers(tmp_path):
    process, base = start_runall(tmp_path)
    try:
        wait_for_health(base, process)
        [worker] = [pid for pid, command in children_of(process.pid).items() if "celery" in command]
        pool = list(children_of(worker))
        os.kill(worker, signal.SIGKILL)
        seen_down = None
        deadline = time.monotonic() + 20
        while seen_down is None and time.monotonic() < deadline:
            status, body = get(f"{base}/healthz")
            if status == 503:
                seen_down = json.loads(body)
            time.sleep(0.1)
        assert seen_down == {
            "database": "ok",
            "broker": "ok",
            "worker": "error: no worker has reported",
        }
        assert get(f"{base}/")[0] == 200  # the web app is still up
        assert wait_for_health(base, process)["worker"] == "ok"  # a new worker took over
        [successor] = [p for p, command in children_of(process.pid).items() if "celery" in command]
        assert successor != worker
        assert [pid for pid in pool if Path(f"/proc/{pid}").exists()] == []  # no orphans left
        stop_with_ctrl_c(process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
