"""The SDK check runs with the packages the plugin declares, or says why it could not."""

from pathlib import Path

import pytest

from designer.core import plugin_env
from designer.core.parse import import_plugin
from designer.core.plugin_env import declared_requirements
from designer.core.render import render
from designer.core.sdk_check import load_tree_with_sdk

pytestmark = pytest.mark.sdk

FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")
PYPROJECT = b'[project]\nname = "x"\ndependencies = ["dify_plugin>=0.5", "openai>=1.0"]\n'


def needing_openai() -> dict[str, bytes]:
    """openai_api_compatible with its code, which imports openai as the official code does."""
    spec = import_plugin(FIXTURES / "openai_api_compatible")
    spec.code.added = ["main", "provider_code", "model_code", "common_code"]
    files = render(spec)
    provider = "provider/openai_api_compatible.py"
    files[provider] = b"import openai  # noqa: F401\n" + files[provider]
    files["pyproject.toml"] = PYPROJECT
    return files


def test_declared_requirements_come_from_requirements_txt_first_then_pyproject():
    assert declared_requirements({"pyproject.toml": PYPROJECT}) == ["openai>=1.0"]
    both = {"pyproject.toml": PYPROJECT, "requirements.txt": b"# pinned\nhttpx==0.27 # x\n-e .\n"}
    assert declared_requirements(both) == ["httpx==0.27"]
    assert declared_requirements({"pyproject.toml": b"not toml ["}) == []
    assert declared_requirements({"requirements.txt": b"dify_plugin>=0.10\n"}) == []


def test_the_plugin_loads_with_its_declared_packages_installed_and_cached(tmp_path, monkeypatch):
    monkeypatch.setattr(plugin_env, "ENV_ROOT", tmp_path)
    load = load_tree_with_sdk(needing_openai(), timeout=300)
    assert load.ok, load.error
    assert load.notes == ()
    envs = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert len(envs) == 1 and (envs[0] / "ready").exists()
    again = load_tree_with_sdk(needing_openai(), timeout=300)  # from the cache this time
    assert again.ok and [p.name for p in tmp_path.iterdir()] == [envs[0].name]


def test_without_a_reachable_index_the_check_says_so_and_does_not_fail(tmp_path, monkeypatch):
    monkeypatch.setattr(plugin_env, "ENV_ROOT", tmp_path)
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/")
    load = load_tree_with_sdk(needing_openai(), timeout=300)
    assert load.ok
    assert "could not be installed" in load.notes[0] and "openai>=1.0" in load.notes[0]
    assert "No module named 'openai'" in load.notes[1]
    assert list(tmp_path.iterdir()) == []  # nothing half-made is cached


def test_a_plugin_failing_for_another_reason_still_fails_with_the_note(tmp_path, monkeypatch):
    monkeypatch.setattr(plugin_env, "ENV_ROOT", tmp_path)
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/")
    files = needing_openai()
    files["main.py"] = b"raise SystemExit('broken')\n"
    del files["provider/openai_api_compatible.py"]
    load = load_tree_with_sdk(files, timeout=300)
    assert not load.ok
    assert "could not be installed" in load.notes[0]
