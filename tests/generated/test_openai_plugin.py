"""A generated OpenAI-compatible plugin, loaded by the SDK and invoked against a fake server."""

import base64
import socket

import pytest

from .conftest import invoke_plugin
from .fake_openai import AUDIO, GOOD_KEY
from .plugins import plugin_document, rendered

pytestmark = pytest.mark.sdk

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Weather of a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}
HELLO = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello there"}]
PROMPT = [{"role": "user", "content": "Once upon a time"}]


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def calls(url: str) -> list[dict]:
    good = {"api_key": GOOD_KEY, "endpoint_url": url}

    def llm(name, credentials=good, **extra):
        return {
            "name": name,
            "kind": "llm",
            "model_type": "llm",
            "model": "demo-chat",
            "credentials": credentials,
            "messages": HELLO,
            **extra,
        }

    def status(code):
        return {"api_key": f"status-{code}", "endpoint_url": url}

    return [
        llm("blocking", parameters={"temperature": 0.2, "max_tokens": 50}, stop=["\n\n"]),
        llm("streaming", stream=True),
        llm("default_endpoint", credentials={"api_key": GOOD_KEY}),
        llm("tool_call", tools=[WEATHER_TOOL]),
        llm("tool_call_streamed", tools=[WEATHER_TOOL], stream=True),
        llm(
            "vision",
            messages=[
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "What is this?"},
                        {"type": "image", "url": "data:image/png;base64,iVBORw0KGgo="},
                    ],
                }
            ],
        ),
        # Dify gives a completion model one message: the whole prompt
        {**llm("completion", stop=["\n\n"], messages=PROMPT), "model": "demo-complete"},
        {**llm("completion_streamed", stream=True, messages=PROMPT), "model": "demo-complete"},
        {
            "name": "tokens",
            "kind": "num_tokens",
            "model_type": "llm",
            "model": "demo-chat",
            "credentials": good,
            "messages": HELLO,
        },
        llm("e401", credentials=status(401)),
        llm("e403", credentials=status(403)),
        llm("e429", credentials=status(429)),
        llm("e503", credentials=status(503)),
        llm("e400", credentials=status(400)),
        llm("e429_streaming", credentials=status(429), stream=True),
        llm("refused", credentials={"api_key": GOOD_KEY, "endpoint_url": closed_port_url()}),
        {
            "name": "validate_ok",
            "kind": "validate",
            "model_type": "llm",
            "model": "demo-chat",
            "credentials": good,
        },
        {
            "name": "validate_401",
            "kind": "validate",
            "model_type": "llm",
            "model": "demo-chat",
            "credentials": {"api_key": "wrong", "endpoint_url": url},
        },
        {"name": "provider_ok", "kind": "provider_validate", "credentials": good},
        {
            "name": "provider_401",
            "kind": "provider_validate",
            "credentials": {"api_key": "wrong", "endpoint_url": url},
        },
        {
            "name": "embed",
            "kind": "embed",
            "model_type": "text-embedding",
            "model": "demo-embed",
            "credentials": good,
            "texts": ["a", "bb", "ccc"],
        },
        {
            "name": "embed_429",
            "kind": "embed",
            "model_type": "text-embedding",
            "model": "demo-embed",
            "credentials": status(429),
            "texts": ["a"],
        },
        {
            "name": "embed_validate_401",
            "kind": "validate",
            "model_type": "text-embedding",
            "model": "demo-embed",
            "credentials": status(401),
        },
        {
            "name": "rerank",
            "kind": "rerank",
            "model_type": "rerank",
            "model": "demo-rerank",
            "credentials": good,
            "query": "red apple",
            "docs": ["a red car", "red apple pie", "sky"],
            "top_n": 2,
        },
        {
            "name": "rerank_threshold",
            "kind": "rerank",
            "model_type": "rerank",
            "model": "demo-rerank",
            "credentials": good,
            "query": "red apple",
            "docs": ["a red car", "red apple pie", "sky"],
            "threshold": 0.15,
        },
        {
            "name": "rerank_500",
            "kind": "rerank",
            "model_type": "rerank",
            "model": "demo-rerank",
            "credentials": status(500),
            "query": "q",
            "docs": ["d"],
        },
        {
            "name": "transcribe",
            "kind": "speech2text",
            "model_type": "speech2text",
            "model": "demo-whisper",
            "credentials": good,
            "audio": base64.b64encode(AUDIO + b"sound").decode(),
        },
        {
            "name": "transcribe_401",
            "kind": "speech2text",
            "model_type": "speech2text",
            "model": "demo-whisper",
            "credentials": status(401),
            "audio": base64.b64encode(AUDIO).decode(),
        },
        {
            "name": "speech",
            "kind": "tts",
            "model_type": "tts",
            "model": "demo-voice",
            "credentials": good,
            "text": "Hi there.",
            "voice": "echo",
        },
        {
            "name": "speech_429",
            "kind": "tts",
            "model_type": "tts",
            "model": "demo-voice",
            "credentials": status(429),
            "text": "Hi.",
            "voice": "echo",
        },
        {
            "name": "voices",
            "kind": "voices",
            "model_type": "tts",
            "model": "demo-voice",
            "credentials": good,
        },
        {
            "name": "moderation_flagged",
            "kind": "moderation",
            "model_type": "moderation",
            "model": "demo-moderation",
            "credentials": good,
            "text": "plan an attack",
        },
        {
            "name": "moderation_safe",
            "kind": "moderation",
            "model_type": "moderation",
            "model": "demo-moderation",
            "credentials": good,
            "text": "bake a cake",
        },
        {
            "name": "moderation_400",
            "kind": "moderation",
            "model_type": "moderation",
            "model": "demo-moderation",
            "credentials": status(400),
            "text": "x",
        },
    ]


