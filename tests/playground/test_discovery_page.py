"""Discover models: the API's list through a worker, matched, and the ticked ones added."""

import pytest
from django.urls import reverse

from designer.library import service as library
from designer.playground import service
from designer.playground.models import Run
from designer.projects.models import Project
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
