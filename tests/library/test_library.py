import pytest
from django.test import Client
from django.urls import reverse

from designer.builds.service import snapshot_for
from designer.library import service
from designer.library.models import LibraryModel
from designer.projects.models import Project
from tests.core.factories import embedding_model, llm_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def definition(team, editor):
    return service.create_definition(team, llm_model("shared-chat"), editor, tags="chat,fast")


def edit_url(item):
    return reverse("library:edit", args=[item.pk])


def test_the_list_filters_by_type_feature_context_price_and_use(
    client, editor, team, definition, project
):
    service.create_definition(team, embedding_model("embed-small"), editor)
    client.force_login(editor)

    def shown(**query):
        body = client.get(reverse("library:list"), query).content.decode()
        return [m for m in ["shared-chat", "embed-small"] if f">{m}</a>" in body]

    assert shown() == ["shared-chat", "embed-small"]
    assert shown(type="text-embedding") == ["embed-small"]
    assert shown(feature="tool-call") == ["shared-chat"]
    assert shown(context_min="8000", context_max="9000") == ["shared-chat", "embed-small"]
    assert shown(price_max="0.1") == ["embed-small"]
    assert shown(tag="fast") == ["shared-chat"]
    assert shown(used="yes") == []
    client.post(reverse("projects:use_library", args=[definition.pk]), {"project": project.pk})
    assert shown(used="yes") == ["shared-chat"]


def test_editing_saves_a_revision_and_history_shows_a_field_diff(client, editor, definition):
    client.force_login(editor)
    client.post(edit_url(definition), {"_version": 1, "definition.pricing.input": "0.75"})
    definition.refresh_from_db()
    assert definition.version == 2
    assert definition.definition["pricing"]["input"] == "0.75"
    body = client.get(reverse("library:history", args=[definition.pk])).content.decode()
    assert "<code>pricing.input</code>" in body and "0.50" in body and "0.75" in body


def test_restoring_an_old_revision_makes_a_new_one(client, editor, definition):
    client.force_login(editor)
    client.post(edit_url(definition), {"_version": 1, "definition.pricing.input": "0.75"})
    client.post(reverse("library:restore", args=[definition.pk, 1]))
    definition.refresh_from_db()
    assert definition.version == 3
    assert definition.definition["pricing"]["input"] == "0.50"


