"""A custom-API skeleton loads and says plainly what is left; customizable models get their
schema from the model credential form, in both styles."""

import base64
from pathlib import Path

import pytest

from designer.core.validation import validate

from .conftest import invoke_plugin
from .fake_openai import AUDIO, GOOD_KEY
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


USER_CODE = Path(__file__).with_name("user_call_api.py").read_text(encoding="utf-8")
MARKER = "# --- inserted into models/common.py below this line ---\n"
NOT_WRITTEN_BODY = "    raise ApiCallNotWrittenError(NOT_WRITTEN)\n"


def with_call_api_written(files: dict[str, bytes]) -> dict[str, bytes]:
    """The skeleton with its call_api written as its docstring says (user_call_api.py)."""
    common = files["models/common.py"].decode()
    start = common.index("def call_api(")
    end = common.index(NOT_WRITTEN_BODY) + len(NOT_WRITTEN_BODY)
    written = common[:start] + USER_CODE.split(MARKER)[1] + common[end:]
    written = written.replace(
        "from collections.abc import Mapping", "import json\nfrom collections.abc import Mapping"
    )
    return {**files, "models/common.py": written.encode()}


def written_calls(url: str) -> list[dict]:
    good = {"api_key": GOOD_KEY, "endpoint_url": url}

    def call(name, kind, model_type, model, credentials=good, **extra):
        return {
            "name": name,
            "kind": kind,
            "model_type": model_type,
            "model": model,
            "credentials": credentials,
            **extra,
        }

    image = {"type": "image", "url": "data:image/png;base64,iVBORw0KGgo="}
    vision = [{"role": "user", "content": [{"type": "text", "text": "What is this?"}, image]}]
    return [
        call("blocking", "llm", "llm", "demo-chat", messages=HELLO),
        call("streaming", "llm", "llm", "demo-chat", messages=HELLO, stream=True),
        call("tools", "llm", "llm", "demo-chat", messages=HELLO, tools=[WEATHER_TOOL]),
        call(
            "tools_streamed",
            "llm",
            "llm",
            "demo-chat",
            messages=HELLO,
            tools=[WEATHER_TOOL],
            stream=True,
        ),
        call("vision", "llm", "llm", "demo-chat", messages=vision),
        call("embed", "embed", "text-embedding", "demo-embed", texts=["a", "bb"]),
        call(
            "rerank",
            "rerank",
            "rerank",
            "demo-rerank",
            query="red apple",
            docs=["a red car", "red apple pie", "sky"],
            top_n=2,
        ),
        call(
            "transcribe",
            "speech2text",
            "speech2text",
            "demo-whisper",
            audio=base64.b64encode(AUDIO + b"sound").decode(),
        ),
        call("speech", "tts", "tts", "demo-voice", text="Hi there.", voice="echo"),
        call("flagged", "moderation", "moderation", "demo-moderation", text="plan an attack"),
        call("validate_ok", "validate", "llm", "demo-chat"),
        call(
            "validate_401",
            "validate",
            "llm",
            "demo-chat",
            {"api_key": "wrong", "endpoint_url": url},
        ),
        {"name": "provider_ok", "kind": "provider_validate", "credentials": good},
        call(
            "e429",
            "llm",
            "llm",
            "demo-chat",
            {"api_key": "status-429", "endpoint_url": url},
            messages=HELLO,
        ),
    ]


@pytest.fixture(scope="module")
def written(fake_openai, tmp_path_factory):
    files = with_call_api_written(rendered(plugin_document(api_style="custom")))
    work = tmp_path_factory.mktemp("written")
    fake_openai.requests.clear()
    return invoke_plugin(files, written_calls(fake_openai.url), work)


def answer(results, name):
    assert results[name]["ok"], results[name]
    return results[name]["value"]


class TestSkeletonWithCallApiWritten:
    def test_a_blocking_and_a_streamed_chat_answer_with_the_apis_usage(self, written):
        for name in ("blocking", "streaming"):
            value = answer(written, name)
            assert value["text"] == "echo: Hello there"
            assert value["usage"]["completion_tokens"] == 5
        assert answer(written, "streaming")["chunks"] >= 3

    def test_the_stream_is_asked_for(self, written, fake_openai):
        sent = [r.json() for r in fake_openai.to("chat/completions")]
        assert {body.get("stream") for body in sent} == {True, False}

    @pytest.mark.parametrize("name", ["tools", "tools_streamed"])
    def test_tool_calls_come_back_whole(self, written, name):
        calls = answer(written, name)["tool_calls"]
        assert [c["function"] for c in calls] == [
            {"name": "get_weather", "arguments": '{"city": "Paris"}'}
        ]

    def test_image_content_reaches_the_api(self, written):
        assert answer(written, "vision")["text"] == "echo: What is this? [image_url]"

    def test_embeddings_rerank_and_moderation_read_the_apis_answer(self, written):
        assert [v[0] for v in answer(written, "embed")["embeddings"]] == [1.0, 2.0]
        ranked = answer(written, "rerank")
        assert [(d["index"], d["score"]) for d in ranked] == [(1, 0.2), (0, 0.1)]
        assert answer(written, "flagged") is True

    def test_audio_is_uploaded_and_speech_comes_back_as_bytes(self, written, fake_openai):
        assert answer(written, "transcribe") == "heard 1 file"
        assert (
            fake_openai.to("audio/transcriptions")[-1]
            .headers["content-type"]
            .startswith("multipart/form-data")
        )
        assert base64.b64decode(answer(written, "speech")) == AUDIO + b"Hi there.echo"

    def test_credentials_are_checked_and_failures_mapped(self, written):
        assert written["validate_ok"] == {"ok": True, "value": None}
        assert written["provider_ok"] == {"ok": True, "value": None}
        assert written["validate_401"]["error"] == "CredentialsValidateFailedError"
        assert written["e429"]["error"] == "InvokeRateLimitError"
