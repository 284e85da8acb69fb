"""The catalog page: filters, the model file of one entry, and duplicates marked."""

import pytest
from django.urls import reverse

from designer.library import service

pytestmark = pytest.mark.django_db


def test_one_entry_is_previewed_as_its_model_file_with_its_warnings(client, viewer):
    client.force_login(viewer)
    url = reverse("library:catalog_entry")
    page = client.get(url, {"key": "text-embedding-3-small"}).content.decode()
    assert "models/text_embedding/text-embedding-3-small.yaml" in page
    assert "no batch size" in page and "<html" in page
    partial = client.get(url, {"key": "gpt-4o"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "context_size:</span> 128000" in partial


@pytest.mark.parametrize("key", ["", "sample_spec", "no-such-model"])
def test_an_unknown_entry_is_not_found(client, viewer, key):
    client.force_login(viewer)
    assert client.get(reverse("library:catalog_entry"), {"key": key}).status_code == 404


def test_models_already_in_the_library_are_marked(client, editor, team):
    client.force_login(editor)
    client.post(reverse("library:catalog"), {"key": ["gpt-4o"]})
    page = client.get(reverse("library:catalog"), {"provider": "openai", "q": "gpt-4o"})
    rows = page.content.decode().split("<tr>")
    marked = [r for r in rows if "already in the library" in r]
    assert len(marked) == 1 and 'value="gpt-4o"' in marked[0]


def test_a_catalog_model_updated_in_place_keeps_its_history(client, editor, team):
    client.force_login(editor)
    client.post(reverse("library:catalog"), {"key": ["gpt-4o"]})
    item = team.library_models.get()
    changed = {**item.definition, "pricing": {**item.definition["pricing"], "input": "1"}}
    service.save_definition(item, changed, 1, editor)
    client.post(reverse("library:catalog"), {"key": ["gpt-4o"], "duplicates": "update"})
    notes = list(item.revisions.order_by("number").values_list("note", flat=True))
    assert notes == ["catalog: gpt-4o", "edited", "catalog: gpt-4o"]


def test_a_definition_whose_features_contradict_its_catalog_entry_is_warned_about(
    client, editor, team
):
    client.force_login(editor)
    client.post(reverse("library:catalog"), {"key": ["gpt-4o"]})
    item = team.library_models.get()
    edit = reverse("library:edit", args=[item.pk])
    assert "the catalog says" not in client.get(edit).content.decode()
    features = [f for f in item.definition["features"] if f != "vision"] + ["audio"]
    service.save_definition(item, {**item.definition, "features": features}, 1, editor)
    page = client.get(edit).content.decode()
    assert "the catalog says the model supports vision (supports_vision)" in page
    assert "the catalog says the model has no audio" not in page  # gpt-4o states no audio flag
    assert "definition.features" in page


def test_flag_disagreements_both_ways():
    from designer.core.catalog import flag_disagreements

    entry = {"supports_vision": True, "supports_audio_input": False}
    definition = {"model_type": "llm", "features": ["audio"]}
    messages = [f.message for f in flag_disagreements(definition, entry, "definition.features")]
    assert messages == [
        "the catalog says the model supports vision (supports_vision)",
        "the catalog says the model has no audio (supports_audio_input)",
    ]
    assert flag_disagreements({"model_type": "rerank"}, entry, "x") == []
