"""History: any two revisions compared field by field; bad revision numbers are ignored."""

import pytest
from django.urls import reverse

from designer.library import service
from tests.core.factories import llm_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(team, editor):
    item = service.create_definition(team, llm_model("h-chat"), editor)
    for version, price in [(1, "0.6"), (2, "0.7")]:
        changed = {**item.definition, "pricing": {**item.definition["pricing"], "input": price}}
        item = service.save_definition(item, changed, version, editor)
    return item


def test_the_first_and_last_revisions_can_be_compared(client, viewer, item):
    client.force_login(viewer)
    body = client.get(reverse("library:history", args=[item.pk]), {"a": 1, "b": 3}).content
    row = body.decode().split("<code>pricing.input</code>")[1].split("</tr>")[0]
    assert "0.50" in row and "0.7" in row and "0.6" not in row


@pytest.mark.parametrize("query", [{"a": "x", "b": "1e9"}, {"a": "-1"}, {"b": ""}])
def test_bad_revision_numbers_show_the_default_comparison(client, viewer, item, query):
    client.force_login(viewer)
    response = client.get(reverse("library:history", args=[item.pk]), query)
    assert response.status_code == 200


def test_a_restore_that_would_take_another_definitions_id_is_refused(client, editor, item):
    client.force_login(editor)
    renamed = {**item.definition, "model": "h-chat-renamed"}
    item = service.save_definition(item, renamed, 3, editor)
    service.create_definition(item.team, llm_model("h-chat"), editor)
    response = client.post(reverse("library:restore", args=[item.pk, 1]), follow=True)
    assert "not restored" in response.content.decode()
    item.refresh_from_db()
    assert (item.model_id, item.version) == ("h-chat-renamed", 4)


def test_the_diff_matches_rules_by_name_and_lists_values_plainly():
    old, new = llm_model("d"), llm_model("d")
    new["features"].append("vision")
    del new["parameter_rules"][1]  # top_p
    new["parameter_rules"][1]["max"] = 8000  # max_tokens, now second
    new["parameter_rules"].reverse()
    assert service.field_diff(old, new) == [
        ("features", "tool-call, stream-tool-call", "tool-call, stream-tool-call, vision"),
        ("parameter_rules[top_p].name", "top_p", None),
        ("parameter_rules[top_p].use_template", "top_p", None),
        ("parameter_rules[max_tokens].max", 4096, 8000),
        (
            "parameter_rules (order)",
            "temperature, max_tokens, seed",
            "seed, max_tokens, temperature",
        ),
    ]
