"""Creating a definition from nothing: its type and id, then the model editor."""

import pytest
from django.urls import reverse

from designer.library.models import LibraryModel

pytestmark = pytest.mark.django_db


def test_a_new_definition_opens_in_the_editor_with_its_first_revision(client, editor, team):
    client.force_login(editor)
    response = client.post(reverse("library:new"), {"model_type": "rerank", "model": " r-1 "})
    item = LibraryModel.objects.get(team=team)
    assert response.url == reverse("library:edit", args=[item.pk])
    assert (item.model_type, item.model_id, item.version) == ("rerank", "r-1", 1)
    assert item.revisions.get().author == editor
    assert "r-1" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"model_type": "image", "model": "x"}, "Choose a model type."),
        ({"model_type": "llm", "model": "  "}, "Give the model&#x27;s id"),
        ({"model_type": "llm", "model": "taken"}, "already has a llm model named"),
    ],
)
def test_bad_input_is_refused_next_to_the_form(client, editor, team, data, message):
    client.force_login(editor)
    client.post(reverse("library:new"), {"model_type": "llm", "model": "taken"})
    response = client.post(reverse("library:new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert LibraryModel.objects.filter(team=team).count() == 1
