"""Run one playground chat: the design built by the pipeline into a temporary folder, its llm
code called by ``playground_runner.py`` in a subprocess, each event handed on as it arrives.

The subprocess gets the request (credentials included) on stdin and writes events to a file
this side reads every ``POLL_SECONDS``; output goes to files, not pipes, so a plugin that leaves
a child process behind cannot make the worker wait past the time limit.
"""

import json
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .archive import write_tree
from .plugin_env import plugin_env
from .sdk_check import runner_environment, sdk_python
from .tryout.plan import TryoutInputError
from .tryout.run import buildable_spec

RUNNER = Path(__file__).with_name("playground_runner.py")
POLL_SECONDS = 0.1
DEFAULT_TIME_LIMIT = 60.0

OnEvents = Callable[[list[dict[str, Any]]], None]


def failure(error: str, message: str) -> list[dict[str, Any]]:
    return [{"kind": "error", "error": error, "message": message}, {"kind": "done"}]


def chat(
    document: Mapping[str, Any],
    request: dict[str, Any],
    on_events: OnEvents,
    *,
    allowed_hosts: str = "",
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> None:
    """Stream the chat ``request`` (model, credentials, messages, parameters, tools) through
    the design's own code; ``on_events`` gets each batch of new events, the last one "done"."""
    try:
        _, files = buildable_spec(document)
    except TryoutInputError as error:
        return on_events(failure("build", str(error)))
    with tempfile.TemporaryDirectory(prefix="playground-") as work:
        plugin = Path(work) / "plugin"
        write_tree(files, plugin)
        python = plugin_env(files, sdk_python()).python or sdk_python()
        request = {**request, "allowed_hosts": allowed_hosts}
        run_streaming(python, plugin, Path(work), request, on_events, time_limit)
    return None


def run_streaming(python, plugin: Path, work: Path, request, on_events: OnEvents, limit) -> None:
    events_path, stderr_path = work / "events.jsonl", work / "stderr.txt"
    events_path.touch()
    with stderr_path.open("wb") as stderr:
        try:
            process = subprocess.Popen(
                [python, "-I", "-B", str(RUNNER), str(events_path)],
                cwd=plugin,
                env=runner_environment(),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        except OSError as error:
            return on_events(failure("runner", f"could not start {python}: {error}"))
        process.stdin.write(json.dumps(request).encode())
        process.stdin.close()
        follow(process, events_path, stderr_path, on_events, time.monotonic() + limit, limit)
    return None


def follow(process, events_path: Path, stderr_path: Path, on_events, deadline, limit) -> None:
    """Pass on new complete lines until "done", the process's end, or the deadline."""
    offset, done = 0, False
    while not done:
        exited = process.poll() is not None
        offset, batch = read_new(events_path, offset)
        done = any(e.get("kind") == "done" for e in batch)
        if batch:
            on_events(batch)
        if done:
            break
        if exited:
            tail = stderr_path.read_text(encoding="utf-8", errors="replace")[-1500:]
            on_events(failure("runner", f"the plugin's process ended early: {tail.strip()}"))
            break
        if time.monotonic() > deadline:
            process.kill()
            on_events(failure("timeout", f"no complete answer within {limit:g} s"))
            break
        time.sleep(POLL_SECONDS)
    if process.poll() is None:
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def read_new(path: Path, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """The complete lines after ``offset`` as events, and the offset after them."""
    with path.open("rb") as f:
        f.seek(offset)
        data = f.read()
    end = data.rfind(b"\n") + 1
    events = []
    for line in data[:end].splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return offset + end, events
