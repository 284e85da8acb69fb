"""N simulated editors typing (one autosave a second each) while builds run, on the production
stack (PostgreSQL, Redis, gunicorn, two prefork workers) started as the production tests start it.
Each editor's saves fall at its own moment of the second, as people's keystrokes do.
Targets (issue 15): 50 editors with keystroke p95 under 100 ms and no errors; 20 builds queued
at once all succeed, none lost, none built twice.

    .venv/bin/python benchmarks/bench_load.py [--editors 10 50 100] [--seconds 20] [--builds 20]
"""

import argparse
import random
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.production.conftest import WORKERS, Stack, postgres_bin  # noqa: E402

VERSION = re.compile(rb'id="spec-version" value="(\d+)"')


class Editor:
    """One person typing into their project's plugin section: one autosave a second."""

    def __init__(self, base: str, session: str, project: int):
        self.url = f"{base}/projects/{project}/save/plugin/"
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked token
        self.cookie = f"sessionid={session}; csrftoken={self.csrf}"
        self.version, self.timings, self.errors = 1, [], []

    def save(self, keystroke: int) -> None:
        body = f"_version={self.version}&manifest.label.en_US=Typed+{keystroke}".encode()
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.csrf, "HX-Request": "true"}
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.url, data=body, headers=headers)
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (local)
                page = response.read()
            self.timings.append((time.perf_counter() - start) * 1000)
            found = VERSION.search(page)
            if found:
                self.version = int(found.group(1))
        except (urllib.error.URLError, OSError) as error:
            self.errors.append(str(error))

    def type_for(self, seconds: float, phase: float) -> None:
        """Saves once a second for ``seconds``, the first after ``phase`` seconds."""
        time.sleep(phase)
        start = time.monotonic()
        keystroke = 0
        while time.monotonic() - start < seconds:
            self.save(keystroke)
            keystroke += 1
            time.sleep(max(0.0, start + keystroke - time.monotonic()))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def run_round(stack: Stack, count: int, seconds: float, builds: int) -> None:
    made = stack.action("editors", count)["editors"]
    editors = [Editor(stack.base, e["session"], e["project"]) for e in made]
    # Builds of as many different plugins: each one is built (one spec's builds would share).
    build_ids = stack.action("distinct", builds)["builds"]
    queued = time.time()
    # People type independently: each editor's second starts at its own moment (the same
    # moments every run), not all at once.
    phases = random.Random(count).random
    threads = [threading.Thread(target=e.type_for, args=[seconds, phases()]) for e in editors]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    timings = [t for e in editors for t in e.timings]
    errors = [x for e in editors for x in e.errors]
    print(
        f"{count:>4} editors: {len(timings)} saves in {elapsed:.1f} s"
        f" ({len(timings) / elapsed:.1f}/s), p50 {statistics.median(timings):.0f} ms,"
        f" p95 {percentile(timings, 0.95):.0f} ms, p99 {percentile(timings, 0.99):.0f} ms,"
        f" errors {len(errors)}{': ' + errors[0] if errors else ''}"
    )
    results = stack.wait_for_builds(build_ids, timeout=600).values()
    built = max(r["finished"] for r in results) - queued
    statuses = sorted({r["status"] for r in results})
    twice = sum(1 for r in results if r["attempts"] != 1)
    print(
        f"      {builds} builds of different plugins queued at once: {statuses},"
        f" {len(results)} found, {twice} twice, the last done {built:.0f} s after they were queued"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editors", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--builds", type=int, default=20)
    args = parser.parse_args()
    pg_bin = postgres_bin()
    if pg_bin is None or shutil.which("redis-server") is None:
        raise SystemExit("needs PostgreSQL and Redis: apt-get install postgresql redis-server")
    folder = Path(tempfile.mkdtemp(prefix="designer-load-"))
    folder.chmod(0o755)
    stack = Stack(folder, pg_bin)
    try:
        stack.init_postgres()
        stack.start_redis()
        stack.manage("migrate", "--no-input")
        stack.manage("collectstatic", "--no-input")
        stack.start_web()
        for name in WORKERS:
            stack.start_worker(name)
        stack.wait_until_healthy()
        for count in args.editors:
            run_round(stack, count, args.seconds, args.builds)
    finally:
        stack.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
