"""LiteLLM's catalog -> model definitions, on a trimmed copy of the real file (and, once, on
the whole snapshot the library ships)."""

import gzip
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from designer.core.catalog import (
    catalog_models,
    checked_catalog,
    per_million,
    ranked_by_search,
    read_catalog,
)
from designer.core.errors import PluginSourceError
from designer.core.render import render
from designer.core.sdk_check import load_tree_with_sdk, load_trees_with_sdk
from designer.core.validation import validate
from tests.core.factories import plugin_document

CATALOG = Path(__file__).resolve().parents[1] / "data" / "litellm" / "model_prices_trimmed.json"
SNAPSHOT = (
    Path(__file__).resolve().parents[2] / "designer/library/data/litellm_model_prices.json.gz"
)
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def models():
    found = catalog_models(read_catalog(CATALOG.read_text()), today=TODAY)
    return {m.key: m for m in found}


def test_only_model_types_dify_knows_are_imported(models):
    assert "sample_spec" not in models
    assert "1024-x-1024/50-steps/bedrock/amazon.nova-canvas-v1:0" not in models
    types = {m.key: m.model_type for m in models.values()}
    assert types["gpt-4o"] == "llm"
    assert types["azure/gpt-3.5-turbo-instruct-0914"] == "llm"
    assert types["text-embedding-3-small"] == "text-embedding"
    assert types["amazon.rerank-v1:0"] == "rerank"
    assert types["whisper-1"] == "speech2text"
    assert types["tts-1"] == "tts"
    assert types["omni-moderation-latest"] == "moderation"


def test_prices_are_exact_decimals_per_million_tokens(models):
    assert models["gpt-4o"].model["pricing"] == {
        "input": "2.5",
        "output": "10",
        "unit": "0.000001",
        "currency": "USD",
    }
    assert models["text-embedding-3-small"].model["pricing"]["input"] == "0.02"
    assert per_million(read_catalog('{"p": 2e-07}')["p"]) == "0.2"
    assert per_million(read_catalog('{"p": 1.1e-07}')["p"]) == "0.11"


def test_flags_become_features_and_limits_become_properties_and_rules(models):
    gpt = models["gpt-4o"].model
    assert set(gpt["features"]) == {
        "tool-call",
        "stream-tool-call",
        "multi-tool-call",
        "vision",
        "document",
        "structured-output",
    }
    assert gpt["model_properties"] == {"mode": "chat", "context_size": 128000}
    max_tokens = next(r for r in gpt["parameter_rules"] if r["name"] == "max_tokens")
    assert max_tokens["max"] == 16384
    completion = models["azure/gpt-3.5-turbo-instruct-0914"].model
    assert completion["model_properties"]["mode"] == "completion"
    assert completion["model"] == "azure/gpt-3.5-turbo-instruct-0914"  # provider is azure_text
    no_context = models["databricks/databricks-qwen3-next-80b-a3b-instruct"].model
    assert no_context["model"] == "databricks-qwen3-next-80b-a3b-instruct"  # its prefix dropped


def test_a_past_deprecation_date_marks_the_model_deprecated(models):
    assert models["azure_ai/mistral-nemo"].model.get("deprecated") is True
    assert "deprecated" not in models["tts-1"].model  # its date is still ahead


def test_missing_prices_and_context_sizes_are_warned_about_not_zeroed(models):
    no_price = models["twelvelabs.pegasus-1-2-v1:0"]
    assert "pricing" not in no_price.model
    assert any("no price" in w or "not per token" in w for w in no_price.warnings)
    no_context = models["databricks/databricks-qwen3-next-80b-a3b-instruct"]
    assert "context_size" not in no_context.model["model_properties"]
    assert any("context size" in w for w in no_context.warnings)
    assert any("per second" in w for w in models["whisper-1"].warnings)


def test_filters_by_provider_and_type():
    data = read_catalog(CATALOG.read_text())
    found = catalog_models(data, providers={"openai"}, model_types={"llm"}, today=TODAY)
    assert [m.key for m in found] == ["gpt-4o"]


@pytest.mark.parametrize("text", ["not json", "[1, 2]"])
def test_a_broken_catalog_is_refused_with_one_line(text):
    with pytest.raises(PluginSourceError):
        read_catalog(text)


@pytest.mark.sdk
def test_every_imported_definition_is_a_valid_model_for_the_sdk(models):
    imported = [m.model for m in models.values()]  # with or without warnings
    document = plugin_document(models=imported)
    document["provider"]["supported_model_types"] = sorted({m["model_type"] for m in imported})
    report = validate(document)
    assert report.ok, report.errors
    load = load_tree_with_sdk(render(report.spec))
    assert load.ok, load.error
    assert sorted(m["model"] for m in load.models) == sorted(m["model"] for m in imported)


def one_entry(**entry):
    text = "{" + ", ".join(f'"{k}": {v}' for k, v in entry.items()) + "}"
    [found] = catalog_models(read_catalog('{"m": ' + text + "}"), today=TODAY)
    return found


