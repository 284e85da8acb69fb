"""The fake server itself: what tests of test connection, the playground and discovery rely on."""

import json

import requests

from .fake_openai import GOOD_KEY, REASONING, STATUS_MESSAGES

KEY = {"Authorization": f"Bearer {GOOD_KEY}"}


def test_models_are_listed_with_a_good_key_only(fake_openai):
    listed = requests.get(f"{fake_openai.url}/models", headers=KEY, timeout=5).json()
    assert [m["id"] for m in listed["data"]] == fake_openai.models
    wrong = requests.get(
        f"{fake_openai.url}/models", headers={"Authorization": "Bearer x"}, timeout=5
    )
    assert wrong.status_code == 401 and "Incorrect API key provided: x" in wrong.text


def test_a_reasoning_model_streams_its_thoughts_first(fake_openai):
    body = {
        "model": "fake-reasoner",
        "stream": True,
        "messages": [{"role": "user", "content": "hi"}],
    }
    answer = requests.post(f"{fake_openai.url}/chat/completions", json=body, headers=KEY, timeout=5)
    events = [
        json.loads(line[6:]) for line in answer.text.splitlines() if line.startswith("data: {")
    ]
    deltas = [e["choices"][0]["delta"] for e in events if e["choices"]]
    thoughts = "".join(d.get("reasoning_content") or "" for d in deltas)
    assert thoughts == REASONING
    assert "".join(d.get("content") or "" for d in deltas) == "echo: hi"
    blocking = requests.post(
        f"{fake_openai.url}/chat/completions",
        json={**body, "stream": False},
        headers=KEY,
        timeout=5,
    )
    assert blocking.json()["choices"][0]["message"]["reasoning_content"] == REASONING


def test_a_model_or_key_asks_for_a_failure(fake_openai):
    for code in (401, 403, 404, 422, 429, 500):
        body = {"model": f"status-{code}", "input": ["a"]}
        answer = requests.post(f"{fake_openai.url}/embeddings", json=body, headers=KEY, timeout=5)
        assert answer.status_code == code
        assert answer.json()["error"]["message"] == STATUS_MESSAGES[code]
    by_key = requests.get(
        f"{fake_openai.url}/models", headers={"Authorization": "Bearer status-503"}, timeout=5
    )
    assert by_key.status_code == 503


def test_headers_are_recorded(fake_openai):
    requests.get(f"{fake_openai.url}/models", headers={**KEY, "X-Probe": "seen"}, timeout=5)
    assert fake_openai.header_values("x-probe")[-1] == "seen"
