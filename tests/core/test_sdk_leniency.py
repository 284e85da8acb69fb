"""What Dify's SDK accepts, the designer imports and builds (official aihubmix, llama_api,
bedrock and modelscope have these): an empty translation, a rule without a template or label."""

from pathlib import Path

import pytest

from designer.core.archive import read_plugin_source
from designer.core.parse import parse_tree
from designer.core.render import render
from designer.core.sdk_check import load_tree_with_sdk
from designer.core.validation import validate
from tests.core.factories import OFFICIAL_ENDPOINT_FIELDS

FIXTURE = Path("/work/shared/fixtures/dify-official-plugins/anthropic")
# The shared fixtures leave their Python out: the spec asks for generated code instead.
CODE_PIECES = ["main", "provider_code", "model_code", "common_code"]
MODEL = "models/llm/claude-3-haiku-20240307.yaml"


def sloppy_tree() -> dict[str, bytes]:
    files = read_plugin_source(FIXTURE)
    text = files[MODEL].decode()
    text = text.replace("label:\n  en_US: claude", "label:\n  zh_Hans:\n  en_US: claude", 1)
    unlabelled_rule = "  - name: top_k\n    type: int\n    required: false\n"
    start = text.index("  - name: top_k\n")
    end = text.index("  - name: max_tokens\n")
    files[MODEL] = (text[:start] + unlabelled_rule + text[end:]).encode()
    return files


def sloppy_document() -> dict:
    document = parse_tree(sloppy_tree()).to_document()
    document["code"]["added"] = CODE_PIECES
    document["code"]["endpoint_field"] = OFFICIAL_ENDPOINT_FIELDS["anthropic"]
    return document


def test_an_empty_translation_and_an_unlabelled_rule_import_validate_and_render_unchanged():
    files = sloppy_tree()
    report = validate(sloppy_document())
    assert report.ok, report.errors
    warned = {f.path.split(".", 1)[1] for f in report.warnings if f.path.startswith("models[")}
    assert {"label.zh_Hans", "parameter_rules[2].label"} <= warned
    assert render(report.spec)[MODEL] == files[MODEL]


@pytest.mark.sdk
def test_the_rebuilt_plugin_loads_in_the_sdk():
    files = render(validate(sloppy_document()).spec)
    load = load_tree_with_sdk(files)
    assert load.ok, load.error
    [model] = [m for m in load.models if m["model"] == "claude-3-haiku-20240307"]
    assert model["entity"]["label"]["en_US"] == "claude-3-haiku-20240307"
