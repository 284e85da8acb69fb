import pytest
from django.test import Client
from django.urls import reverse

from designer.projects.models import Project

pytestmark = pytest.mark.django_db


def save(client, project, data, section="plugin", version=None):
    url = reverse("projects:save", args=[project.pk, section])
    payload = {"_version": project.version if version is None else version, **data}
    return client.post(url, payload, headers={"HX-Request": "true"})


def test_typing_saves_the_draft_and_returns_the_new_file(client, editor, project):
    client.force_login(editor)
    response = save(client, project, {"manifest.label.en_US": "Renamed AI"})
    project.refresh_from_db()
    assert project.spec["manifest"]["label"]["en_US"] == "Renamed AI"
    assert project.version == 2
    body = response.content.decode()
    assert "Renamed AI" in body
    assert 'id="spec-version" value="2"' in body


def test_an_invalid_draft_is_saved_and_its_error_names_the_field(client, editor, project):
    client.force_login(editor)
    body = save(client, project, {"manifest.version": "1.0"}).content.decode()
    project.refresh_from_db()
    assert project.spec["manifest"]["version"] == "1.0"
    assert "manifest.version" in body
    assert '"path": "manifest.version"' in body


def test_a_structurally_broken_draft_still_previews_as_a_draft(client, editor, project):
    client.force_login(editor)
    url = reverse("projects:save_model", args=[project.pk, 0])
    data = {"_version": 1, "models[0].model_properties.context_size:int": "lots"}
    body = client.post(url, data).content.decode()
    assert "draft" in body
    assert "models[0].model_properties.context_size" in body
    project.refresh_from_db()
    assert project.spec["models"][0]["model_properties"]["context_size"] == "lots"


def test_max_tokens_above_the_context_size_is_flagged_on_the_rule(client, editor, project):
    client.force_login(editor)
    url = reverse("projects:save_model", args=[project.pk, 0])
    data = {"_version": 1, "models[0].model_properties.context_size:int": "2048"}
    body = client.post(url, data).content.decode()
    assert "models[0].parameter_rules[2].max" in body


def test_a_stale_version_is_refused_without_losing_either_side(client, editor, project):
    client.force_login(editor)
    save(client, project, {"manifest.label.en_US": "First"})
    body = save(client, project, {"manifest.label.en_US": "Second"}, version=1).content.decode()
    project.refresh_from_db()
    assert project.spec["manifest"]["label"]["en_US"] == "First"
    assert "Not saved" in body


def test_the_section_edits_only_its_own_part(client, editor, project):
    client.force_login(editor)
    save(client, project, {"files._assets/evil.py.text": "x", "models[0].model": "hijack"})
    project.refresh_from_db()
    assert project.spec == Project.objects.get(pk=project.pk).spec
    assert project.spec["models"][0]["model"] == "demo-chat"
    assert "_assets/evil.py" not in str(project.spec["files"])


def test_a_viewer_cannot_save(client, viewer, project):
    client.force_login(viewer)
    assert save(client, project, {"manifest.label.en_US": "x"}).status_code == 403


def test_another_team_gets_404(client, outsider, project):
    client.force_login(outsider)
    assert save(client, project, {"manifest.label.en_US": "x"}).status_code == 404


def test_an_unknown_section_is_404(client, editor, project):
    client.force_login(editor)
    assert save(client, project, {}, section="models").status_code == 404


def test_csrf_is_enforced(editor, project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse("projects:save", args=[project.pk, "plugin"])
    assert client.post(url, {"_version": 1}).status_code == 403


def test_the_same_page_keeps_saving_after_a_cancelled_request(client, editor, project):
    # The browser cancelled the response of a save that went through: its version is stale,
    # but the save came from the same page, so it is not a conflict.
    client.force_login(editor)
    save(client, project, {"_editor": "page-1", "manifest.label.en_US": "One"})
    body = save(client, project, {"_editor": "page-1", "manifest.label.en_US": "Two"}, version=1)
    project.refresh_from_db()
    assert project.spec["manifest"]["label"]["en_US"] == "Two"
    assert "Not saved" not in body.content.decode()


def test_another_page_with_a_stale_version_conflicts(client, editor, project):
    client.force_login(editor)
    save(client, project, {"_editor": "page-1", "manifest.label.en_US": "One"})
    body = save(client, project, {"_editor": "page-2", "manifest.label.en_US": "Two"}, version=1)
    project.refresh_from_db()
    assert project.spec["manifest"]["label"]["en_US"] == "One"
    assert "Not saved" in body.content.decode()


def test_a_post_that_changes_nothing_saves_no_new_version(client, editor, project):
    """A field's change event repeats its input event's post: a second version would make the
    next page's first save a conflict (issue 16)."""
    client.force_login(editor)
    save(client, project, {"manifest.label.en_US": "First"})
    body = save(client, project, {"manifest.label.en_US": "First"}).content.decode()
    project.refresh_from_db()
    assert project.version == 2
    assert "Not saved" not in body


def save_model(client, project, data, index=0):
    url = reverse("projects:save_model", args=[project.pk, index])
    payload = {"_version": project.version, "_editor": "page-1", **data}
    return client.post(url, payload, headers={"HX-Request": "true"})


def test_a_partial_save_sets_the_changed_field_and_keeps_the_rest(client, editor, project):
    # After its first save the page sends only what changed (static/js/designer.js).
    client.force_login(editor)
    before = project.spec["models"][0]
    response = save_model(client, project, {"_partial": "1", "models[0].label.en_US": "Typed"})
    assert response.status_code == 200
    project.refresh_from_db()
    model = project.spec["models"][0]
    assert model["label"]["en_US"] == "Typed"
    assert {k: v for k, v in model.items() if k != "label"} == {
        k: v for k, v in before.items() if k != "label"
    }
    assert "Typed" in response.content.decode()


def test_a_partial_save_of_an_emptied_field_removes_it(client, editor, project):
    client.force_login(editor)
    assert project.spec["models"][0]["model_properties"].get("context_size")
    path = "models[0].model_properties.context_size:int"
    save_model(client, project, {"_partial": "1", path: ""})
    project.refresh_from_db()
    assert "context_size" not in project.spec["models"][0]["model_properties"]


def test_a_partial_save_cannot_move_rows(client, editor, project):
    client.force_login(editor)
    data = {"_partial": "1", "models[0].parameter_rules[0]._origin": "1"}
    response = save_model(client, project, data)
    assert response.status_code == 400
    assert "cannot move rows" in response.content.decode()
    assert Project.objects.get(pk=project.pk).version == project.version
