"""A custom-API skeleton loads and says plainly what is left; customizable models get their
schema from the model credential form, in both styles."""

import base64

import pytest

from designer.core.validation import validate

from .conftest import invoke_plugin
from .fake_openai import GOOD_KEY
from .plugins import plugin_document, rendered
from .test_openai_plugin import HELLO, WEATHER_TOOL

pytestmark = pytest.mark.sdk

TODO = "TODO: call your API here"
OWN_LLM = {
    "mode": "chat",
    "context_size": "8192",
    "max_tokens_to_sample": "2048",
    "function_calling_type": "tool_call",
    "vision_support": "support",
}


def customizable(document):
    """Customizable models too; the generated code brings its model credential form."""
    document["provider"]["configurate_methods"] = ["predefined-model", "customizable-model"]
    assert validate(document).ok, validate(document).errors
    return document


def skeleton_calls():
    def call(name, kind, model_type, model, **extra):
        return {
            "name": name,
            "kind": kind,
            "model_type": model_type,
            "model": model,
            "credentials": {"api_key": "k"},
            **extra,
        }

    return [
        call("llm", "llm", "llm", "demo-chat", messages=HELLO),
        call("llm_stream", "llm", "llm", "demo-chat", messages=HELLO, stream=True),
        call("embed", "embed", "text-embedding", "demo-embed", texts=["a"]),
        call("rerank", "rerank", "rerank", "demo-rerank", query="q", docs=["d"]),
        call(
            "speech2text",
            "speech2text",
            "speech2text",
            "demo-whisper",
            audio=base64.b64encode(b"x").decode(),
        ),
        call("tts", "tts", "tts", "demo-voice", text="hi", voice="alloy"),
        call("moderation", "moderation", "moderation", "demo-moderation", text="hi"),
        call("validate", "validate", "llm", "demo-chat"),
        {"name": "provider", "kind": "provider_validate", "credentials": {"api_key": "k"}},
        call("tokens", "num_tokens", "llm", "demo-chat", messages=HELLO),
        {**call("own_schema", "schema", "llm", "my-model"), "credentials": OWN_LLM},
        {
            **call("own_embed_schema", "schema", "text-embedding", "my-embed"),
            "credentials": {"context_size": "1024", "max_chunks": "8"},
        },
        {
            **call("own_voices", "voices", "tts", "my-voice"),
            "credentials": {"voices": "nova, shimmer,"},
        },
    ]


@pytest.fixture(scope="module")
def skeleton(tmp_path_factory):
    files = rendered(customizable(plugin_document(api_style="custom")))
    return invoke_plugin(files, skeleton_calls(), tmp_path_factory.mktemp("custom"))


@pytest.mark.parametrize(
    "name", ["llm", "llm_stream", "embed", "rerank", "speech2text", "tts", "moderation"]
)
def test_every_skeleton_model_says_the_api_call_is_still_to_write(skeleton, name):
    assert not skeleton[name]["ok"]
    assert TODO in skeleton[name]["message"], skeleton[name]


@pytest.mark.parametrize("name", ["validate", "provider"])
def test_skeleton_credentials_fail_validation_with_the_same_reason(skeleton, name):
    assert skeleton[name]["error"] == "CredentialsValidateFailedError"
    assert TODO in skeleton[name]["message"]


def test_the_skeleton_counts_tokens_offline(skeleton):
    assert skeleton["tokens"]["value"] > 0


def test_a_customizable_llm_gets_its_features_and_limits_from_the_form(skeleton):
    schema = skeleton["own_schema"]["value"]
    assert schema["fetch_from"] == "customizable-model"
    assert set(schema["features"]) == {"tool-call", "vision"}
    assert schema["model_properties"] == {"mode": "chat", "context_size": 8192}
    rules = {rule["name"]: rule for rule in schema["parameter_rules"]}
    assert rules["max_tokens"]["max"] == 2048
    assert {"temperature", "top_p"} <= set(rules)


def test_a_customizable_embedding_model_gets_its_sizes_from_the_form(skeleton):
    properties = skeleton["own_embed_schema"]["value"]["model_properties"]
    assert properties == {"context_size": 1024, "max_chunks": 8}


def test_a_customizable_tts_model_offers_the_voices_named_in_the_form(skeleton):
    assert skeleton["own_voices"]["value"] == [
        {"name": "nova", "value": "nova"},
        {"name": "shimmer", "value": "shimmer"},
    ]


@pytest.fixture(scope="module")
def own_models(fake_openai, tmp_path_factory):
    document = customizable(plugin_document(base_url=fake_openai.url))
    credentials = {"api_key": GOOD_KEY, "endpoint_url": fake_openai.url, **OWN_LLM}
    calls = [
        {
            "name": "schema",
            "kind": "schema",
            "model_type": "llm",
            "model": "my-model",
            "credentials": credentials,
        },
        {
            "name": "tool_call",
            "kind": "llm",
            "model_type": "llm",
            "model": "my-model",
            "credentials": {**credentials, "endpoint_model_name": "remote-name"},
            "messages": HELLO,
            "tools": [WEATHER_TOOL],
            "stream": True,
        },
        {
            "name": "validate",
            "kind": "validate",
            "model_type": "llm",
            "model": "my-model",
            "credentials": credentials,
        },
        {
            "name": "embed",
            "kind": "embed",
            "model_type": "text-embedding",
            "model": "my-embed",
            "credentials": {"api_key": GOOD_KEY, "context_size": "512"},
            "texts": ["a", "b"],
        },
    ]
    return invoke_plugin(rendered(document), calls, tmp_path_factory.mktemp("own"))


def test_an_openai_compatible_customizable_llm_calls_tools_on_its_endpoint_name(
    own_models, fake_openai
):
    assert own_models["schema"]["value"]["model_properties"]["context_size"] == 8192
    result = own_models["tool_call"]
    assert result["ok"], result
    assert result["value"]["tool_calls"][0]["function"]["name"] == "get_weather"
    assert any(r.json()["model"] == "remote-name" for r in fake_openai.to("chat/completions"))
    assert own_models["validate"] == {"ok": True, "value": None}


def test_a_customizable_embedding_model_without_endpoint_uses_the_base_url(own_models):
    assert own_models["embed"]["ok"], own_models["embed"]
    assert len(own_models["embed"]["value"]["embeddings"]) == 2
