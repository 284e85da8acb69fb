"""Hostile or mistyped input in the library answers with a message, never a 500: filters that
are not numbers, editor posts whose names grow or nest without bound, a definition sent again
that nests too deep."""

import json
import time
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from designer.core.fieldpath import MAX_DEPTH, MAX_INDEX
from designer.library import service
from tests.core.factories import llm_model

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"
NOT_NUMBERS = ["NaN", "sNaN", "-nan", "Infinity", "-inf", "abc"]


@pytest.fixture
def item(team, editor):
    return service.create_definition(team, llm_model("b-chat"), editor)


@pytest.fixture
def typed_nan(team, editor):
    """A definition whose price was typed as NaN (kept as typed, reported on its field)."""
    model = llm_model("nan-chat")
    model["pricing"]["input"] = "NaN"
    return service.create_definition(team, model, editor)


def post(client, url, pairs):
    return client.post(url, urlencode(pairs), content_type=FORM)


@pytest.mark.parametrize("text", NOT_NUMBERS)
@pytest.mark.parametrize("name", ["price_min", "price_max", "context_min", "context_max"])
def test_a_number_filter_that_is_not_a_number_is_ignored_with_a_note(
    client, editor, item, typed_nan, project, name, text
):
    client.force_login(editor)
    for url in (reverse("library:list"), reverse("projects:pick_library", args=[project.pk])):
        response = client.get(url, {name: text, "q": "chat"})
        body = response.content.decode()
        assert response.status_code == 200
        assert f"ignored: “{text}” is not a number." in body
        assert ">b-chat</a>" in body and ">nan-chat</a>" in body  # the filter is left out


def test_a_stored_price_that_is_not_a_number_never_matches_a_price_filter(
    client, editor, item, typed_nan
):
    client.force_login(editor)
    body = client.get(reverse("library:list"), {"price_min": "0.1"}).content.decode()
    assert ">b-chat</a>" in body and ">nan-chat</a>" not in body


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_an_export_with_a_filter_that_is_not_a_number_is_refused(client, editor, item, text):
    client.force_login(editor)
    response = client.get(reverse("library:export"), {"price_min": text})
    assert response.status_code == 400
    assert f"“{text}” is not a number." in response.content.decode()
    assert client.get(reverse("library:export"), {"price_min": "0.1"}).status_code == 200


def test_a_huge_index_in_a_preview_is_refused_at_once(client, viewer, item):
    client.force_login(viewer)
    started = time.perf_counter()
    url = reverse("library:preview", args=[item.pk])
    response = post(client, url, [(f"definition.x{i}[1000000]", "x") for i in range(4)])
    assert time.perf_counter() - started < 1
    assert response.status_code == 400
    assert f"list index 1000000 is over {MAX_INDEX}" in response.content.decode()


def test_an_index_past_a_lists_end_in_a_preview_is_refused(client, viewer, item):
    client.force_login(viewer)
    url = reverse("library:preview", args=[item.pk])
    response = post(client, url, [("definition.features[5]", "vision")])
    assert response.status_code == 400
    assert "definition.features[5] is past the end of its list" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["definition" + ".a" * 500 + ".b", "definition" + ".a" * 40, "definition.x0[1000000]"],
)
def test_a_save_with_a_name_that_grows_or_nests_without_bound_is_refused(
    client, editor, item, name
):
    client.force_login(editor)
    started = time.perf_counter()
    response = post(client, reverse("library:edit", args=[item.pk]), [("_version", 1), (name, "x")])
    assert time.perf_counter() - started < 1
    assert response.status_code == 400
    assert "Not saved: " in response.content.decode()
    assert "is not a field name" in response.content.decode()
    item.refresh_from_db()
    assert item.version == 1


def with_lists(depth: int) -> str:
    """The definition as JSON with a key ``x`` whose longest path has ``depth`` parts."""
    return json.dumps(llm_model("b-chat"))[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", f"nests deeper than {MAX_DEPTH} levels"),
        ('{"a": ' + "[" * 900 + "]" * 900 + "}", f"nests deeper than {MAX_DEPTH} levels"),
        (with_lists(MAX_DEPTH + 1), f"nests deeper than {MAX_DEPTH} levels"),
        ("[1]", "is not a JSON object"),
    ],
)
def test_a_definition_sent_again_is_parsed_with_bounds(client, editor, item, sent, message):
    client.force_login(editor)
    url = reverse("library:edit", args=[item.pk])
    response = post(client, url, [("_version", 1), ("_definition_json", sent)])
    assert response.status_code == 400
    assert f"Not saved: the definition sent again {message}." in response.content.decode()
    item.refresh_from_db()
    assert item.version == 1


def test_a_definition_sent_again_at_the_depth_bound_is_saved(client, editor, item):
    client.force_login(editor)
    url = reverse("library:edit", args=[item.pk])
    post(client, url, [("_version", 1), ("_definition_json", with_lists(MAX_DEPTH))])
    item.refresh_from_db()
    assert item.version == 2
