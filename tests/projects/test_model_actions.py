import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def ids(project):
    project.refresh_from_db()
    return [m["model"] for m in project.spec["models"]]


def test_adding_a_model_appends_it_and_supports_its_type(client, editor, project):
    client.force_login(editor)
    url = reverse("projects:add_model", args=[project.pk])
    response = client.post(url, {"model_type": "rerank", "model": "acme-rerank"})
    assert ids(project)[-1] == "acme-rerank"
    assert response.url == reverse("projects:model", args=[project.pk, 2])  # its editor
    assert "rerank" in project.spec["provider"]["supported_model_types"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"model_type": "chatbot", "model": "x"}, "Choose a model type"),
        ({"model_type": "llm"}, "id"),
    ],
)
def test_adding_a_model_with_bad_input_says_why(client, editor, project, data, message):
    client.force_login(editor)
    response = client.post(reverse("projects:add_model", args=[project.pk]), data, follow=True)
    assert message in response.content.decode()
    assert len(ids(project)) == 2


def test_models_move_within_their_type(client, editor, project):
    client.force_login(editor)
    client.post(
        reverse("projects:add_model", args=[project.pk]), {"model_type": "llm", "model": "b"}
    )
    assert ids(project) == ["demo-chat", "demo-embed", "b"]
    client.post(reverse("projects:move_model", args=[project.pk, 2, "up"]))
    assert ids(project) == ["b", "demo-embed", "demo-chat"]
    position = client.get(reverse("projects:models", args=[project.pk])).content.decode()
    assert position.index(">b<") < position.index(">demo-chat<")


def test_deleting_a_model(client, editor, project):
    client.force_login(editor)
    client.post(reverse("projects:delete_model", args=[project.pk, 1]))
    assert ids(project) == ["demo-chat"]


def test_a_viewer_cannot_change_models(client, viewer, project):
    client.force_login(viewer)
    assert client.post(reverse("projects:delete_model", args=[project.pk, 0])).status_code == 403
    assert len(ids(project)) == 2


def test_a_model_that_cannot_move_saves_nothing_and_says_so(client, editor, project):
    client.force_login(editor)
    url = reverse("projects:move_model", args=[project.pk, 0, "up"])
    response = client.post(url, follow=True)
    assert "demo-chat cannot move up" in response.content.decode()
    project.refresh_from_db()
    assert project.version == 1
