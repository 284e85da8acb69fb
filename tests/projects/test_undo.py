"""Undo of one-click changes: a bulk edit over many models is taken back exactly, only while
nobody saved since; editors only; the last few changes of a project are kept."""

import json
import re

import pytest
from django.urls import reverse

from designer.core.parts import digests_of
from designer.projects.document import effective_document
from designer.projects.models import Project, SpecPart, UndoableChange
from designer.projects.undo import KEPT
from tests.core.factories import llm_model, plugin_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_project(team):
    models = [llm_model(f"acme-chat-{i:03}") for i in range(200)]
    return Project.objects.create(team=team, name="Big", spec=plugin_document(models))


def bulk(client, project, action, selected, **data):
    url = reverse("projects:bulk_models", args=[project.pk])
    data = {"_version": project.version, "action": action, "selected": selected, **data}
    return client.post(url, data, follow=True)


def undo(client, project, change):
    url = reverse("projects:undo", args=[project.pk])
    return client.post(url, {"change": change.pk}, follow=True)


def offers_undo_in_message(response, project) -> bool:
    undo_url = reverse("projects:undo", args=[project.pk])
    message = re.search(r'<li class="success">(.*?)</li>', response.content.decode(), re.S)
    return message is not None and f'action="{undo_url}"' in message[1]


def saved_document(project) -> str:
    project.refresh_from_db()
    return json.dumps(effective_document(project))


def test_a_bulk_edit_of_200_models_is_undone_exactly(client, editor, big_project):
    client.force_login(editor)
    before, version = saved_document(big_project), big_project.version
    every = [str(i) for i in range(200)]
    response = bulk(client, big_project, "set-pricing", every, currency="EUR")
    assert saved_document(big_project) != before
    change = UndoableChange.objects.get(project=big_project)
    assert offers_undo_in_message(response, big_project)

    response = undo(client, big_project, change)
    assert "Undone: Set the pricing currency EUR of 200 models." in response.content.decode()
    assert saved_document(big_project) == before
    assert big_project.version == version + 2  # the undo is a save of its own
    assert not UndoableChange.objects.exists()


def test_undo_is_refused_after_someone_typed_and_nothing_is_lost(client, editor, project):
    client.force_login(editor)
    bulk(client, project, "deprecate", ["0", "1"])
    project.refresh_from_db()
    url = reverse("projects:save_model", args=[project.pk, 0])
    client.post(url, {"_version": project.version, "models[0].label.en_US": "Typed"})
    typed = saved_document(project)

    response = undo(client, project, UndoableChange.objects.get())
    assert "Nothing undone: the project was saved after" in response.content.decode()
    assert saved_document(project) == typed
    assert project.spec["models"][0]["label"]["en_US"] == "Typed"
    assert project.spec["models"][1]["deprecated"] is True


def test_an_older_change_cannot_be_undone_over_a_newer_one(client, editor, project):
    client.force_login(editor)
    bulk(client, project, "deprecate", ["0"])
    project.refresh_from_db()
    bulk(client, project, "add-feature", ["1"], feature="vision")
    first = UndoableChange.objects.order_by("pk").first()
    after_both = saved_document(project)
    assert "Nothing undone" in undo(client, project, first).content.decode()
    assert saved_document(project) == after_both


def test_changes_are_undone_one_after_another_back_to_the_start(client, editor, project):
    client.force_login(editor)
    start = saved_document(project)
    bulk(client, project, "deprecate", ["0"])
    project.refresh_from_db()
    bulk(client, project, "add-feature", ["1"], feature="vision")
    project.refresh_from_db()
    models_page = reverse("projects:models", args=[project.pk])
    assert "Last change: Added vision to 1 model." in client.get(models_page).content.decode()
    for change in UndoableChange.objects.order_by("-pk"):
        undo(client, project, change)
    assert saved_document(project) == start
    assert "Last change" not in client.get(models_page).content.decode()


def test_a_change_undone_already_is_not_undone_again(client, editor, project):
    client.force_login(editor)
    bulk(client, project, "delete", ["0"])
    change = UndoableChange.objects.get()
    undo(client, project, change)
    restored = saved_document(project)
    assert "undone already" in undo(client, project, change).content.decode()
    assert saved_document(project) == restored


def test_a_deleted_model_comes_back(client, editor, project):
    client.force_login(editor)
    before = saved_document(project)
    response = client.post(reverse("projects:delete_model", args=[project.pk, 1]), follow=True)
    assert "Deleted the model demo-embed." in response.content.decode()
    undo(client, project, UndoableChange.objects.get())
    assert saved_document(project) == before


def test_a_change_on_the_plugin_page_offers_undo_there(client, editor, project):
    client.force_login(editor)
    before = saved_document(project)
    url = reverse("projects:privacy", args=[project.pk])
    response = client.post(url, {"privacy": "We keep nothing."}, follow=True)
    assert offers_undo_in_message(response, project)
    undo(client, project, UndoableChange.objects.get())
    assert saved_document(project) == before


def test_a_viewer_cannot_undo_and_another_team_gets_404(client, editor, viewer, outsider, project):
    client.force_login(editor)
    bulk(client, project, "delete", ["0", "1"])
    change = UndoableChange.objects.get()
    for user, status in [(viewer, 403), (outsider, 404)]:
        client.force_login(user)
        url = reverse("projects:undo", args=[project.pk])
        assert client.post(url, {"change": change.pk}).status_code == status
    project.refresh_from_db()
    assert project.spec["models"] == []
    models_page = reverse("projects:models", args=[project.pk])
    client.force_login(viewer)
    assert "Last change" not in client.get(models_page).content.decode()


def test_only_the_last_changes_are_kept(client, editor, project):
    client.force_login(editor)
    for i in range(KEPT + 2):
        bulk(client, project, "deprecate" if i % 2 == 0 else "undeprecate", ["0"])
        project.refresh_from_db()
    kept = UndoableChange.objects.filter(project=project).order_by("pk")
    assert kept.count() == KEPT
    assert kept.first().version == project.version - KEPT + 1


def test_a_change_whose_parts_are_gone_is_not_undone(client, editor, project):
    client.force_login(editor)
    bulk(client, project, "delete", ["0"])
    change = UndoableChange.objects.get()
    project.refresh_from_db()
    gone = next(d for d in digests_of(change.outline) if d not in digests_of(project.outline))
    SpecPart.objects.filter(digest=gone).delete()
    response = undo(client, project, change)
    assert "parts of the draft from before that change are missing" in response.content.decode()
    project.refresh_from_db()
    assert len(project.spec["models"]) == 1


def test_a_change_that_saves_nothing_offers_no_undo(client, editor, project):
    client.force_login(editor)
    bulk(client, project, "send-to-library", ["0"])
    assert not UndoableChange.objects.exists()
