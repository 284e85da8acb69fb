"""Time GET /healthz as a load balancer's probe sees it (issue 15). Target: median under 50 ms.

By default it starts the embedded stack of `make run` (web app, worker, filesystem broker,
SQLite) in a temporary folder, waits until the worker has reported, then times the probes; with
--url it times a running deployment instead (e.g. the production stack).

    .venv/bin/python benchmarks/bench_healthz.py [--requests 200] [--deep] [--url http://host:port]
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 50.0


def probe(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local URL)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_embedded_stack(folder: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "VAR_DIR": str(folder / "var"), "PLUGINS_OUT": str(folder / "out")}
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    port = free_port()
    process = subprocess.Popen(
        [*manage, "runall", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_until_healthy(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if probe(url)[0] == 200:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not become healthy in {timeout:.0f} s")


def measure(url: str, requests: int) -> list[float]:
    timings, statuses = [], set()
    for _ in range(requests):
        start = time.perf_counter()
        status, _ = probe(url)
        timings.append((time.perf_counter() - start) * 1000)
        statuses.add(status)
    print(f"statuses seen: {sorted(statuses)}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--deep", action="store_true", help="time /healthz?deep=1 (pings)")
    parser.add_argument("--url", help="a running site's base URL instead of a stack of our own")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        process = None
        base = args.url
        if base is None:
            process, base = start_embedded_stack(Path(folder))
        url = f"{base.rstrip('/')}/healthz" + ("?deep=1" if args.deep else "")
        try:
            wait_until_healthy(url)
            timings = measure(url, args.requests)
        finally:
            if process is not None:
                os.killpg(process.pid, signal.SIGINT)
                process.wait(timeout=30)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{url}: {len(timings)} probes, median {median:.1f} ms, p95 {p95:.1f} ms", end="")
    print(f", max {timings[-1]:.1f} ms")
    if not args.deep:  # a deep check waits for a worker's answer: no probe target applies
        verdict = "meets" if median < TARGET_MS else "MISSES"
        print(f"{verdict} the target of a median under {TARGET_MS:.0f} ms")


if __name__ == "__main__":
    main()
