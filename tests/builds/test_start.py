import pytest
from django.test import Client
from django.urls import reverse

from designer.builds.models import Build
from designer.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """Tasks handed to the broker (no worker runs in these view tests)."""
    calls = []
    monkeypatch.setattr(app, "send_task", lambda *a, **k: calls.append((a, k)))
    from designer.builds import tasks

    monkeypatch.setattr(tasks.run_build, "delay", lambda *a: calls.append(a))
    return calls


def url(project):
    return reverse("builds:start", args=[project.pk])


def test_an_editor_starts_a_build_of_the_current_spec(
    client, editor, project, sent, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(project))
    assert response.status_code == 302
    build = Build.objects.get()
    assert build.status == "queued"
    assert build.snapshot == project.spec
    assert build.requested_by == editor
    assert sent == [(build.pk,)]


def test_the_snapshot_does_not_follow_later_edits(client, editor, project, sent):
    client.force_login(editor)
    client.post(url(project))
    project.spec["manifest"]["version"] = "9.9.9"
    project.save()
    assert Build.objects.get().snapshot["manifest"]["version"] == "0.0.1"


def test_htmx_gets_the_panel_with_the_new_build(client, editor, project, sent):
    client.force_login(editor)
    response = client.post(url(project), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="build-panel"' in response.content
    assert b"Queued" in response.content


def test_a_viewer_cannot_start_a_build(client, viewer, project, sent):
    client.force_login(viewer)
    assert client.post(url(project)).status_code == 403
    assert not Build.objects.exists()


def test_another_team_gets_404(client, outsider, project, sent):
    client.force_login(outsider)
    assert client.post(url(project)).status_code == 404


def test_get_is_not_allowed(client, editor, project, sent):
    client.force_login(editor)
    assert client.get(url(project)).status_code == 405


def test_csrf_is_enforced(editor, project, sent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(url(project)).status_code == 403
    assert not Build.objects.exists()


@pytest.fixture
def broker_down(monkeypatch):
    """The broker settings name a Redis that nobody listens on."""
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.conf, "broker_transport", None)
    app._after_fork()  # forget pooled connections to the working broker
    yield
    app._after_fork()  # and those to the unreachable one


def test_a_build_the_broker_cannot_take_fails_saying_so(
    client, editor, project, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(project), headers={"HX-Request": "true"})
    assert response.status_code == 200
    build = Build.objects.get()
    assert build.status == "failed" and build.finished_at is not None
    assert build.error.startswith("the build could not be queued: ")
    panel = client.get(reverse("builds:project", args=[project.pk]))
    assert build.error.encode() in panel.content


def test_the_offline_option_asks_for_an_offline_package(client, editor, project, sent):
    client.force_login(editor)
    client.post(url(project), {"offline": "1"})
    client.post(url(project))
    assert [b.offline for b in Build.objects.order_by("pk")] == [True, False]