def test_two_editors_one_wins_the_other_gets_the_conflict_page(editor, owner, definition):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(owner)
    first.post(edit_url(definition), {"_version": 1, "definition.pricing.input": "0.60"})
    response = second.post(
        edit_url(definition), {"_version": 1, "definition.pricing.input": "0.99"}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Not saved" in body and "0.60" in body and "0.99" in body
    definition.refresh_from_db()
    assert definition.definition["pricing"]["input"] == "0.60"


def test_delete_is_refused_while_a_plugin_uses_it(client, editor, definition, project):
    client.force_login(editor)
    client.post(reverse("projects:use_library", args=[definition.pk]), {"project": project.pk})
    response = client.post(reverse("library:delete", args=[definition.pk]), follow=True)
    assert "used by Demo" in response.content.decode()
    assert LibraryModel.objects.filter(pk=definition.pk).exists()


def test_a_referenced_model_builds_with_the_current_definition(client, editor, definition, project):
    client.force_login(editor)
    client.post(reverse("projects:use_library", args=[definition.pk]), {"project": project.pk})
    client.post(edit_url(definition), {"_version": 1, "definition.pricing.input": "0.42"})
    project.refresh_from_db()
    snapshot = snapshot_for(project)
    used = next(m for m in snapshot["models"] if m.get("library") == str(definition.pk))
    assert used["pricing"]["input"] == "0.42"


def test_a_copy_diverges_from_the_library(client, editor, definition, project):
    client.force_login(editor)
    client.post(
        reverse("projects:use_library", args=[definition.pk]),
        {"project": project.pk, "mode": "copy"},
    )
    client.post(edit_url(definition), {"_version": 1, "definition.pricing.input": "0.42"})
    project.refresh_from_db()
    copied = next(m for m in snapshot_for(project)["models"] if m["model"] == "shared-chat")
    assert copied["pricing"]["input"] == "0.50"
    assert "library" not in copied


def test_clone_makes_an_independent_definition(client, editor, definition):
    client.force_login(editor)
    client.post(reverse("library:clone", args=[definition.pk]))
    assert LibraryModel.objects.filter(model_id="shared-chat-copy").exists()


def test_catalog_import_adds_skips_or_updates_duplicates(client, editor, team):
    client.force_login(editor)
    url = reverse("library:catalog")
    client.post(url, {"key": ["gpt-4o", "text-embedding-3-small"], "duplicates": "skip"})
    gpt = LibraryModel.objects.get(team=team, model_id="gpt-4o")
    assert gpt.definition["pricing"]["input"] == "2.5"
    gpt.definition = {**gpt.definition, "pricing": {**gpt.definition["pricing"], "input": "9"}}
    gpt.save()
    skipped = client.post(url, {"key": ["gpt-4o"], "duplicates": "skip"}, follow=True)
    assert "0 added, 0 updated, 1 duplicates skipped." in skipped.content.decode()
    gpt.refresh_from_db()
    assert gpt.definition["pricing"]["input"] == "9"
    updated = client.post(url, {"key": ["gpt-4o"], "duplicates": "update"}, follow=True)
    assert "0 added, 1 updated, 0 duplicates skipped." in updated.content.decode()
    gpt.refresh_from_db()
    assert gpt.definition["pricing"]["input"] == "2.5"
    assert gpt.version == 2


def test_the_catalog_page_filters_and_shows_warnings(client, editor):
    client.force_login(editor)
    body = client.get(reverse("library:catalog"), {"provider": "openai", "q": "whisper-1"}).content
    assert b"whisper-1" in body and b"not per token" in body


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("library:edit", "get"),
        ("library:history", "get"),
        ("library:delete", "post"),
        ("library:clone", "post"),
        ("projects:use_library", "post"),
    ],
)
def test_another_team_gets_404(client, outsider, definition, name, method):
    client.force_login(outsider)
    response = getattr(client, method)(reverse(name, args=[definition.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["library:delete", "library:clone"])
def test_a_viewer_cannot_change_the_library(client, viewer, definition, name):
    client.force_login(viewer)
    assert client.post(reverse(name, args=[definition.pk])).status_code == 403
    viewer_edit = client.post(edit_url(definition), {"_version": 1, "definition.model": "x"})
    assert viewer_edit.status_code == 403


def test_a_viewer_cannot_import_from_the_catalog(client, viewer):
    client.force_login(viewer)
    assert client.post(reverse("library:catalog"), {"key": "gpt-4o"}).status_code == 403


def test_the_library_shows_only_the_active_teams_definitions(client, outsider, definition):
    client.force_login(outsider)
    assert b"shared-chat" not in client.get(reverse("library:list")).content


def test_project_spec_is_unchanged_in_the_database_by_resolution(editor, definition, project):
    project.spec["models"].append(service.reference(definition))
    project.save()
    service.save_definition(definition, {**definition.definition, "deprecated": True}, 1, editor)
    snapshot_for(project)
    stored = Project.objects.get(pk=project.pk).spec["models"][-1]
    assert stored.get("deprecated") is False


def test_the_models_page_marks_references_changed_since_the_last_build(
    client, editor, definition, project, settings, tmp_path
):
    from tests.builds.factories import finished_build

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    client.force_login(editor)
    client.post(reverse("projects:use_library", args=[definition.pk]), {"project": project.pk})
    project.refresh_from_db()
    models_url = reverse("projects:models", args=[project.pk])
    assert "changed since last build" in client.get(models_url).content.decode()
    finished_build(project, snapshot=snapshot_for(project))
    assert "changed since last build" not in client.get(models_url).content.decode()
    client.post(edit_url(definition), {"_version": 1, "definition.pricing.input": "0.99"})
    assert "changed since last build" in client.get(models_url).content.decode()


def test_the_library_editor_is_the_model_editor_with_a_live_preview(client, editor, definition):
    client.force_login(editor)
    page = client.get(edit_url(definition)).content.decode()
    assert 'name="definition.parameter_rules[2].max:number"' in page
    assert 'data-preset=\'{"name": "top_k"' in page
    preview = client.post(
        reverse("library:preview", args=[definition.pk]),
        {"definition.model_properties.context_size:int": "2048"},
    ).content.decode()
    assert "context_size:</span> 2048" in preview
    assert "definition.parameter_rules[2].max" in preview  # max_tokens above the context size
    definition.refresh_from_db()
    assert definition.version == 1  # previewing saves nothing


def test_parameter_rules_are_edited_as_rows_in_the_library(client, editor, definition):
    client.force_login(editor)
    rules = "definition.parameter_rules"
    client.post(
        edit_url(definition),
        {
            "_version": 1,
            "_lists": rules,
            f"{rules}[0]._origin": "2",
            f"{rules}[0].name": "max_tokens",
            f"{rules}[0].max:number": "2048",
        },
    )
    definition.refresh_from_db()
    assert [r["name"] for r in definition.definition["parameter_rules"]] == ["max_tokens"]
    assert definition.definition["parameter_rules"][0]["max"] == 2048


def test_a_referenced_model_shows_the_library_definition_and_is_edited_there(
    client, editor, definition, project
):
    client.force_login(editor)
    client.post(reverse("projects:use_library", args=[definition.pk]), {"project": project.pk})
    client.post(edit_url(definition), {"_version": 1, "definition.pricing.input": "0.31"})
    project.refresh_from_db()
    index = len(project.spec["models"]) - 1
    page = client.get(reverse("projects:model", args=[project.pk, index])).content.decode()
    assert "follows the team library" in page
    assert 'value="0.31"' in page
    assert "<fieldset disabled>" in page
    client.post(reverse("projects:detach_library", args=[project.pk, index]))
    page = client.get(reverse("projects:model", args=[project.pk, index])).content.decode()
    assert "follows the team library" not in page
    assert 'value="0.31"' in page
