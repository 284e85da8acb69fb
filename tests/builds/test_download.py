import pytest
from django.urls import reverse

from tests.builds.factories import finished_build

pytestmark = pytest.mark.django_db


def url(build, kind):
    return reverse("builds:download", args=[build.pk, kind])


@pytest.mark.parametrize("kind", ["zip", "difypkg"])
def test_a_viewer_downloads_both_artifacts(client, viewer, project, plugins_out, kind):
    build = finished_build(project)
    client.force_login(viewer)
    response = client.get(url(build, kind))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == (b"zip-bytes" if kind == "zip" else b"zip-bytes-pkg")
    assert f'filename="demo-0.0.1.{kind}"' in response["Content-Disposition"]


def test_another_team_gets_404(client, outsider, project, plugins_out):
    client.force_login(outsider)
    assert client.get(url(finished_build(project), "zip")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, project, plugins_out):
    response = client.get(url(finished_build(project), "zip"))
    assert response.status_code == 302


def test_an_unknown_kind_is_404(client, viewer, project, plugins_out):
    client.force_login(viewer)
    assert client.get(url(finished_build(project), "exe")).status_code == 404


def test_a_cleaned_artifact_is_404(client, viewer, project, plugins_out):
    build = finished_build(project)
    (plugins_out / build.zip_name).unlink()
    client.force_login(viewer)
    assert client.get(url(build, "zip")).status_code == 404


def test_a_failed_build_has_nothing_to_download(client, viewer, project, plugins_out):
    build = finished_build(project, status="failed", zip_name="", package_name="")
    client.force_login(viewer)
    assert client.get(url(build, "zip")).status_code == 404
