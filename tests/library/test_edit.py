"""Saving in the library editor: tags, refused saves shown again with the posted values, and
the conflict page's way to save one's own version after seeing theirs."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from designer.library import service
from designer.library.models import LibraryModel
from tests.core.factories import embedding_model, llm_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(team, editor):
    return service.create_definition(team, llm_model("e-chat"), editor)


def edit_url(item):
    return reverse("library:edit", args=[item.pk])


def test_tags_are_saved_cleaned_and_filter_the_list(client, editor, item):
    client.force_login(editor)
    client.post(edit_url(item), {"_version": 1, "_tags": " fast, cheap ,fast,, "})
    item.refresh_from_db()
    assert item.tags == "fast,cheap" and item.version == 2
    listed = client.get(reverse("library:list"), {"tag": "cheap"}).content.decode()
    assert ">e-chat</a>" in listed


def test_an_id_taken_by_another_definition_is_refused_with_the_typed_values_kept(
    client, editor, team, item
):
    service.create_definition(team, llm_model("other-chat"), editor)
    client.force_login(editor)
    response = client.post(
        edit_url(item),
        {"_version": 1, "definition.model": "other-chat", "definition.pricing.input": "0.9"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "already has a llm model named &#x27;other-chat&#x27;" in body
    assert 'value="0.9"' in body and 'value="other-chat"' in body
    item.refresh_from_db()
    assert (item.model_id, item.version) == ("e-chat", 1)


def test_too_many_tags_are_refused(client, editor, item):
    client.force_login(editor)
    response = client.post(edit_url(item), {"_version": 1, "_tags": "t" * 256})
    assert response.status_code == 400
    assert LibraryModel.objects.get(pk=item.pk).version == 1


def test_the_conflict_page_shows_both_files_and_can_save_mine_over_theirs(editor, owner, item):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(owner)
    first.post(edit_url(item), {"_version": 1, "definition.pricing.input": "0.60"})
    conflict = second.post(edit_url(item), {"_version": 1, "definition.pricing.input": "0.99"})
    body = conflict.content.decode()
    assert "Theirs (revision 2)" in body and "Yours (not saved)" in body
    assert body.count("input:</span>") == 2  # both model files are shown

    mine = json.loads(conflict.context["mine_json"])
    assert mine["pricing"]["input"] == "0.99"
    resend = {"_version": "2", "_tags": "", "_definition_json": conflict.context["mine_json"]}
    assert second.post(edit_url(item), resend).status_code == 302
    item.refresh_from_db()
    assert item.definition["pricing"]["input"] == "0.99" and item.version == 3
    assert second.post(edit_url(item), resend).status_code == 409  # still locked on its version


@pytest.mark.parametrize("sent", ["not json", "[1]"])
def test_a_broken_resent_definition_is_a_bad_request(client, editor, item, sent):
    client.force_login(editor)
    response = client.post(edit_url(item), {"_version": 1, "_definition_json": sent})
    assert response.status_code == 400
    assert LibraryModel.objects.get(pk=item.pk).version == 1


def test_cloning_twice_gives_two_free_ids(client, editor, team, item):
    client.force_login(editor)
    client.post(reverse("library:clone", args=[item.pk]))
    client.post(reverse("library:clone", args=[item.pk]))
    ids = set(LibraryModel.objects.filter(team=team).values_list("model_id", flat=True))
    assert ids == {"e-chat", "e-chat-copy", "e-chat-copy-2"}


def test_the_list_filters_by_price_range_and_by_the_project_using_it(
    client, editor, team, item, project
):
    service.create_definition(team, embedding_model("cheap-embed"), editor)
    client.force_login(editor)
    client.post(reverse("projects:use_library", args=[item.pk]), {"project": project.pk})

    def shown(**query):
        body = client.get(reverse("library:list"), query).content.decode()
        return [m for m in ["e-chat", "cheap-embed"] if f">{m}</a>" in body]

    assert shown(price_min="0.1") == ["e-chat"]
    assert shown(price_min="0.01", price_max="0.1") == ["cheap-embed"]
    assert shown(price_min="abc") == ["e-chat", "cheap-embed"]
    assert shown(used=str(project.pk)) == ["e-chat"]
    assert shown(used="999999") == []
