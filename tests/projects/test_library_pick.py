"""From a project: pick library definitions to add, and turn a reference into a copy."""

import pytest
from django.urls import reverse

from designer.builds.service import snapshot_for
from designer.library import service
from tests.core.factories import llm_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(team, editor):
    return service.create_definition(team, llm_model("p-chat"), editor)


def test_the_pick_page_adds_by_reference_or_copy_and_marks_what_the_plugin_has(
    client, editor, team, item, project
):
    other = service.create_definition(team, llm_model("q-chat"), editor)
    client.force_login(editor)
    url = reverse("projects:pick_library", args=[project.pk])
    use = reverse("projects:use_library", args=[item.pk])
    response = client.post(use, {"project": project.pk, "mode": "reference", "next": "pick"})
    assert response.url == url
    client.post(
        reverse("projects:use_library", args=[other.pk]), {"project": project.pk, "mode": "copy"}
    )
    project.refresh_from_db()
    added = project.spec["models"][2:]
    assert [(m["model"], m.get("library")) for m in added] == [
        ("p-chat", str(item.pk)),
        ("q-chat", None),
    ]
    page = client.get(url).content.decode()
    assert page.count("in the plugin</span>") == 2
    assert ">p-chat</a>" in client.get(url, {"q": "p-ch"}).content.decode()
    assert ">q-chat</a>" not in client.get(url, {"q": "p-ch"}).content.decode()


def test_a_detached_model_keeps_the_current_definition_and_stops_following(
    client, editor, item, project
):
    client.force_login(editor)
    client.post(reverse("projects:use_library", args=[item.pk]), {"project": project.pk})
    changed = {**item.definition, "pricing": {**item.definition["pricing"], "input": "0.8"}}
    service.save_definition(item, changed, 1, editor)
    response = client.post(reverse("projects:detach_library", args=[project.pk, 2]))
    assert response.url == reverse("projects:model", args=[project.pk, 2])
    service.save_definition(item, llm_model("p-chat"), 2, editor)
    project.refresh_from_db()
    own = snapshot_for(project)["models"][2]
    assert "library" not in own and own["pricing"]["input"] == "0.8"
    again = client.post(reverse("projects:detach_library", args=[project.pk, 2]), follow=True)
    assert "already the project" in again.content.decode()


@pytest.mark.parametrize("index", [5, 99])
def test_detaching_a_model_that_is_not_there_is_not_found(client, editor, project, index):
    client.force_login(editor)
    assert (
        client.post(reverse("projects:detach_library", args=[project.pk, index])).status_code == 404
    )


@pytest.mark.parametrize("role", ["viewer", "outsider"])
def test_only_the_projects_editors_pick_or_detach(client, request, project, role):
    client.force_login(request.getfixturevalue(role))
    expected = 403 if role == "viewer" else 404
    assert client.get(reverse("projects:pick_library", args=[project.pk])).status_code == expected
    detach = client.post(reverse("projects:detach_library", args=[project.pk, 0]))
    assert detach.status_code == expected
