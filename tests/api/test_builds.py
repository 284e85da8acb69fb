"""Starting builds, their status and their downloads."""

import pytest

from designer.builds.models import Build
from designer.projects.models import Project
from tests.api.conftest import assert_problem
from tests.builds.factories import finished_build
from tests.core.factories import plugin_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """Builds handed to the broker (no worker runs in these tests)."""
    from designer.builds import tasks

    calls = []
    monkeypatch.setattr(tasks.run_build, "delay", lambda *a: calls.append(a))
    return calls


def test_an_editor_starts_a_build(
    as_editor, editor, project, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.post(f"/projects/{project.pk}/builds")
    assert response.status_code == 202
    build = Build.objects.get(pk=response.json()["id"])
    assert response["Location"] == f"/api/v1/builds/{build.pk}"
    assert (build.project, build.requested_by, build.snapshot) == (project, editor, project.spec)
    assert sent == [(build.pk,)]


def test_a_viewer_cannot_start_a_build(as_viewer, project, sent):
    assert_problem(as_viewer.post(f"/projects/{project.pk}/builds"), 403)
    assert not Build.objects.exists()


def test_a_queued_build_reports_its_status_and_steps(as_viewer, project, sent):
    build = Build.objects.create(project=project, snapshot=project.spec, spec_sha256="x")
    body = as_viewer.get(f"/builds/{build.pk}").json()
    assert body["status"] == "queued"
    assert [s["name"] for s in body["steps"]] == ["render", "verify", "package", "store"]
    assert {s["state"] for s in body["steps"]} == {"waiting"}
    assert body["source"] is None and body["difypkg"] is None


def test_a_succeeded_build_has_sizes_sha256_and_downloads(as_viewer, project, plugins_out):
    build = finished_build(project)
    body = as_viewer.get(f"/builds/{build.pk}").json()
    assert body["status"] == "succeeded"
    assert body["source"]["size"] == len(b"zip-bytes")
    assert body["source"]["sha256"] == build.zip_sha256
    assert body["difypkg"]["sha256"] == build.package_sha256
    source = as_viewer.get(f"/builds/{build.pk}/download/source")
    assert b"".join(source.streaming_content) == b"zip-bytes"
    assert "demo-0.0.1.zip" in source["Content-Disposition"]
    package = as_viewer.get(body["difypkg"]["download"].removeprefix("/api/v1"))
    assert b"".join(package.streaming_content) == b"zip-bytes-pkg"


def test_a_failed_build_says_why_and_has_nothing_to_download(as_viewer, project):
    build = Build.objects.create(
        project=project, snapshot={}, spec_sha256="x", status="failed", error="it broke"
    )
    body = as_viewer.get(f"/builds/{build.pk}").json()
    assert (body["status"], body["error"]) == ("failed", "it broke")
    assert_problem(as_viewer.get(f"/builds/{build.pk}/download/difypkg"), 409)
    assert_problem(as_viewer.get(f"/builds/{build.pk}/download/other"), 404)


def test_a_cleaned_up_artifact_is_gone(as_viewer, project, plugins_out):
    build = finished_build(project)
    (plugins_out / build.zip_name).unlink()
    assert_problem(as_viewer.get(f"/builds/{build.pk}/download/source"), 410)


def test_another_teams_builds_are_404(as_outsider, project, outsider, plugins_out, sent):
    build = finished_build(project)
    assert_problem(as_outsider.get(f"/builds/{build.pk}"), 404)
    assert_problem(as_outsider.get(f"/builds/{build.pk}/download/source"), 404)
    assert_problem(as_outsider.post(f"/projects/{project.pk}/builds"), 404)
    theirs = Project.objects.create(team=outsider.teams.get(), name="X", spec=plugin_document())
    assert as_outsider.post(f"/projects/{theirs.pk}/builds").status_code == 202


def test_builds_need_a_token(anonymous, project):
    assert_problem(anonymous.post(f"/projects/{project.pk}/builds"), 401)


def test_a_build_shows_what_changed_since_the_previous_successful_one(
    as_viewer, project, plugins_out
):
    first = finished_build(project)
    assert as_viewer.get(f"/builds/{first.pk}").json()["changes"] is None
    spec = project.spec
    spec["models"][0]["pricing"]["input"] = "0.75"
    spec["models"].append({**spec["models"][0], "model": "second-chat"})
    project.spec = spec
    project.save()
    Build.objects.create(project=project, snapshot={}, spec_sha256="x", status="failed")
    second = finished_build(project, data=b"other-zip")
    changes = as_viewer.get(f"/builds/{second.pk}").json()["changes"]
    assert changes["since_build"] == first.pk
    assert changes["files"]["added"] == ["models/llm/second-chat.yaml"]
    assert "models/llm/demo-chat.yaml" in changes["files"]["changed"]
    assert changes["models_added"] == ["llm/second-chat"]
    [changed] = changes["models_changed"]
    assert (changed["key"], changed["fields"]) == ("llm/demo-chat", ["pricing.input"])
    assert changes["suggested_bump"] == "minor"