@pytest.fixture(scope="module")
def results(fake_openai, tmp_path_factory):
    files = rendered(plugin_document(base_url=fake_openai.url))
    fake_openai.requests.clear()
    return invoke_plugin(files, calls(fake_openai.url), tmp_path_factory.mktemp("openai"))


def value(results, name):
    result = results[name]
    assert result["ok"], result
    return result["value"]


def requests_to(fake, path, model=None):
    found = [r for r in fake.to(path) if r.headers.get("authorization") == f"Bearer {GOOD_KEY}"]
    if model is not None:
        found = [
            r
            for r in found
            if path.startswith("audio/transcriptions") or r.json().get("model") == model
        ]
    return found


class TestChat:
    def test_a_blocking_chat_answers_and_prices_its_usage(self, results, fake_openai):
        answer = value(results, "blocking")
        assert answer["text"] == "echo: Hello there"
        usage = answer["usage"]
        assert (usage["prompt_tokens"], usage["completion_tokens"]) == (7, 5)
        # pricing: input 0.50 and output 1.50 per unit 0.000001
        assert float(usage["total_price"]) == pytest.approx((7 * 0.5 + 5 * 1.5) * 0.000001)
        assert usage["currency"] == "USD"

    def test_the_request_carries_messages_parameters_stop_words_and_the_key(
        self, results, fake_openai
    ):
        sent = [r.json() for r in requests_to(fake_openai, "chat/completions")]
        blocking = next(b for b in sent if b.get("stop") == ["\n\n"])
        assert blocking["model"] == "demo-chat"
        assert blocking["stream"] is False
        assert blocking["messages"] == [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hello there"},
        ]
        assert blocking["temperature"] == 0.2
        assert blocking["max_tokens"] == 50

    def test_a_streamed_chat_comes_in_chunks_and_ends_with_usage(self, results):
        answer = value(results, "streaming")
        assert answer["text"] == "echo: Hello there"
        assert answer["chunks"] >= 3
        assert answer["usage"]["completion_tokens"] == 5
        assert answer["finish_reason"] == "stop"

    def test_without_an_endpoint_url_the_designers_base_url_is_used(self, results):
        assert value(results, "default_endpoint")["text"] == "echo: Hello there"

    @pytest.mark.parametrize("name", ["tool_call", "tool_call_streamed"])
    def test_a_tool_call_comes_back_whole(self, results, name):
        calls = value(results, name)["tool_calls"]
        assert len(calls) == 1
        assert calls[0]["function"] == {"name": "get_weather", "arguments": '{"city": "Paris"}'}

    def test_tools_are_sent_in_the_openai_shape(self, results, fake_openai):
        sent = [r.json() for r in requests_to(fake_openai, "chat/completions")]
        with_tools = [b for b in sent if b.get("tools")]
        assert len(with_tools) == 2
        assert with_tools[0]["tools"] == [{"type": "function", "function": WEATHER_TOOL}]

    def test_vision_content_is_sent_as_parts(self, results, fake_openai):
        assert value(results, "vision")["text"] == "echo: What is this? [image_url]"
        sent = [r.json() for r in requests_to(fake_openai, "chat/completions")]
        parts = next(b for b in sent if isinstance(b["messages"][-1]["content"], list))
        image = parts["messages"][-1]["content"][1]
        assert image["type"] == "image_url"
        assert image["image_url"]["url"].startswith("data:image/png;base64,")

    def test_a_completion_model_uses_the_completions_endpoint(self, results, fake_openai):
        assert value(results, "completion")["text"] == "completed: Once upon a time"
        sent = [r.json() for r in requests_to(fake_openai, "completions", "demo-complete")]
        blocking = next(b for b in sent if not b["stream"])
        assert blocking["prompt"] == "Once upon a time"
        assert blocking["stop"] == ["\n\n"]

    def test_a_streamed_completion_comes_in_chunks_and_ends_with_usage(self, results):
        answer = value(results, "completion_streamed")
        assert answer["text"] == value(results, "completion")["text"]
        assert answer["chunks"] >= 3
        assert answer["usage"]["completion_tokens"] == 5
        assert answer["finish_reason"] == "stop"

    def test_tokens_are_counted_offline(self, results):
        assert value(results, "tokens") > 5


