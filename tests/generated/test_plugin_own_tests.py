"""A generated plugin's own tests: they pass offline (every model called on the fake API they
start themselves, or skipped naming the TODO in a skeleton), and their live run, given
credentials in the environment, fails with a wrong key or an unreachable endpoint."""

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from designer.core.archive import write_tree
from designer.core.parse import import_plugin
from designer.core.render import render
from designer.core.sdk_check import runner_environment, sdk_python
from tests.core.test_pieces import FIXTURES

from .fake_openai import GOOD_KEY
from .plugins import all_models, plugin_document, rendered
from .test_custom_plugin import with_call_api_written
from .test_openai_plugin import closed_port_url

MODELS = len(all_models())
LIVE_TESTS = MODELS + 1  # one call per model, the provider's validation

pytestmark = pytest.mark.sdk


def run_plugin_tests(python: str, plugin: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "tests"],
        cwd=plugin,
        env={**runner_environment(), **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def passing_run(files: dict[str, bytes], plugin: Path, **env: str) -> str:
    write_tree(files, plugin)
    completed = run_plugin_tests(sdk_python(), plugin, **env)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    return completed.stdout


def failing_run(files: dict[str, bytes], plugin: Path, **env: str) -> str:
    write_tree(files, plugin)
    completed = run_plugin_tests(sdk_python(), plugin, **env)
    assert completed.returncode == 1, completed.stdout[-3000:] + completed.stderr[-2000:]
    return completed.stdout


def test_a_designed_plugins_own_tests_call_every_model_offline(tmp_path):
    out = passing_run(rendered(plugin_document()), tmp_path)
    # the load check, a schema and an offline call per model, right and wrong key validation
    assert f"{1 + 2 * MODELS + 2} passed, {LIVE_TESTS} skipped" in out
    assert f"SKIPPED [{MODELS}]" in out and "set DEMO_API_KEY to call the API" in out


def test_a_skeletons_own_tests_skip_each_call_naming_the_todo(tmp_path):
    out = passing_run(rendered(plugin_document(api_style="custom")), tmp_path)
    assert f"{1 + MODELS} passed, {MODELS + 2 + LIVE_TESTS} skipped" in out
    assert out.count("TODO: call your API here (models/common.py, call_api)") == 2, out


def test_a_skeleton_with_call_api_written_passes_its_own_offline_tests(tmp_path):
    files = with_call_api_written(rendered(plugin_document(api_style="custom")))
    out = passing_run(files, tmp_path)
    assert f"{1 + 2 * MODELS + 2} passed, {LIVE_TESTS} skipped" in out


@pytest.mark.parametrize("style", ["openai-compatible", "custom"])
def test_live_tests_pass_with_the_right_key(style, fake_openai, tmp_path):
    files = rendered(plugin_document(api_style=style))
    if style == "custom":
        files = with_call_api_written(files)
    env = {"DEMO_API_KEY": GOOD_KEY, "DEMO_ENDPOINT_URL": fake_openai.url}
    assert f"{1 + 3 * MODELS + 3} passed" in passing_run(files, tmp_path, **env)


@pytest.mark.parametrize("style", ["openai-compatible", "custom"])
@pytest.mark.parametrize("where", ["wrong key", "unreachable endpoint"])
def test_live_tests_fail_with_a_wrong_key_or_an_unreachable_endpoint(
    style, where, fake_openai, tmp_path
):
    files = rendered(plugin_document(api_style=style))
    if style == "custom":
        files = with_call_api_written(files)
    if where == "wrong key":
        env = {"DEMO_API_KEY": "wrong", "DEMO_ENDPOINT_URL": fake_openai.url}
    else:
        env = {"DEMO_API_KEY": GOOD_KEY, "DEMO_ENDPOINT_URL": closed_port_url()}
    out = failing_run(files, tmp_path, **env)
    assert f"{LIVE_TESTS} failed" in out, out[-3000:]


def test_an_imported_plugin_gains_these_tests_only_when_it_asks_for_them():
    spec = import_plugin(FIXTURES / "anthropic")
    assert not [path for path in render(spec) if path.startswith("tests/")]
    spec.code.added = ["tests"]
    added = {path for path in render(spec) if path.startswith("tests/")}
    assert added == {
        "tests/__init__.py",
        "tests/test_plugin.py",
        "tests/fake_api.py",
        "tests/model_calls.py",
    }


@pytest.mark.slow
def test_the_plugins_own_tests_pass_in_a_fresh_venv_from_its_requirements(tmp_path):
    plugin = tmp_path / "plugin"
    write_tree(rendered(plugin_document()), plugin)
    venv.create(tmp_path / "venv", with_pip=True)
    python = str(tmp_path / "venv" / "bin" / "python")
    env = {**runner_environment(), "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", "")}
    if not env["PIP_CACHE_DIR"]:
        env["PIP_CACHE_DIR"] = str(Path.home() / ".cache" / "pip")
    installed = subprocess.run(
        [python, "-m", "pip", "install", "-q", "-r", "requirements.txt", "pytest"],
        cwd=plugin,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    completed = run_plugin_tests(python, plugin)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    shutil.rmtree(tmp_path / "venv", ignore_errors=True)