def test_an_llm_without_an_output_price_says_so():
    found = one_entry(mode='"chat"', max_input_tokens=1000, input_cost_per_token="3e-06")
    assert found.model["pricing"] == {"input": "3", "unit": "0.000001", "currency": "USD"}
    assert any("no output price" in w for w in found.warnings)


def test_the_legacy_max_tokens_is_not_taken_for_the_context_size():
    found = one_entry(
        mode='"chat"', max_tokens=4096, input_cost_per_token=0, output_cost_per_token=0
    )
    assert "context_size" not in found.model["model_properties"]
    assert found.model["pricing"]["input"] == "0"  # a free model is priced 0, on purpose
    assert any("context size" in w for w in found.warnings)


def test_a_definition_without_a_context_size_is_flagged_on_that_field(models):
    lacking = models["databricks/databricks-qwen3-next-80b-a3b-instruct"].model
    report = validate(plugin_document(models=[lacking]))
    assert report.at("models[0].model_properties.context_size")


@pytest.mark.sdk
@pytest.mark.slow
def test_every_complete_definition_of_the_whole_snapshot_loads_in_the_sdk():
    """One plugin per provider (ids are unique within a provider): 3,800 models, ~20 s."""
    by_provider = defaultdict(dict)
    for found in catalog_models(read_catalog(gzip.decompress(SNAPSHOT.read_bytes())), today=TODAY):
        by_provider[found.provider].setdefault(identity(found.model), found.model)
    trees, expected = [], []
    for provider, chosen in sorted(by_provider.items()):
        document = plugin_document(models=list(chosen.values()))
        document["provider"]["supported_model_types"] = sorted({t for t, _ in chosen})
        report = validate(document)
        assert report.ok, (provider, report.errors[:3])
        trees.append(render(report.spec))
        expected.append(sorted(chosen))
    assert sum(map(len, expected)) > 3000
    for provider, load, wanted in zip(
        sorted(by_provider), load_trees_with_sdk(trees), expected, strict=True
    ):
        assert load.ok, (provider, load.error)
        assert sorted((m["model_type"], m["model"]) for m in load.models) == wanted, provider


def identity(model):
    return model["model_type"], model["model"]


def test_the_trimmed_copy_is_entries_of_the_shipped_snapshot_unchanged():
    trimmed, whole = (
        read_catalog(CATALOG.read_text()),
        read_catalog(gzip.decompress(SNAPSHOT.read_bytes())),
    )
    assert {key: whole[key] for key in trimmed} == trimmed


def test_a_search_ranks_the_exact_name_then_names_starting_with_it_then_the_rest():
    """Issue 16: in the whole snapshot, gpt-4o itself was row 40 of 67."""
    found = ranked_by_search(
        catalog_models(read_catalog(gzip.decompress(SNAPSHOT.read_bytes()))), "GPT-4o"
    )
    assert found[0].key == "gpt-4o"

    def kind(model):
        names = {model.key.lower(), model.model["model"].lower()}
        return 0 if "gpt-4o" in names else 1 if any(n.startswith("gpt-4o") for n in names) else 2

    kinds = [kind(m) for m in found]
    assert kinds == sorted(kinds) and set(kinds) == {0, 1, 2}
    assert all("gpt-4o" in m.key.lower() for m in found)


def test_reasoning_structured_output_document_and_parallel_calls_become_features(models):
    mistral = models["mistral/mistral-large-4"].model  # reasoning, response schema, vision
    assert {"agent-thought", "structured-output", "vision", "tool-call"} <= set(mistral["features"])
    assert "document" in models["gpt-4o"].model["features"]  # supports_pdf_input
    assert "multi-tool-call" in models["gpt-4o"].model["features"]  # parallel function calling


def test_cache_and_tiered_prices_are_kept_as_notes(models):
    assert models["xai/grok-4.5"].notes == [
        "cache_read_input_token_cost: 0.3 USD per 1M tokens",
        "cache_read_input_token_cost_above_200k_tokens: 0.6 USD per 1M tokens",
        "input_cost_per_token_above_200k_tokens: 4 USD per 1M tokens",
        "output_cost_per_token_above_200k_tokens: 12 USD per 1M tokens",
    ]
    assert models["tts-1"].notes == []


def test_the_whole_trimmed_catalog_passes_the_check_a_loaded_one_gets():
    assert checked_catalog(CATALOG.read_text()) == read_catalog(CATALOG.read_text())


@pytest.mark.parametrize(
    "text, message",
    [
        ("not json", "the catalog is not valid JSON"),
        ("[1]", "must map model names to their details"),
        ('{"m": 3}', "the catalog entry 'm' is not an object"),
        ('{"m": {"mode": "image_generation"}}', "no entry of the catalog has a mode Dify"),
        (
            '{"m": {"mode": "chat", "input_cost_per_token": "cheap"}}',
            "the catalog entry 'm' has a input_cost_per_token that is not a number",
        ),
        ('{"m": {"mode": "chat", "max_input_tokens": true}}', "max_input_tokens that is not"),
    ],
)
def test_a_catalog_that_is_not_one_is_refused_with_one_line(text, message):
    with pytest.raises(PluginSourceError, match=message) as refused:
        checked_catalog(text)
    assert "\n" not in str(refused.value)
