"""An imported plugin's rebuild has exactly its source's files; what it lacks is offered."""

from pathlib import Path

import pytest

from designer.core.archive import read_plugin_source
from designer.core.parse import import_plugin
from designer.core.render import render
from designer.core.render.pieces import missing_pieces, offered_piece, with_needs
from designer.core.validation import validate
from tests.core.factories import llm_model, plugin_document

FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")
PLUGINS = ["anthropic", "jina", "openai", "openai_api_compatible"]


@pytest.mark.parametrize("name", PLUGINS)
def test_an_imported_plugin_rebuilds_as_exactly_its_source(name):
    assert render(import_plugin(FIXTURES / name)) == read_plugin_source(FIXTURES / name)


def test_openai_api_compatible_gains_no_requirements_txt_beside_its_pyproject():
    source = read_plugin_source(FIXTURES / "openai_api_compatible")
    spec = import_plugin(FIXTURES / "openai_api_compatible")
    spec.files["pyproject.toml"] = type(spec.files[".difyignore"]).from_bytes(
        b'[project]\nname = "x"\ndependencies = ["openai>=1"]\n'
    )
    assert "requirements" not in missing_pieces(spec)
    spec.code.added = ["readme", "tests"]
    files = render(spec)
    assert "requirements.txt" not in files
    assert set(files) - set(source) == {
        "pyproject.toml",
        "README.md",
        "tests/__init__.py",
        "tests/test_plugin.py",
        "tests/fake_api.py",
        "tests/model_calls.py",
    }


def test_each_missing_piece_is_a_finding_and_adding_it_generates_only_it():
    spec = import_plugin(FIXTURES / "anthropic")
    report = validate(spec)
    offered = {f.path for f in report.findings if "Add it" in f.message}
    assert {"code.added.difyignore", "code.added.main"} <= offered
    assert all(offered_piece(path) for path in offered)
    assert [f.level for f in report.findings if f.path == "code.added.main"] == ["error"]
    assert [f.level for f in report.findings if f.path == "code.added.readme"] == ["warning"]
    spec.code.added = with_needs("model_code")
    files = render(spec)
    added = set(files) - set(read_plugin_source(FIXTURES / "anthropic"))
    assert added == {"models/llm/llm.py", "models/common.py"}
    assert "model_code" not in missing_pieces(spec)


def test_a_designed_plugin_still_gets_every_piece():
    spec = validate(plugin_document(models=[llm_model()])).spec
    files = render(spec)
    assert {
        "main.py",
        ".difyignore",
        "PRIVACY.md",
        "requirements.txt",
        "tests/test_plugin.py",
    } <= set(files)
    assert missing_pieces(spec) == {}
