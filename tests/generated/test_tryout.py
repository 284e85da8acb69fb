"""Test connection on a generated plugin with every model type, against the fake server: the
plugin is built through the pipeline and run by Dify's SDK in a subprocess."""

import pytest

from designer.core.outbound import ALLOWED_HOSTS_VARIABLE
from designer.core.tryout import TryoutInputError, check_connection

from .fake_openai import GOOD_KEY
from .plugins import plugin_document

ALLOWED = "127.0.0.1"
WRONG_KEY = "sk-wrong-but-secret-42"


def run(document, credentials, models=None, **options):
    options.setdefault("allowed_hosts", ALLOWED)
    return {c.name: c for c in check_connection(document, credentials, models, **options)}


@pytest.fixture(scope="module")
def document(fake_openai):
    return plugin_document(base_url=fake_openai.url)


@pytest.fixture(scope="module")
def passing(fake_openai, document):
    fake_openai.requests.clear()
    return run(document, {"api_key": GOOD_KEY})


def test_every_check_passes_with_a_good_key(passing):
    assert list(passing) == [
        "endpoint",
        "validate_credentials",
        "llm demo-chat stream",
        "llm demo-chat blocking",
        "text-embedding demo-embed",
        "rerank demo-rerank",
        "speech2text demo-whisper",
        "tts demo-voice",
        "moderation demo-moderation",
    ]
    assert [c.line for c in passing.values()] == [f"ok {name}" for name in passing]
    assert all(c.latency_ms >= 0 for name, c in passing.items() if name != "endpoint")


def test_usage_and_cost_come_from_the_models_pricing(passing):
    usage = passing["llm demo-chat blocking"].usage
    assert usage["input_tokens"] == 7 and usage["output_tokens"] == 5
    assert usage["currency"] == "USD" and float(usage["cost"]) > 0
    assert passing["text-embedding demo-embed"].usage["total_tokens"] == 6


def test_the_stream_offers_one_tool_and_the_blocking_call_none(passing, fake_openai):
    chats = [r.json() for r in fake_openai.to("chat/completions")]
    streamed = [c for c in chats if c.get("stream")]
    blocking = [c for c in chats if not c.get("stream")]
    assert [t["function"]["name"] for t in streamed[-1]["tools"]] == ["get_weather"]
    assert not blocking[-1].get("tools")
    assert "called get_weather" in passing["llm demo-chat stream"].detail
    assert "echo: Say hello" in passing["llm demo-chat blocking"].detail


def test_each_model_type_made_its_real_call(passing, fake_openai):
    for path in ["embeddings", "rerank", "audio/transcriptions", "audio/speech", "moderations"]:
        assert fake_openai.to(path), path
    assert fake_openai.to("audio/transcriptions")[-1].body.count(b"RIFF") == 1  # the WAV
    assert "3 documents" in passing["rerank demo-rerank"].detail


def test_the_key_reaches_the_api_only_as_its_header(passing, fake_openai):
    assert set(fake_openai.header_values("authorization")) == {f"Bearer {GOOD_KEY}"}


@pytest.fixture(scope="module")
def failing(document):
    typed = [
        {"model": f"status-{code}", "model_type": "text-embedding"}
        for code in (401, 403, 404, 422, 429, 500)
    ]
    typed.append({"model": "slow-5", "model_type": "text-embedding"})
    return run(document, {"api_key": GOOD_KEY}, typed, call_time_limit=2)


@pytest.mark.parametrize(
    ("code", "error_type", "words"),
    [
        (401, "authorization", "invalid api key"),
        (403, "authorization", "may not use this model"),
        (404, "bad request", "does not exist"),
        (422, "bad request", "unprocessable"),
        (429, "rate limit", "rate limit reached"),
        (500, "unavailable", "server had an error"),
    ],
)
def test_each_http_failure_maps_to_difys_error_type_with_the_providers_message(
    failing, code, error_type, words
):
    check = failing[f"text-embedding status-{code}"]
    assert not check.ok
    assert check.error_type == error_type
    assert words in check.message
    assert "Traceback" not in check.message


def test_a_slow_api_is_cut_at_the_time_limit(failing):
    check = failing["text-embedding slow-5"]
    assert (check.ok, check.error_type) == (False, "connection")
    assert check.message == "no answer within 2s"
    assert 1900 <= check.latency_ms < 4000


def test_a_wrong_key_fails_validation_and_is_never_echoed(document):
    checks = run(document, {"api_key": WRONG_KEY}, ["demo-embed"])
    check = checks["validate_credentials"]
    assert (check.ok, check.error_type) == (False, "authorization")
    assert "Incorrect API key provided: ***" in check.message
    assert all(WRONG_KEY not in repr(c) for c in checks.values())


def test_an_internal_endpoint_is_refused_before_any_call(document, fake_openai):
    seen = len(fake_openai.requests)
    checks = run(document, {"api_key": GOOD_KEY}, allowed_hosts="")
    assert list(checks) == ["endpoint"]
    assert checks["endpoint"].error_type == "refused"
    assert ALLOWED_HOSTS_VARIABLE in checks["endpoint"].message
    assert len(fake_openai.requests) == seen


def test_a_redirect_to_a_refused_address_is_refused_in_the_plugins_process(document, fake_openai):
    port = fake_openai.server.server_address[1]
    fake_openai.redirect_to = f"http://127.0.0.2:{port}"
    try:
        checks = run(document, {"api_key": GOOD_KEY}, ["demo-embed"])
    finally:
        fake_openai.redirect_to = None
    check = checks["text-embedding demo-embed"]
    assert (check.ok, check.error_type) == (False, "refused")
    assert "127.0.0.2" in check.message and ALLOWED_HOSTS_VARIABLE in check.message


def test_an_unknown_model_is_bad_input(document):
    with pytest.raises(TryoutInputError, match="no model 'nope' in the design"):
        check_connection(document, {"api_key": GOOD_KEY}, ["nope"], allowed_hosts=ALLOWED)


def test_a_design_with_errors_is_bad_input(document):
    broken = {**document, "provider": {**document["provider"], "supported_model_types": []}}
    with pytest.raises(TryoutInputError, match="the design has errors"):
        check_connection(broken, {"api_key": GOOD_KEY}, allowed_hosts=ALLOWED)


def test_malformed_credentials_and_variable_are_bad_input(document):
    with pytest.raises(TryoutInputError, match="credentials must be an object"):
        check_connection(document, ["sk"], allowed_hosts=ALLOWED)
    with pytest.raises(TryoutInputError, match=ALLOWED_HOSTS_VARIABLE):
        check_connection(document, {"api_key": GOOD_KEY}, allowed_hosts="a b")
