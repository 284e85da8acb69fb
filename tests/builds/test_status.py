import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.builds.factories import finished_build

pytestmark = pytest.mark.django_db
WRITES = ("UPDATE", "INSERT", "DELETE")


def url(build):
    return reverse("builds:status", args=[build.pk])


def test_a_running_build_polls_and_shows_its_step(client, viewer, project, plugins_out):
    build = finished_build(project, status="running", step="verify", started_at=timezone.now())
    client.force_login(viewer)
    body = client.get(url(build)).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'value="25"' in body
    assert "build-step--running" in body


def test_a_finished_build_stops_polling_and_shows_hashes(client, viewer, project, plugins_out):
    build = finished_build(project)
    client.force_login(viewer)
    body = client.get(url(build)).content.decode()
    assert "hx-trigger" not in body
    assert build.package_sha256 in body


def test_only_a_finished_build_tells_the_panel_to_reload(client, viewer, project, plugins_out):
    client.force_login(viewer)
    running = finished_build(project, status="running", step="render", started_at=timezone.now())
    assert "HX-Trigger" not in client.get(url(running))
    trigger = client.get(url(finished_build(project)))["HX-Trigger"]
    assert json.loads(trigger) == {"build-finished": {}}


def test_a_failed_build_shows_its_reason(client, viewer, project, plugins_out):
    build = finished_build(project, status="failed", step="verify", error="SDK says no")
    client.force_login(viewer)
    assert "SDK says no" in client.get(url(build)).content.decode()


def writes_while(get) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert get().status_code == 200
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_polling_a_build_left_running_past_the_limit_writes_nothing(
    client, viewer, project, plugins_out
):
    # The workers fail such builds (at start and on a timer); a page only shows them.
    long_ago = timezone.now() - timedelta(hours=5)
    build = finished_build(project, status="running", step="verify", started_at=long_ago)
    client.force_login(viewer)
    panel = reverse("builds:project", args=[project.pk])
    review = reverse("projects:review", args=[project.pk])
    assert writes_while(lambda: client.get(url(build))) == []
    assert writes_while(lambda: client.get(panel)) == []
    assert writes_while(lambda: client.get(panel, headers={"HX-Request": "true"})) == []
    assert writes_while(lambda: client.get(review)) == []
    build.refresh_from_db()
    assert build.status == "running"


def test_another_team_gets_404(client, outsider, project, plugins_out):
    client.force_login(outsider)
    assert client.get(url(finished_build(project))).status_code == 404
