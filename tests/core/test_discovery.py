"""Model discovery's matching: an API's model list against a library and a small catalog."""

import json
from datetime import date

import pytest

from designer.core.catalog import catalog_models, read_catalog
from designer.core.discovery import (
    CatalogIndex,
    DiscoveryError,
    Listed,
    match_models,
    models_url,
    read_listing,
    with_catalog_entry,
)
from designer.core.pipeline import run_pipeline
from tests.core.factories import plugin_document

CATALOG = {
    "gpt-4o": {
        "litellm_provider": "openai",
        "mode": "chat",
        "max_input_tokens": 128000,
        "max_output_tokens": 16384,
        "input_cost_per_token": 2.5e-06,
        "output_cost_per_token": 1e-05,
        "supports_function_calling": True,
        "supports_vision": True,
    },
    "azure/gpt-4o": {
        "litellm_provider": "azure",
        "mode": "chat",
        "max_input_tokens": 128000,
        "input_cost_per_token": 5e-06,
        "output_cost_per_token": 1.5e-05,
    },
    "deepseek/deepseek-chat": {
        "litellm_provider": "deepseek",
        "mode": "chat",
        "max_input_tokens": 65536,
        "input_cost_per_token": 2.7e-07,
        "output_cost_per_token": 1.1e-06,
        "supports_function_calling": True,
    },
    "together_ai/meta-llama/Llama-3.1-8B-Instruct": {
        "litellm_provider": "together_ai",
        "mode": "chat",
        "max_input_tokens": 131072,
        "input_cost_per_token": 1.8e-07,
        "output_cost_per_token": 1.8e-07,
    },
    "text-embedding-3-small": {
        "litellm_provider": "openai",
        "mode": "embedding",
        "max_input_tokens": 8191,
        "input_cost_per_token": 2e-08,
    },
    "mystery/unpriced-chat": {"litellm_provider": "mystery", "mode": "chat"},
}


@pytest.fixture(scope="module")
def catalog():
    data = read_catalog(json.dumps(CATALOG))
    return CatalogIndex(catalog_models(data, today=date(2026, 12, 1)))


def listing(*ids, **extra) -> bytes:
    return json.dumps({"object": "list", "data": [{"id": i, **extra} for i in ids]}).encode()


def by_id(matches):
    return {m.id: m for m in matches}


def test_the_listing_is_read_in_order_each_id_once():
    body = json.dumps(
        {
            "data": [
                {"id": "b", "owned_by": "me"},
                {"id": "a", "type": "embedding", "context_length": 512},
                {"id": "b"},
                {"object": "model"},  # no id: not a model
                {"id": "x" * 300},  # not an id a person picks
            ]
        }
    )
    assert read_listing(body) == [
        Listed("b", owned_by="me"),
        Listed("a", model_type="text-embedding", context_size=512),
    ]
    assert [m.id for m in read_listing(json.dumps([{"id": "bare"}]))] == ["bare"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"<html>login</html>", "did not answer with JSON"),
        (b'{"error": {"message": "nope"}}', 'no "data" list'),
        (json.dumps({"data": [{"id": str(i)} for i in range(2001)]}).encode(), "2001 models"),
    ],
)
def test_an_answer_that_is_no_model_list_says_what_it_is(body, says):
    with pytest.raises(DiscoveryError, match=says):
        read_listing(body)


def test_models_url_joins_the_endpoint_with_one_slash():
    assert models_url("https://api.example.com/v1/") == "https://api.example.com/v1/models"
    assert models_url("https://api.example.com/v1") == "https://api.example.com/v1/models"


def test_a_library_definition_wins_and_is_added_by_reference(catalog):
    library = [(7, {"model": "gpt-4o", "model_type": "llm", "pricing": {"input": "1"}})]
    found = by_id(match_models(read_listing(listing("gpt-4o")), library, catalog))["gpt-4o"]
    assert found.source == "library"
    assert found.library_pk == 7
    assert found.model == {
        "model": "gpt-4o",
        "model_type": "llm",
        "pricing": {"input": "1"},
        "library": "7",
    }
    assert library[0][1].get("library") is None  # the library's own definition is untouched


