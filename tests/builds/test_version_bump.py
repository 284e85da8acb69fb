"""The builds panel shows what the latest build changed, suggests the version bump the draft
needs, and applies it with its CHANGELOG entry in one click."""

import re

import pytest
from django.urls import reverse

from designer.core.pipeline import run_pipeline
from designer.projects.drafts import save_draft
from designer.projects.models import Project
from tests.builds.factories import finished_build

pytestmark = pytest.mark.django_db


def page(project):
    return reverse("builds:project", args=[project.pk])


def edit(project, change):
    """A save as the editor makes it (the draft's version goes up)."""
    spec = project.spec
    change(spec)
    assert save_draft(project, spec, project.version)


def add_model(spec):
    spec["models"].append({**spec["models"][0], "model": "second-chat"})


def set_price(spec):
    spec["models"][0]["pricing"]["input"] = "0.75"


def bump_form(body: str) -> dict:
    """The hidden fields and the entry the panel's bump form posts."""
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', body))
    entry = re.search(r'<textarea[^>]*name="changelog"[^>]*>(.*?)</textarea>', body, re.S)
    return {**fields, "changelog": entry.group(1) if entry else ""}


def test_nothing_is_suggested_before_the_first_build_or_when_nothing_changed(
    client, editor, project, plugins_out
):
    client.force_login(editor)
    assert "release fits" not in client.get(page(project)).content.decode()
    finished_build(project)
    assert "release fits" not in client.get(page(project)).content.decode()


def test_a_new_model_suggests_a_minor_bump_that_one_click_applies(
    client, editor, project, plugins_out
):
    finished_build(project)
    edit(project, add_model)
    client.force_login(editor)
    body = client.get(page(project)).content.decode()
    assert "a <strong>minor</strong> release fits" in body
    form = bump_form(body)
    assert form["version"] == "0.1.0"
    assert "- Added model llm/second-chat." in form["changelog"]
    form["changelog"] = form["changelog"].replace("Added model", "New model:")
    response = client.post(reverse("builds:bump", args=[project.pk]), form)
    assert response.status_code == 302
    project = Project.objects.get(pk=project.pk)
    assert project.spec["manifest"]["version"] == "0.1.0"
    changelog = project.spec["files"]["CHANGELOG.md"]["text"]
    assert changelog.startswith("# Changelog\n\n## 0.1.0\n\n- New model: llm/second-chat.\n")
    assert changelog.endswith("## 0.0.1\n\n- First release.\n")  # the generated one kept below
    files = run_pipeline(project.spec).files
    assert files["CHANGELOG.md"].decode() == changelog
    assert "release fits" not in client.get(page(project)).content.decode()


def test_a_second_bump_adds_its_entry_above_the_edited_changelog(
    client, editor, project, plugins_out
):
    edit(project, lambda s: s.setdefault("files", {}).update({"CHANGELOG.md": {"text": "Mine\n"}}))
    finished_build(project)
    edit(project, set_price)
    client.force_login(editor)
    form = bump_form(client.get(page(project)).content.decode())
    assert form["version"] == "0.0.2"
    client.post(reverse("builds:bump", args=[project.pk]), form)
    text = Project.objects.get(pk=project.pk).spec["files"]["CHANGELOG.md"]["text"]
    assert text == ("# Changelog\n\n## 0.0.2\n\n- llm/demo-chat: changed pricing.input.\n\nMine\n")


def test_an_empty_entry_bumps_the_version_and_leaves_the_changelog_generated(
    client, editor, project, plugins_out
):
    finished_build(project)
    edit(project, set_price)
    client.force_login(editor)
    form = {**bump_form(client.get(page(project)).content.decode()), "changelog": " "}
    client.post(reverse("builds:bump", args=[project.pk]), form)
    spec = Project.objects.get(pk=project.pk).spec
    assert spec["manifest"]["version"] == "0.0.2"
    assert "CHANGELOG.md" not in (spec.get("files") or {})


def test_a_draft_saved_since_the_suggestion_is_not_bumped(client, editor, project, plugins_out):
    finished_build(project)
    edit(project, set_price)
    client.force_login(editor)
    form = bump_form(client.get(page(project)).content.decode())
    edit(project, lambda s: s["models"][0]["label"].update(en_US="Renamed"))
    response = client.post(
        reverse("builds:bump", args=[project.pk]), form, headers={"HX-Request": "true"}
    )
    assert "Someone saved the draft since" in response.content.decode()
    assert Project.objects.get(pk=project.pk).spec["manifest"]["version"] == "0.0.1"


def test_a_stale_suggestion_is_not_applied(client, editor, project, plugins_out):
    finished_build(project)
    edit(project, set_price)
    client.force_login(editor)
    form = bump_form(client.get(page(project)).content.decode())
    edit(project, add_model)  # now a minor bump fits, not the patch shown
    form["draft_version"] = str(project.version)
    response = client.post(
        reverse("builds:bump", args=[project.pk]), form, headers={"HX-Request": "true"}
    )
    assert "look at the suggested version again" in response.content.decode()
    assert Project.objects.get(pk=project.pk).spec["manifest"]["version"] == "0.0.1"


def test_a_viewer_sees_the_suggestion_but_cannot_apply_it(client, viewer, project, plugins_out):
    finished_build(project)
    edit(project, set_price)
    client.force_login(viewer)
    body = client.get(page(project)).content.decode()
    assert "a <strong>patch</strong> release fits" in body
    assert 'name="changelog"' not in body
    form = {"version": "0.0.2", "draft_version": str(project.version), "changelog": ""}
    assert client.post(reverse("builds:bump", args=[project.pk]), form).status_code == 403


def test_the_panel_shows_what_the_latest_build_changed(client, viewer, project, plugins_out):
    first = finished_build(project)
    edit(project, add_model)
    finished_build(project, data=b"other-zip", plugin_version="0.1.0")
    client.force_login(viewer)
    body = client.get(page(project)).content.decode()
    assert f"Changes since build #{first.pk} (0.0.1)" in body
    assert "added <code>models/llm/second-chat.yaml</code>" in body
    assert "model added: llm/second-chat" in body
    assert "files: 1 added, 3 changed (minor)" in body
