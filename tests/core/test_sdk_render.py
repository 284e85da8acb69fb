"""Every plugin the renderer makes loads in Dify's own SDK (one subprocess for the batch).

The official plugins are imported and built again twice: as imported (their YAML given back as
written) and with every YAML file re-written from the spec; the SDK must see the same provider
and models in all three (source, rebuilt, re-written).
"""

import copy
from pathlib import Path

import pytest
import yaml

from designer.core.archive import read_plugin_source
from designer.core.parse import import_plugin
from designer.core.render import render
from designer.core.render.code import code_files
from designer.core.sdk_check import load_trees_with_sdk
from designer.core.validation import validate
from tests.core.factories import embedding_model, llm_model, plugin_document

pytestmark = pytest.mark.sdk

FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")
PLUGINS = ["anthropic", "jina", "openai", "openai_api_compatible"]


CODE_PIECES = ["main", "provider_code", "model_code", "common_code"]


def imported_with_code(name: str):
    """The fixture imported, with the Python sources it left out asked for (added pieces)."""
    spec = import_plugin(FIXTURES / name)
    spec.code.added = CODE_PIECES
    return spec


def source_with_generated_code(name: str) -> dict[str, bytes]:
    """The fixture as published, with the Python sources it left out generated for it."""
    spec = import_plugin(FIXTURES / name)
    files = read_plugin_source(FIXTURES / name)
    return {**dict(code_files(spec)), **files}


def rewritten(name: str) -> dict[str, bytes]:
    spec = imported_with_code(name)
    spec.originals = {}
    return render(spec)


def comparable(load, required: dict[str, bool] | None = None) -> tuple:
    models = sorted(
        (model["model_type"], model["model"], repr(model["entity"])) for model in load.models
    )
    providers = [
        {k: v for k, v in p.items() if k != "position"} for p in copy.deepcopy(load.providers)
    ]
    for provider in providers if required is not None else []:
        for field in credential_fields(provider):
            field["required"] = required[field["variable"]]
    return providers, models


def credential_fields(provider: dict) -> list[dict]:
    schemas = [provider.get("provider_credential_schema"), provider.get("model_credential_schema")]
    return [field for schema in schemas if schema for field in schema["credential_form_schemas"]]


def daemon_required(name: str) -> dict[str, bool]:
    """`required` of each credential field as Dify's daemon reads the source: false if absent."""
    spec = import_plugin(FIXTURES / name)
    provider = yaml.safe_load(read_plugin_source(FIXTURES / name)[spec.manifest.plugins.models[0]])
    return {f["variable"]: f.get("required", False) for f in credential_fields(provider)}


@pytest.fixture(scope="module")
def loads():
    trees = {}
    for name in PLUGINS:
        trees[f"{name}/source"] = source_with_generated_code(name)
        trees[f"{name}/rebuilt"] = render(imported_with_code(name))
        trees[f"{name}/rewritten"] = rewritten(name)
    many_models = [llm_model(f"chat-{i}") for i in range(3)] + [embedding_model()]
    trees["designed"] = render(validate(plugin_document(models=many_models)).spec)
    return dict(zip(trees, load_trees_with_sdk(list(trees.values())), strict=True))


@pytest.mark.parametrize("name", PLUGINS)
def test_an_imported_official_plugin_loads_as_the_same_provider_and_models(loads, name):
    source, rebuilt, again = (
        loads[f"{name}/{kind}"] for kind in ["source", "rebuilt", "rewritten"]
    )
    assert source.ok, source.error
    assert rebuilt.ok, rebuilt.error
    assert again.ok, again.error
    assert comparable(rebuilt) == comparable(source)
    # Re-written, every field states `required`; where the source left it out, the SDK read
    # true but Dify's daemon (what users see) read false, and the spec keeps the daemon's view.
    required = daemon_required(name)
    assert {f["variable"]: f["required"] for f in credential_fields(again.providers[0])} == required
    assert comparable(again) == comparable(source, required=required)


def test_the_official_plugins_bring_all_their_models(loads):
    counts = {name: len(loads[f"{name}/rebuilt"].models) for name in PLUGINS}
    assert counts == {"anthropic": 21, "jina": 15, "openai": 52, "openai_api_compatible": 0}


def test_a_designed_plugin_loads_with_all_its_models(loads):
    load = loads["designed"]
    assert load.ok, load.error
    assert sorted(m["model"] for m in load.models) == ["chat-0", "chat-1", "chat-2", "demo-embed"]
    assert set(load.model_classes) == {"llm", "text-embedding"}
