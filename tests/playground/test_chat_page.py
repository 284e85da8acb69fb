"""The playground on an llm's page: the plugin's own code answers through a worker; the page
polls the run and shows the answer, the reasoning, tool calls, usage and cost."""

import json

import pytest
from django.urls import reverse

from designer.playground.models import Run
from designer.projects.models import Project
from tests.core.factories import embedding_model, llm_model, plugin_document
from tests.generated.fake_openai import GOOD_KEY, REASONING

from .conftest import database_text

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def project(team):
    models = [llm_model("fake-reasoner"), llm_model("gpt-4o-mini"), embedding_model()]
    return Project.objects.create(team=team, name="Demo", spec=plugin_document(models))


def send(client, project, fake, capture, index=0, **fields):
    data = {
        "credential-api_key": GOOD_KEY,
        "credential-endpoint_url": fake.url,
        "message": "hello there",
        **fields,
    }
    url = reverse("playground:chat", args=[project.pk, index])
    with capture(execute=True):  # the worker's task runs as the request commits
        started = client.post(url, data, **HTMX)
    run = Run.objects.filter(kind=Run.Kind.CHAT).first()
    shown = client.get(reverse("playground:chat_run", args=[project.pk, run.pk]), **HTMX)
    return started, run, shown.content.decode()


def test_the_answer_shows_reasoning_usage_and_cost_and_the_chat_goes_on(
    client, editor, project, fake, eager_tasks, django_capture_on_commit_callbacks, all_logs
):
    client.force_login(editor)
    started, run, text = send(client, project, fake, django_capture_on_commit_callbacks)
    assert started.status_code == 200
    assert json.loads(started.headers["HX-Trigger"]) == {"playground:sent": {}}  # box emptied
    assert 'hx-trigger="every 500ms"' in started.content.decode()  # polls until the end
    assert run.status == Run.Status.DONE, run.error
    assert "echo: hello there" in text
    assert REASONING.strip() in text and "Reasoning" in text
    assert "7 in + 5 out = 12 tokens" in text
    assert "cost 0.0000110 USD" in text  # priced from the model's YAML by the plugin's code
    assert "every 500ms" not in text  # done: no more polling
    assert len([e for e in run.events if e["kind"] == "text"]) > 3  # streamed in pieces

    _, second, text = send(
        client,
        project,
        fake,
        django_capture_on_commit_callbacks,
        message="and again",
        previous=run.pk,
    )
    sent = fake.to("chat/completions")[-1].json()["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    assert sent[1]["content"] == "echo: hello there"
    assert "echo: and again" in text and "echo: hello there" in text  # the whole conversation

    assert fake.to("chat/completions")[-1].headers["authorization"] == f"Bearer {GOOD_KEY}"
    assert GOOD_KEY not in text and GOOD_KEY not in started.content.decode()
    assert GOOD_KEY not in database_text()
    assert GOOD_KEY not in all_logs.text


def test_an_offered_tool_is_called(
    client, editor, project, fake, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    _, run, text = send(
        client, project, fake, django_capture_on_commit_callbacks, 1, offer_tool="1"
    )
    assert "Tool call <code>get_weather</code>" in text
    assert "{&quot;city&quot;: &quot;Paris&quot;}" in text
    assert json.loads(fake.to("chat/completions")[-1].body)["tools"][0]["function"]["name"] == (
        "get_weather"
    )


def test_the_guard_s_refusal_is_shown_as_a_message(
    client, editor, project, fake, eager_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setenv("PLAYGROUND_ALLOWED_HOSTS", "")
    client.force_login(editor)
    before = len(fake.requests)
    _, run, text = send(client, project, fake, django_capture_on_commit_callbacks, 1)
    assert run.status == Run.Status.FAILED
    assert "connection:" in text and "PLAYGROUND_ALLOWED_HOSTS" in text
    assert "Traceback" not in text
    assert len(fake.requests) == before


def test_the_chat_box_is_on_llm_pages_for_editors(client, editor, viewer, project):
    client.force_login(editor)
    llm_page = client.get(reverse("projects:model", args=[project.pk, 0])).content.decode()
    assert 'id="chat-form"' in llm_page
    assert (
        'type="password"' in llm_page
        and "value=" not in llm_page.split('id="credential-chat-api_key"')[1].split(">")[0]
    )
    embedding_page = client.get(reverse("projects:model", args=[project.pk, 2])).content.decode()
    assert 'id="chat-form"' not in embedding_page
    client.force_login(viewer)
    assert (
        'id="chat-form"'
        not in client.get(reverse("projects:model", args=[project.pk, 0])).content.decode()
    )


def test_only_llms_chat_and_an_empty_message_is_refused(client, editor, project):
    client.force_login(editor)
    url = reverse("playground:chat", args=[project.pk, 2])
    assert (
        "The playground chats with llm models."
        in client.post(url, {"message": "hi"}, **HTMX).content.decode()
    )
    url = reverse("playground:chat", args=[project.pk, 0])
    refused = client.post(url, {"message": " "}, **HTMX)
    assert "Write a message." in refused.content.decode()
    assert "HX-Trigger" not in refused.headers  # the message box keeps what was typed
    assert not Run.objects.exists()
