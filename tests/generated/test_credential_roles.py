"""Generated code reads the credential fields the design names as API key and endpoint, and the
fields a customizable model's form may lack have defaults: each model type called end to end."""

import base64

import pytest

from designer.core.validation import validate

from .conftest import invoke_plugin
from .fake_openai import AUDIO, GOOD_KEY
from .plugins import plugin_document, rendered
from .test_openai_plugin import HELLO, closed_port_url

pytestmark = pytest.mark.sdk

TYPES_AND_MODELS = [
    ("llm", "demo-chat"),
    ("text-embedding", "demo-embed"),
    ("rerank", "demo-rerank"),
    ("speech2text", "demo-whisper"),
    ("tts", "demo-voice"),
    ("moderation", "demo-moderation"),
]
PATHS = {
    "llm": "chat/completions",
    "text-embedding": "embeddings",
    "rerank": "rerank",
    "speech2text": "audio/transcriptions",
    "tts": "audio/speech",
    "moderation": "moderations",
}


def one_call_per_type(credentials: dict, models=TYPES_AND_MODELS, prefix="") -> list[dict]:
    shapes = {
        "llm": {"kind": "llm", "messages": HELLO},
        "text-embedding": {"kind": "embed", "texts": ["a", "bb"]},
        "rerank": {"kind": "rerank", "query": "red", "docs": ["red apple", "sky"]},
        "speech2text": {"kind": "speech2text", "audio": base64.b64encode(AUDIO).decode()},
        "tts": {"kind": "tts", "text": "Hi.", "voice": "alloy"},
        "moderation": {"kind": "moderation", "text": "hello"},
    }
    return [
        {
            "name": prefix + model_type,
            "model_type": model_type,
            "model": model,
            "credentials": credentials,
            **shapes[model_type],
        }
        for model_type, model in models
    ]


def renamed(document, key="nimbus_api_key", endpoint="base_url", name_them=True):
    fields = document["provider"]["provider_credential_schema"]["credential_form_schemas"]
    for field in fields:
        field["variable"] = {"api_key": key, "endpoint_url": endpoint}[field["variable"]]
    if name_them:
        document["code"]["api_key_field"] = key
        document["code"]["endpoint_field"] = endpoint
    return document


@pytest.fixture(scope="module")
def renamed_results(fake_openai, tmp_path_factory):
    # The base URL goes nowhere: a call reaching the fake server read the endpoint field.
    document = renamed(plugin_document(base_url=closed_port_url()))
    report = validate(document)
    assert report.ok, report.errors
    credentials = {"nimbus_api_key": GOOD_KEY, "base_url": fake_openai.url}
    calls = one_call_per_type(credentials)
    calls.append({"name": "provider", "kind": "provider_validate", "credentials": credentials})
    fake_openai.requests.clear()
    results = invoke_plugin(rendered(document), calls, tmp_path_factory.mktemp("renamed"))
    return results, list(fake_openai.requests)


@pytest.mark.parametrize("model_type", [t for t, _ in TYPES_AND_MODELS])
def test_renamed_key_and_endpoint_fields_reach_the_api(renamed_results, model_type, fake_openai):
    results, requests = renamed_results
    assert results[model_type]["ok"], results[model_type]
    sent = [r for r in requests if r.path == f"/v1/{PATHS[model_type]}"]
    assert sent, f"nothing reached {fake_openai.url}/{PATHS[model_type]}"
    assert {r.headers.get("authorization") for r in sent} == {f"Bearer {GOOD_KEY}"}


def test_provider_credentials_are_checked_with_the_renamed_fields(renamed_results):
    assert renamed_results[0]["provider"] == {"ok": True, "value": None}


@pytest.fixture(scope="module")
def inferred(fake_openai, tmp_path_factory):
    """A design (as imported plugins are) whose one secret field is not called api_key."""
    document = renamed(plugin_document(base_url=fake_openai.url), "token", "endpoint_url", False)
    assert validate(document).ok, validate(document).errors
    calls = one_call_per_type({"token": GOOD_KEY}, TYPES_AND_MODELS[:1])
    fake_openai.requests.clear()
    results = invoke_plugin(rendered(document), calls, tmp_path_factory.mktemp("inferred"))
    return results, list(fake_openai.requests)


def test_the_only_secret_field_is_the_key_when_none_is_named(inferred):
    results, requests = inferred
    assert results["llm"]["ok"], results["llm"]
    assert requests[-1].headers["authorization"] == f"Bearer {GOOD_KEY}"


MINIMAL_FORM = {
    "model": {"label": {"en_US": "Model name"}},
    "credential_form_schemas": [
        {"variable": "api_key", "label": {"en_US": "Key"}, "type": "secret-input"},
        {"variable": "endpoint_url", "label": {"en_US": "URL"}, "type": "text-input"},
    ],
}


@pytest.fixture(scope="module")
def minimal_form(fake_openai, tmp_path_factory):
    """Customizable models whose form has only the key and endpoint: no mode, no voices."""
    document = plugin_document(base_url=fake_openai.url, models=[])
    document["provider"]["configurate_methods"] = ["customizable-model"]
    document["provider"]["model_credential_schema"] = MINIMAL_FORM
    assert validate(document).ok, validate(document).errors
    credentials = {"api_key": GOOD_KEY, "endpoint_url": fake_openai.url}
    own = [(model_type, f"own-{model_type}") for model_type, _ in TYPES_AND_MODELS]
    calls = one_call_per_type(credentials, own)
    calls += one_call_per_type(credentials, own[:1], prefix="streamed_")
    calls[-1]["stream"] = True
    for model_type, model in own:
        calls.append(
            {
                "name": f"schema_{model_type}",
                "kind": "schema",
                "model_type": model_type,
                "model": model,
                "credentials": credentials,
            }
        )
    calls.append(
        {
            "name": "voices",
            "kind": "voices",
            "model_type": "tts",
            "model": "own-tts",
            "credentials": credentials,
        }
    )
    calls.append({**calls[0], "name": "validate", "kind": "validate"})
    return invoke_plugin(rendered(document), calls, tmp_path_factory.mktemp("minimal"))


@pytest.mark.parametrize(
    "name", [t for t, _ in TYPES_AND_MODELS] + ["streamed_llm", "voices", "validate"]
)
def test_a_customizable_model_without_optional_fields_works(minimal_form, name):
    assert minimal_form[name]["ok"], minimal_form[name]


def test_a_customizable_llm_without_mode_is_a_chat_model(minimal_form):
    assert minimal_form["llm"]["value"]["text"] == "echo: Hello there"
    assert minimal_form["schema_llm"]["value"]["model_properties"]["mode"] == "chat"


def test_a_customizable_tts_without_voices_speaks_with_the_default_voice(minimal_form):
    assert base64.b64decode(minimal_form["tts"]["value"]) == AUDIO + b"Hi.alloy"
    assert minimal_form["voices"]["value"] == [{"name": "alloy", "value": "alloy"}]
