import pytest
from django.urls import reverse

from tests.builds.factories import finished_build

pytestmark = pytest.mark.django_db


def url(project):
    return reverse("builds:project", args=[project.pk])


def test_the_history_lists_builds_newest_first_with_downloads(client, editor, project, plugins_out):
    first, second = finished_build(project), finished_build(project, data=b"other")
    client.force_login(editor)
    body = client.get(url(project)).content.decode()
    assert body.index(f"<td>{second.pk}</td>") < body.index(f"<td>{first.pk}</td>")
    assert reverse("builds:download", args=[second.pk, "difypkg"]) in body
    assert "Build plugin" in body


def test_a_viewer_sees_the_history_without_a_build_button(client, viewer, project, plugins_out):
    finished_build(project)
    client.force_login(viewer)
    body = client.get(url(project)).content.decode()
    assert "Build history" in body
    assert "Build plugin" not in body


def test_htmx_gets_only_the_panel(client, editor, project):
    client.force_login(editor)
    body = client.get(url(project), headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith('<section class="build-panel"')


def test_another_team_gets_404(client, outsider, project):
    client.force_login(outsider)
    assert client.get(url(project)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, project):
    assert client.get(url(project)).status_code == 302
