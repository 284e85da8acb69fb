"""Discover models: the API's list through a worker, matched, and the ticked ones added."""

import json
import time

import pytest
from django.urls import reverse

from designer.library import service as library
from designer.playground import service, tasks
from designer.playground.models import Run
from designer.projects.models import Project
from designer.tryout.service import fernet
from tests.core.factories import llm_model, plugin_document
from tests.generated.fake_openai import GOOD_KEY

from .conftest import database_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(team):
    return Project.objects.create(team=team, name="Demo", spec=plugin_document([llm_model()]))


def discover(client, project, fake, key=GOOD_KEY, capture=None):
    data = {"credential-api_key": key, "credential-endpoint_url": fake.url}
    with capture(execute=True):  # the task runs as the request's transaction commits
        started = client.post(reverse("playground:discover", args=[project.pk]), data)
    if started.status_code != 302:
        return started
    return client.get(started.url)


def test_the_listing_is_matched_with_library_and_catalog(
    client, editor, team, project, fake, eager_tasks, django_capture_on_commit_callbacks, all_logs
):
    library.create_definition(team, llm_model("gpt-4o-mini", pricing={"input": "9"}), editor)
    client.force_login(editor)
    page = discover(client, project, fake, capture=django_capture_on_commit_callbacks)
    run = Run.objects.get()
    assert run.status == Run.Status.DONE, run.error
    text = page.content.decode()
    rows = {m.id: m for m in service.matches_for(run)}
    assert rows["gpt-4o-mini"].source == "library"
    assert rows["text-embedding-3-small"].source == "catalog"
    assert rows["text-embedding-3-small"].model["pricing"]["input"] == "0.02"
    assert rows["whisper-1"].model_type == "speech2text"
    assert rows["fake-reasoner"].source == "minimal"
    assert 'data-model-id="fake-reasoner"' in text and "a minimal model" in text
    assert "added by reference" in text
    # The key went to the API, and nowhere the designer keeps or shows things.
    assert fake.to("models")[-1].headers["authorization"] == f"Bearer {GOOD_KEY}"
    assert GOOD_KEY not in text
    assert GOOD_KEY not in database_text()
    assert GOOD_KEY not in all_logs.text


def test_the_ticked_models_are_added(
    client, editor, team, project, fake, eager_tasks, django_capture_on_commit_callbacks
):
    item = library.create_definition(team, llm_model("gpt-4o-mini"), editor)
    client.force_login(editor)
    discover(client, project, fake, capture=django_capture_on_commit_callbacks)
    run = Run.objects.get()
    picked = ["gpt-4o-mini", "text-embedding-3-small", "fake-reasoner"]
    page = client.post(
        reverse("playground:add_discovered", args=[project.pk, run.pk]),
        {"pick": picked},
        follow=True,
    )
    assert "Added 3" in page.content.decode()
    project.refresh_from_db()
    models = {m["model"]: m for m in project.spec["models"]}
    assert models["gpt-4o-mini"]["library"] == str(item.pk)  # by reference
    assert models["text-embedding-3-small"]["model_properties"]["context_size"] == 8191
    assert models["fake-reasoner"]["model_properties"] == {"mode": "chat"}
    assert "whisper-1" not in models  # not ticked
    assert project.spec["provider"]["supported_model_types"] == ["llm", "text-embedding"]
    # Ticking them again adds nothing twice.
    again = client.post(
        reverse("playground:add_discovered", args=[project.pk, run.pk]),
        {"pick": picked},
        follow=True,
    )
    assert "Tick the models to add" in again.content.decode()


def test_a_wrong_key_shows_the_provider_s_refusal(
    client, editor, project, fake, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    page = discover(
        client, project, fake, key="wrong-key-123", capture=django_capture_on_commit_callbacks
    )
    text = page.content.decode()
    assert "Listing failed: the API answered HTTP 401: Incorrect API key provided: ***" in text
    assert "wrong-key-123" not in text and "wrong-key-123" not in database_text()


def test_the_guard_s_refusal_is_shown(
    client, editor, project, fake, eager_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setenv("PLAYGROUND_ALLOWED_HOSTS", "")
    client.force_login(editor)
    before = len(fake.requests)
    page = discover(client, project, fake, capture=django_capture_on_commit_callbacks)
    text = page.content.decode()
    assert "Listing failed: refused outbound call to 127.0.0.1" in text
    assert "PLAYGROUND_ALLOWED_HOSTS" in text
    assert len(fake.requests) == before


def test_viewers_cannot_discover(client, viewer, project):
    client.force_login(viewer)
    assert client.get(reverse("playground:discover", args=[project.pk])).status_code == 403


def test_a_custom_api_design_is_told_discovery_needs_openai_compatible(client, editor, team):
    document = plugin_document([llm_model()])
    document["code"] = {"api_style": "custom"}
    custom = Project.objects.create(team=team, name="Custom", spec=document)
    client.force_login(editor)
    page = client.post(
        reverse("playground:discover", args=[custom.pk]), {"credential-api_key": "k"}
    )
    assert page.status_code == 400
    assert "OpenAI-compatible" in page.content.decode()
    assert not Run.objects.exists()


def test_another_catalog_entry_can_be_chosen_for_a_model(
    client, editor, project, fake, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    page = discover(client, project, fake, capture=django_capture_on_commit_callbacks)
    assert 'name="entry:gpt-4o-mini"' in page.content.decode()
    run = Run.objects.get()
    client.post(
        reverse("playground:add_discovered", args=[project.pk, run.pk]),
        {"pick": ["gpt-4o-mini"], "entry:gpt-4o-mini": "azure/eu/gpt-4o-mini"},
    )
    project.refresh_from_db()
    added = project.spec["models"][-1]
    assert added["model"] == "gpt-4o-mini"
    assert added["pricing"]["input"] == "0.165"  # the chosen entry's, not the first one's


def test_a_run_no_worker_finishes_stops_polling(client, editor, project):
    run = Run.objects.create(project=project, kind=Run.Kind.DISCOVERY, status=Run.Status.RUNNING)
    url = reverse("playground:discovery", args=[project.pk, run.pk])
    client.force_login(editor)
    assert 'hx-trigger="every 1s"' in client.get(url).content.decode()
    Run.objects.filter(pk=run.pk).update(updated_at=run.updated_at - Run.STALE_AFTER["running"] * 2)
    text = client.get(url).content.decode()
    assert "No worker finished this listing" in text and "every 1s" not in text


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_others_see_nothing(client, request, project, who):
    run = Run.objects.create(project=project, kind=Run.Kind.CHAT, request={"messages": []})
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    urls = [
        reverse("playground:discover", args=[project.pk]),
        reverse("playground:chat_run", args=[project.pk, run.pk]),
    ]
    expected = 404 if who == "outsider" else 302
    assert [client.get(url).status_code for url in urls] == [expected, expected]
    chat = client.post(reverse("playground:chat", args=[project.pk, 0]), {"message": "hi"})
    assert chat.status_code == expected


def test_credentials_sealed_too_long_ago_are_not_used(project, fake):
    run = Run.objects.create(project=project, kind=Run.Kind.DISCOVERY)
    old = json.dumps({"api_key": GOOD_KEY, "endpoint_url": fake.url}).encode()
    token = fernet().encrypt_at_time(old, int(time.time()) - 700).decode()
    before = len(fake.requests)
    tasks.discover(run.pk, token)
    run.refresh_from_db()
    assert (run.status, run.error) == (Run.Status.FAILED, tasks.EXPIRED)
    assert len(fake.requests) == before
