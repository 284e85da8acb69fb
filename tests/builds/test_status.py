from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builds.factories import finished_build

pytestmark = pytest.mark.django_db


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
    assert client.get(url(finished_build(project)))["HX-Trigger"] == "build-finished"


def test_a_failed_build_shows_its_reason(client, viewer, project, plugins_out):
    build = finished_build(project, status="failed", step="verify", error="SDK says no")
    client.force_login(viewer)
    assert "SDK says no" in client.get(url(build)).content.decode()


def test_a_build_left_running_past_the_limit_is_reported_failed(
    client, viewer, project, plugins_out
):
    long_ago = timezone.now() - timedelta(hours=5)
    build = finished_build(project, status="running", step="verify", started_at=long_ago)
    client.force_login(viewer)
    body = client.get(url(build)).content.decode()
    assert "Failed" in body
    assert "worker stopped" in body


def test_another_team_gets_404(client, outsider, project, plugins_out):
    client.force_login(outsider)
    assert client.get(url(finished_build(project))).status_code == 404