def test_the_catalog_gives_context_prices_and_features(catalog):
    found = by_id(match_models(read_listing(listing("gpt-4o")), [], catalog))["gpt-4o"]
    assert found.source == "catalog"
    assert found.catalog_key == "gpt-4o"  # the first-party entry before azure's
    assert found.alternatives == ["azure/gpt-4o"]
    assert found.model["model_properties"]["context_size"] == 128000
    assert found.model["pricing"]["input"] == "2.5"
    assert "tool-call" in found.model["features"] and "vision" in found.model["features"]
    assert found.missing == []


def test_the_endpoints_own_provider_comes_first(catalog):
    matches = match_models(
        read_listing(listing("gpt-4o")), [], catalog, endpoint="https://x.azure.com/openai"
    )
    assert matches[0].catalog_key == "azure/gpt-4o"
    assert catalog.provider_for("https://api.together.xyz/v1") == "together_ai"
    assert catalog.provider_for("https://api.deepseek.com") == "deepseek"
    assert catalog.provider_for("http://127.0.0.1:9/v1") is None


def test_ids_match_without_provider_prefix_case_or_organisation(catalog):
    ids = ("deepseek-chat", "META-LLAMA/llama-3.1-8b-instruct", "Llama-3.1-8B-Instruct")
    matches = by_id(match_models(read_listing(listing(*ids)), [], catalog))
    assert {m.catalog_key for m in matches.values()} == {
        "deepseek/deepseek-chat",
        "together_ai/meta-llama/Llama-3.1-8B-Instruct",
    }
    # The model keeps the id the API lists: that is what the plugin's calls send.
    assert matches["Llama-3.1-8B-Instruct"].model["model"] == "Llama-3.1-8B-Instruct"
    assert matches["Llama-3.1-8B-Instruct"].model["label"] == {"en_US": "Llama-3.1-8B-Instruct"}


def test_the_listing_fills_what_the_catalog_leaves_open(catalog):
    body = listing("unpriced-chat", context_length=32768)
    found = match_models(read_listing(body), [], catalog)[0]
    assert found.source == "catalog"
    assert found.model["model_properties"]["context_size"] == 32768
    assert found.notes == ["context size from the API's listing"]
    assert found.missing == ["the catalog gives no price: no pricing imported"]


def test_an_unknown_model_is_minimal_and_says_what_is_left(catalog):
    body = json.dumps(
        {"data": [{"id": "acme-large"}, {"id": "acme-embed-v2"}, {"id": "acme-7b", "type": "chat"}]}
    )
    matches = by_id(match_models(read_listing(body), [], catalog))
    large = matches["acme-large"]
    assert large.source == "minimal"
    assert large.model_type == "llm"
    assert large.model == {
        "model": "acme-large",
        "label": {"en_US": "acme-large"},
        "model_type": "llm",
        "model_properties": {"mode": "chat"},
        "parameter_rules": [],
    }
    assert "context size" in large.missing and "pricing" in large.missing
    assert large.notes == ["type guessed from the id: llm"]
    assert matches["acme-embed-v2"].model_type == "text-embedding"
    assert matches["acme-7b"].notes == []  # the listing said chat


def test_models_the_plugin_has_are_marked(catalog):
    matches = match_models(
        read_listing(listing("gpt-4o", "deepseek-chat")),
        [],
        catalog,
        present={("llm", "gpt-4o")},
    )
    assert [m.in_plugin for m in matches] == [True, False]


def test_another_catalog_entry_can_be_chosen(catalog):
    found = match_models(read_listing(listing("gpt-4o")), [], catalog)[0]
    azure = catalog.candidates("azure/gpt-4o")[0]
    chosen = with_catalog_entry(found, azure)
    assert chosen.catalog_key == "azure/gpt-4o"
    assert chosen.alternatives == ["gpt-4o"]
    assert chosen.model["model"] == "gpt-4o"
    assert chosen.model["pricing"]["input"] == "5"


def test_every_kind_of_match_makes_a_plugin_without_errors(catalog):
    library = [(3, {**catalog.candidates("deepseek-chat")[0].model})]
    body = listing("deepseek-chat", "gpt-4o", "text-embedding-3-small", "acme-large")
    matches = match_models(read_listing(body), library, catalog)
    document = plugin_document()
    document["models"] = [{k: v for k, v in m.model.items() if k != "library"} for m in matches]
    document["provider"]["supported_model_types"] = sorted({m.model_type for m in matches})
    result = run_pipeline(document)
    assert result.report.errors == []
    assert "models/llm/acme-large.yaml" in result.files