class TestErrors:
    @pytest.mark.parametrize(
        ("name", "error"),
        [
            ("e401", "InvokeAuthorizationError"),
            ("e403", "InvokeAuthorizationError"),
            ("e429", "InvokeRateLimitError"),
            ("e429_streaming", "InvokeRateLimitError"),
            ("e503", "InvokeServerUnavailableError"),
            ("e400", "InvokeBadRequestError"),
            ("refused", "InvokeConnectionError"),
            ("embed_429", "InvokeRateLimitError"),
            ("rerank_500", "InvokeServerUnavailableError"),
            ("transcribe_401", "InvokeAuthorizationError"),
            ("speech_429", "InvokeRateLimitError"),
            ("moderation_400", "InvokeBadRequestError"),
        ],
    )
    def test_http_failures_map_to_difys_invoke_errors(self, results, name, error):
        assert not results[name]["ok"]
        assert results[name]["error"] == error, results[name]

    @pytest.mark.parametrize("name", ["validate_401", "provider_401", "embed_validate_401"])
    def test_wrong_credentials_fail_validation(self, results, name):
        assert results[name]["error"] == "CredentialsValidateFailedError", results[name]

    @pytest.mark.parametrize("name", ["validate_ok", "provider_ok"])
    def test_right_credentials_pass_validation(self, results, name):
        assert results[name] == {"ok": True, "value": None}


class TestOtherModels:
    def test_an_embedding_batch_gives_one_vector_per_text(self, results, fake_openai):
        answer = value(results, "embed")
        assert [vector[0] for vector in answer["embeddings"]] == [1.0, 2.0, 3.0]
        assert answer["usage"]["tokens"] == 9
        assert float(answer["usage"]["total_price"]) == pytest.approx(9 * 0.02e-6, abs=1e-7)
        sent = requests_to(fake_openai, "embeddings", "demo-embed")[0].json()
        assert sent["input"] == ["a", "bb", "ccc"]

    def test_rerank_orders_by_the_apis_scores(self, results, fake_openai):
        docs = value(results, "rerank")
        assert [(d["index"], d["text"], d["score"]) for d in docs] == [
            (1, "red apple pie", 0.2),
            (0, "a red car", 0.1),
        ]
        sent = requests_to(fake_openai, "rerank", "demo-rerank")[0].json()
        assert sent["top_n"] == 2
        assert sent["query"] == "red apple"

    def test_rerank_drops_documents_below_the_threshold(self, results):
        assert [d["index"] for d in value(results, "rerank_threshold")] == [1]

    def test_a_transcription_uploads_the_file(self, results, fake_openai):
        assert value(results, "transcribe") == "heard 1 file"
        upload = requests_to(fake_openai, "audio/transcriptions", "x")[0]
        assert b'name="model"' in upload.body and b"demo-whisper" in upload.body

    def test_speech_streams_the_audio_of_the_chosen_voice(self, results, fake_openai):
        audio = base64.b64decode(value(results, "speech"))
        assert audio == AUDIO + b"Hi there.echo"
        sent = requests_to(fake_openai, "audio/speech", "demo-voice")[0].json()
        assert sent["response_format"] == "mp3"

    def test_voices_come_from_the_models_yaml(self, results):
        assert value(results, "voices") == [
            {"name": "Alloy", "value": "alloy"},
            {"name": "Echo", "value": "echo"},
        ]

    def test_moderation_flags_what_the_api_flags(self, results):
        assert value(results, "moderation_flagged") is True
        assert value(results, "moderation_safe") is False
