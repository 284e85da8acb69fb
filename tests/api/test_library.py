"""The library: list, create, read and save with ETag / If-Match, and the catalog."""

import pytest

from designer.library.models import LibraryModel
from tests.api.conftest import assert_problem
from tests.core.factories import embedding_model, llm_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(team, editor):
    from designer.library.service import create_definition

    return create_definition(team, llm_model("lib-chat"), editor, tags="chat, fast")


def test_the_list_has_the_teams_definitions(as_viewer, item, outsider, editor):
    from designer.library.service import create_definition

    create_definition(outsider.teams.get(), embedding_model(), outsider)
    rows = as_viewer.get("/library").json()
    assert [(r["id"], r["model"], r["tags"]) for r in rows] == [
        (item.pk, "lib-chat", ["chat", "fast"])
    ]
    assert as_viewer.get("/library?model_type=rerank").json() == []


def test_an_editor_adds_a_definition(as_editor, team):
    response = as_editor.post_json("/library?tags=new", embedding_model("e1"))
    assert response.status_code == 201
    created = LibraryModel.objects.get(pk=response.json()["id"])
    assert (created.team, created.model_id, created.tags) == (team, "e1", "new")
    assert created.revisions.count() == 1


def test_a_duplicate_id_is_409(as_editor, item):
    assert_problem(as_editor.post_json("/library", llm_model("lib-chat")), 409)


def test_a_broken_definition_is_422(as_editor):
    body = assert_problem(as_editor.post_json("/library", {"model": "x", "model_type": 5}), 422)
    assert body["findings"][0]["level"] == "error"


def test_a_viewer_cannot_add_or_save(as_viewer, item):
    assert_problem(as_viewer.post_json("/library", embedding_model()), 403)
    response = as_viewer.put_json(
        f"/library/{item.pk}", llm_model("lib-chat"), headers={"If-Match": '"1"'}
    )
    assert_problem(response, 403)


def test_a_definition_comes_with_its_version_as_etag(as_viewer, item):
    response = as_viewer.get(f"/library/{item.pk}")
    assert response["ETag"] == '"1"'
    assert response.json()["definition"] == item.definition


def test_put_with_the_current_etag_saves_a_revision(as_editor, item):
    changed = llm_model("lib-chat", context_size=32000)
    response = as_editor.put_json(f"/library/{item.pk}", changed, headers={"If-Match": '"1"'})
    assert response.status_code == 200 and response["ETag"] == '"2"'
    item.refresh_from_db()
    assert item.definition["model_properties"]["context_size"] == 32000
    assert item.revisions.count() == 2


def test_put_after_someone_saved_is_412_and_overwrites_nothing(as_editor, item, editor):
    from designer.library.service import save_definition

    save_definition(item, llm_model("lib-chat", context_size=1), 1, editor)
    changed = llm_model("lib-chat", context_size=32000)
    response = as_editor.put_json(f"/library/{item.pk}", changed, headers={"If-Match": '"1"'})
    assert assert_problem(response, 412)["current_version"] == 2
    item.refresh_from_db()
    assert item.definition["model_properties"]["context_size"] == 1


def test_put_without_if_match_is_428(as_editor, item):
    assert_problem(as_editor.put_json(f"/library/{item.pk}", llm_model("lib-chat")), 428)


def test_another_teams_definition_is_404(as_outsider, item):
    assert_problem(as_outsider.get(f"/library/{item.pk}"), 404)
    response = as_outsider.put_json(
        f"/library/{item.pk}", llm_model("lib-chat"), headers={"If-Match": '"1"'}
    )
    assert_problem(response, 404)


def test_catalog_keys_give_definitions(as_viewer):
    response = as_viewer.post_json("/library/catalog", {"keys": ["gpt-4o", "gpt-4o"]})
    assert response.status_code == 200
    [entry] = response.json()
    assert (entry["key"], entry["provider"]) == ("gpt-4o", "openai")
    assert entry["definition"]["model_type"] == "llm"
    assert entry["definition"]["pricing"]["currency"] == "USD"
    assert not LibraryModel.objects.exists()  # nothing saved


def test_unknown_catalog_keys_are_422_naming_them(as_viewer):
    body = assert_problem(
        as_viewer.post_json("/library/catalog", {"keys": ["gpt-4o", "no-such-model"]}), 422
    )
    assert body["unknown"] == ["no-such-model"]


def test_a_catalog_request_without_keys_is_422(as_viewer):
    assert_problem(as_viewer.post_json("/library/catalog", {"key": "gpt-4o"}), 422)
