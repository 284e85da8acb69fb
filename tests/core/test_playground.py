"""The playground: a chat streamed through the plugin's own code, against the fake server."""

import pytest

from designer.core.playground import answer_from, split_reasoning
from designer.core.playground_run import chat
from tests.core.factories import llm_model, plugin_document
from tests.generated.fake_openai import GOOD_KEY, REASONING, running_fake_openai

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "The weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}


@pytest.fixture(scope="module")
def fake():
    with running_fake_openai() as fake:
        yield fake


def document():
    return plugin_document(models=[llm_model("fake-reasoner"), llm_model("gpt-4o-mini")])


def run_chat(fake, model="gpt-4o-mini", key=GOOD_KEY, allowed="127.0.0.1", **request):
    batches = []
    request = {
        "model": model,
        "credentials": {"api_key": key, "endpoint_url": fake.url},
        "messages": [{"role": "user", "content": "hello there"}],
        **request,
    }
    chat(document(), request, batches.append, allowed_hosts=allowed, time_limit=60)
    return batches


def test_reasoning_in_think_tags_is_shown_apart():
    assert split_reasoning("<think>\nplan\n</think>answer") == ("plan", "answer", False)
    assert split_reasoning("<think>\nstill going") == ("still going", "", True)
    assert split_reasoning("plain") == ("", "plain", False)


def test_events_make_the_answer():
    answer = answer_from(
        [
            {"kind": "text", "text": "<think>\nhm"},
            {"kind": "text", "text": "\n</think>Hi"},
            {
                "kind": "tool_calls",
                "calls": [{"id": "c", "function": {"name": "f", "arguments": "{}"}}],
            },
            {
                "kind": "usage",
                "usage": {"total_tokens": 3, "total_price": "0.1", "currency": "USD"},
            },
            {"kind": "done", "finish_reason": "stop"},
        ]
    )
    assert (answer.reasoning, answer.text, answer.done) == ("hm", "Hi", True)
    assert answer.tool_calls == [{"id": "c", "name": "f", "arguments": "{}"}]
    assert answer.usage["total_price"] == "0.1"


def test_the_answer_streams_with_reasoning_and_usage_priced_from_the_yaml(fake):
    batches = run_chat(fake, model="fake-reasoner")
    answer = answer_from([e for batch in batches for e in batch])
    assert answer.error is None, answer.message
    assert answer.done
    assert answer.text == "echo: hello there"
    assert answer.reasoning == REASONING.strip()
    # 7 prompt tokens at 0.50 and 5 completion tokens at 1.50 per 1M (llm_model's pricing)
    assert answer.usage["prompt_tokens"] == 7 and answer.usage["completion_tokens"] == 5
    assert answer.usage["total_price"] == "0.0000110"
    assert answer.usage["currency"] == "USD"
    texts = [e for batch in batches for e in batch if e["kind"] == "text"]
    assert len(texts) > 3  # the pieces arrived one by one, not as one answer


def test_an_offered_tool_is_called(fake):
    batches = run_chat(fake, tools=[WEATHER_TOOL])
    answer = answer_from([e for batch in batches for e in batch])
    assert answer.tool_calls[0]["name"] == "get_weather"
    assert answer.tool_calls[0]["arguments"] == '{"city": "Paris"}'


def test_a_wrong_key_is_dify_s_authorization_error(fake):
    answer = answer_from([e for b in run_chat(fake, key="wrong") for e in b])
    assert answer.error == "authorization"
    assert "credentials" in answer.message  # the plugin's mapped message, never a traceback
    assert "Traceback" not in answer.message


def test_the_guard_refuses_a_local_address_not_listed(fake):
    before = len(fake.requests)
    answer = answer_from([e for b in run_chat(fake, allowed="") for e in b])
    assert answer.error == "connection"
    assert "PLAYGROUND_ALLOWED_HOSTS" in answer.message
    assert len(fake.requests) == before  # nothing reached the server


def test_a_slow_endpoint_stops_at_the_time_limit(fake):
    batches = []
    request = {
        "model": "gpt-4o-mini",
        "credentials": {"api_key": "slow-30", "endpoint_url": fake.url},
        "messages": [{"role": "user", "content": "hi"}],
    }
    chat(document(), request, batches.append, allowed_hosts="127.0.0.1", time_limit=5)
    answer = answer_from([e for b in batches for e in b])
    assert answer.error == "timeout"
    assert answer.done
