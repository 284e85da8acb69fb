"""Fixtures for generated plugins: a fake OpenAI-compatible server and an SDK invoker."""

import json
import subprocess
from pathlib import Path

import pytest

from designer.core.archive import write_tree
from designer.core.sdk_check import runner_environment, sdk_python

from .fake_openai import running_fake_openai

RUNNER = Path(__file__).with_name("invoke_runner.py")


@pytest.fixture(scope="session")
def fake_openai():
    with running_fake_openai() as fake:
        yield fake


def invoke_plugin(files: dict[str, bytes], calls: list[dict], work: Path) -> dict[str, dict]:
    """Write the plugin to `work`, load it with the SDK in one subprocess (cwd = the plugin)
    and run every call there; the results by call name."""
    plugin = work / "plugin"
    write_tree(files, plugin)
    calls_path, results_path = work / "calls.json", work / "results.json"
    calls_path.write_text(json.dumps(calls), encoding="utf-8")
    completed = subprocess.run(
        [sdk_python(), "-I", "-B", str(RUNNER), str(calls_path), str(results_path)],
        cwd=plugin,
        env=runner_environment(),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(results_path.read_text(encoding="utf-8"))
