"""Projects, their spec (ETag / If-Match) and findings."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from designer.core.archive import zip_tree
from designer.core.render import render
from designer.core.validation import validate
from designer.core.yamlio import dump_yaml, load_yaml
from designer.library.models import LibraryModel
from designer.projects.models import Project
from tests.api.conftest import assert_problem
from tests.core.factories import llm_model, plugin_document

pytestmark = pytest.mark.django_db


def test_the_list_has_the_teams_projects_only(as_viewer, project, outsider):
    Project.objects.create(team=outsider.teams.get(), name="Theirs", spec=plugin_document())
    response = as_viewer.get("/projects")
    assert response.status_code == 200
    assert [(p["id"], p["name"], p["version"]) for p in response.json()] == [
        (project.pk, "Demo", 1)
    ]


def test_an_editor_creates_a_project_from_a_json_spec(as_editor, editor, team):
    response = as_editor.post_json("/projects?name=From CI", plugin_document())
    assert response.status_code == 201
    project = Project.objects.get(pk=response.json()["id"])
    assert (project.team, project.name, project.created_by) == (team, "From CI", editor)
    assert project.spec == plugin_document()


def test_a_yaml_spec_is_named_by_its_label(as_editor):
    body = dump_yaml(plugin_document())
    response = as_editor.post("/projects", data=body, content_type="application/yaml")
    assert Project.objects.get(pk=response.json()["id"]).name == "Demo AI"


def plugin_zip() -> bytes:
    return zip_tree(render(validate(plugin_document()).spec))


def test_a_plugin_archive_is_imported(as_editor):
    upload = SimpleUploadedFile("demo.zip", plugin_zip())
    response = as_editor.post("/projects", data={"file": upload})
    assert response.status_code == 201, response.content
    spec = Project.objects.get(pk=response.json()["id"]).spec
    assert [m["model"] for m in spec["models"]] == ["demo-chat", "demo-embed"]


def hostile_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.yaml", "name: x\n")
        archive.writestr("../../etc/evil", "boom")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data",
    [("evil.zip", hostile_zip()), ("notes.difypkg", b"not an archive at all")],
    ids=["path-traversal", "not-an-archive"],
)
def test_hostile_or_broken_archives_are_refused_with_a_reason(as_editor, name, data):
    response = as_editor.post("/projects", data={"file": SimpleUploadedFile(name, data)})
    body = assert_problem(response, 422)
    assert body["detail"].startswith(f"cannot import {name}: ")
    assert not Project.objects.exists()


def test_a_multipart_post_without_file_is_a_400(as_editor):
    assert_problem(as_editor.post("/projects", data={"other": "x"}), 400)


def test_a_body_that_is_no_spec_is_a_422(as_editor):
    body = assert_problem(as_editor.post_json("/projects", {"manifest": 3}), 422)
    assert body["findings"]
    assert not Project.objects.exists()


def test_a_viewer_cannot_create(as_viewer):
    assert_problem(as_viewer.post_json("/projects", plugin_document()), 403)
    assert not Project.objects.exists()


def test_the_spec_comes_with_its_version_as_etag(as_viewer, project):
    response = as_viewer.get(f"/projects/{project.pk}/spec")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json() == project.spec
    as_yaml = as_viewer.get(f"/projects/{project.pk}/spec?format=yaml")
    assert load_yaml(as_yaml.content, "spec") == project.spec


def changed_spec(project) -> dict:
    spec = project.spec
    spec["manifest"]["version"] = "0.0.2"
    return spec


def test_put_with_the_current_etag_saves(as_editor, project):
    response = as_editor.put_json(
        f"/projects/{project.pk}/spec", changed_spec(project), headers={"If-Match": '"1"'}
    )
    assert response.status_code == 200
    assert response.json() == {"id": project.pk, "version": 2}
    assert response["ETag"] == '"2"'
    project.refresh_from_db()
    assert project.spec["manifest"]["version"] == "0.0.2"


def test_put_after_someone_else_saved_is_412_and_overwrites_nothing(as_editor, project):
    project.spec["manifest"]["version"] = "5.0.0"
    project.version = 2
    project.save()
    response = as_editor.put_json(
        f"/projects/{project.pk}/spec", changed_spec(project), headers={"If-Match": '"1"'}
    )
    body = assert_problem(response, 412)
    assert body["current_version"] == 2 and response["ETag"] == '"2"'
    project.refresh_from_db()
    assert project.spec["manifest"]["version"] == "5.0.0"


def test_put_without_if_match_is_428(as_editor, project):
    assert_problem(as_editor.put_json(f"/projects/{project.pk}/spec", project.spec), 428)


def test_put_of_no_spec_is_422_and_a_viewers_put_403(as_editor, as_viewer, project):
    headers = {"If-Match": '"1"'}
    assert_problem(as_editor.put_json(f"/projects/{project.pk}/spec", [], headers=headers), 400)
    broken = {"spec_version": 1, "models": "x"}
    assert_problem(as_editor.put_json(f"/projects/{project.pk}/spec", broken, headers=headers), 422)
    response = as_viewer.put_json(f"/projects/{project.pk}/spec", project.spec, headers=headers)
    assert_problem(response, 403)
    project.refresh_from_db()
    assert project.version == 1


def test_another_teams_project_is_404(as_outsider, as_editor, project, outsider):
    other = Project.objects.create(team=outsider.teams.get(), name="X", spec=plugin_document())
    for path in [f"/projects/{project.pk}/spec", f"/projects/{project.pk}/findings"]:
        assert_problem(as_outsider.get(path), 404)
    assert_problem(as_editor.get(f"/projects/{other.pk}/spec"), 404)
    headers = {"If-Match": '"1"'}
    response = as_outsider.put_json(f"/projects/{project.pk}/spec", project.spec, headers=headers)
    assert_problem(response, 404)


def test_a_token_speaks_for_its_own_team_only(editor, team, project, django_user_model):
    """A user in two teams: the token of the second team does not reach the first's project."""
    from designer.accounts.models import Membership, Role, Team
    from tests.api.conftest import client_for

    second = Team.objects.create(name="Second")
    Membership.objects.create(team=second, user=editor, role=Role.OWNER)
    assert_problem(client_for(editor, second).get(f"/projects/{project.pk}/spec"), 404)


def test_findings_are_those_of_the_effective_document(as_viewer, project, team):
    item = LibraryModel.objects.create(
        team=team,
        model_type="llm",
        model_id="lib-chat",
        definition=llm_model("lib-chat", context_size=0),
    )
    project.spec["models"].append({"library": str(item.pk), "model": "lib-chat"})
    project.save()
    response = as_viewer.get(f"/projects/{project.pk}/findings")
    assert response.status_code == 200
    findings = response.json()
    assert all(f.keys() == {"level", "path", "message"} for f in findings)
    # The definition's own warning, not the bare reference's missing fields.
    assert [f["path"] for f in findings] == ["models[2].model_properties.context_size"]
