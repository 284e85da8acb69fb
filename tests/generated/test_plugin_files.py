"""What every generated plugin ships: code that compiles and lints, its own passing tests, a
README, and a .difypkg laid out as `dify plugin package` makes it."""

import ast
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.core.archive import write_tree
from designer.core.package import difypkg_bytes, packaged_files
from designer.core.sdk_check import load_tree_with_sdk
from tests.core.factories import llm_model

from .plugins import plugin_document, rendered

RUFF = Path(sys.executable).with_name("ruff")
NASTY = 'a"b\'c\\d\n"""e{f}g}}\u00e9\u2028${x}\x00'
STYLES = ["openai-compatible", "custom"]


def nasty_document(style, text=NASTY):
    document = plugin_document(api_style=style, base_url=f"https://x.test/{text}")
    document["manifest"]["label"]["en_US"] = text
    document["manifest"]["description"]["en_US"] = text
    document["provider"]["label"]["en_US"] = text
    fields = document["provider"]["provider_credential_schema"]["credential_form_schemas"]
    fields[0]["placeholder"]["en_US"] = text
    document["models"][0]["model"] = f"chat-{text}"
    return document


def python_files(tree):
    return {path: data for path, data in tree.items() if path.endswith(".py")}


@pytest.mark.parametrize("style", STYLES)
def test_generated_code_compiles_passes_ruff_and_is_formatted_whatever_the_user_wrote(
    style, tmp_path
):
    tree = rendered(nasty_document(style))
    write_tree(tree, tmp_path)
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tmp_path)], capture_output=True, text=True
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    linted = subprocess.run(
        [str(RUFF), "check", "--no-cache", "."], cwd=tmp_path, capture_output=True, text=True
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
    formatted = subprocess.run(
        [str(RUFF), "format", "--check", "--diff", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def literal(source: bytes, name: str):
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"no {name}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=40), style=st.sampled_from(STYLES))
def test_fuzzed_user_text_reaches_python_only_as_literals(text, style):
    tree = rendered(nasty_document(style, text))
    for path, source in python_files(tree).items():
        compile(source, path, "exec")
    common = tree["models/common.py"]
    assert literal(common, "BASE_URL") == f"https://x.test/{text}"
    if style == "custom":
        assert text in literal(common, "NOT_WRITTEN")
    provider = tree["provider/demo.py"]
    model_ids = [c.value for c in ast.walk(ast.parse(provider)) if isinstance(c, ast.Constant)]
    assert f"chat-{text}" in model_ids


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(st.text(min_size=1, max_size=40), min_size=10, max_size=10),
    style=st.sampled_from(STYLES),
)
def test_fuzzed_user_text_gives_code_that_compiles_and_passes_ruff(texts, style):
    """Ten plugins per example, linted by one ruff run (each with its own pyproject.toml)."""
    with tempfile.TemporaryDirectory() as folder:
        for i, text in enumerate(texts):
            tree = rendered(nasty_document(style, text))
            kept = {**python_files(tree), "pyproject.toml": tree["pyproject.toml"]}
            write_tree(kept, Path(folder) / f"plugin{i}")
        linted = subprocess.run(
            [str(RUFF), "check", "--no-cache", "."], cwd=folder, capture_output=True, text=True
        )
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_the_readme_lists_each_model_with_its_context_size_and_price():
    readme = rendered(plugin_document())["README.md"].decode()
    assert "| demo-chat | llm (chat) | tool-call, multi-tool-call, stream-tool-call |" in readme
    assert "| 8192 | in 0.50 / out 1.50 USD per 1M tokens |" in readme
    assert "`demo-0.0.1.difypkg`" in readme
    assert "FORCE_VERIFYING_SIGNATURE=false" in readme
    assert "DEMO_API_KEY" in readme


@pytest.mark.parametrize(
    ("unit", "per"),
    [("0.001", "per 1K tokens"), ("1", "per token"), ("0.0001", "per 10,000 tokens")],
)
def test_the_readme_says_how_many_tokens_a_price_is_for(unit, per):
    model = llm_model(pricing={"input": "1", "output": "2", "unit": unit, "currency": "USD"})
    readme = rendered(plugin_document(models=[model]))["README.md"].decode()
    assert f"in 1 / out 2 USD {per} |" in readme


def test_the_difyignore_keeps_earlier_packages_caches_and_venvs_out():
    tree = rendered(plugin_document())
    local = {
        "old-0.0.1.difypkg": b"",
        "venv/bin/python": b"",
        ".uv-cache/x": b"",
        ".mypy_cache/x": b"",
        "demo.egg-info/PKG-INFO": b"",
    }
    assert list(packaged_files({**tree, **local})) == sorted(tree)


def test_requirements_and_pyproject_pin_the_same_sdk_range():
    tree = rendered(plugin_document())
    requirement = tree["requirements.txt"].decode().strip()
    assert requirement.startswith("dify_plugin>=")
    assert f'dependencies = ["{requirement}"]' in tree["pyproject.toml"].decode()


LOCAL_FILES = {".env": b"KEY=1", "models/__pycache__/x.pyc": b"", ".venv/bin/python": b""}


@pytest.fixture(scope="module")
def package():
    tree = rendered(plugin_document())
    return tree, zipfile.ZipFile(io.BytesIO(difypkg_bytes({**tree, **LOCAL_FILES})))


class TestPackage:
    def test_the_plugin_root_is_the_zip_root_sorted_without_folders(self, package):
        _, archive = package
        names = archive.namelist()
        assert "manifest.yaml" in names and "main.py" in names
        assert names == sorted(names)
        assert not any(name.endswith("/") for name in names)

    def test_difyignore_keeps_local_files_out_and_everything_else_in(self, package):
        tree, archive = package
        assert archive.namelist() == list(tree)
        assert not set(LOCAL_FILES) & set(archive.namelist())

    @pytest.mark.sdk
    def test_the_sdk_loads_the_unpacked_package(self, package):
        _, archive = package
        unpacked = {name: archive.read(name) for name in archive.namelist()}
        load = load_tree_with_sdk(unpacked)
        assert load.ok, load.error
        assert len(load.models) == 7
