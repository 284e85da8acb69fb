"""Bulk edits of the selected models: each kind, what it says, and what it leaves alone."""

import copy

import pytest

from designer.core.bulk_edit import BulkEditError, bulk_edit
from tests.core.factories import embedding_model, llm_model, plugin_document


@pytest.fixture
def document():
    return plugin_document(
        [
            llm_model("a"),
            embedding_model("e"),
            llm_model("b", features=[]),
            {"model": "lib", "model_type": "llm", "library": "3"},
            llm_model("c"),
        ]
    )


def edit(document, indices, action, **options):
    before = copy.deepcopy(document)
    result = bulk_edit(document, indices, action, options)
    assert document == before, "the given document is read-only"
    return result


def test_adding_a_feature_counts_who_had_it_and_leaves_references_to_the_library(document):
    result = edit(document, [0, 2, 3], "add-feature", feature="vision")
    models = result.document["models"]
    assert models[0]["features"] == ["tool-call", "stream-tool-call", "vision"]
    assert models[2]["features"] == ["vision"]
    assert models[3] is document["models"][3] and models[1] is document["models"][1]
    assert result.message == (
        "Added vision to 2 models; 1 model follows the library: edit it there."
    )
    again = edit(result.document, [0], "add-feature", feature="vision")
    assert again.message == "Added vision to 0 models; 1 model already had it."


def test_removing_and_clearing_features(document):
    removed = edit(document, [0, 4], "remove-feature", feature="tool-call").document["models"]
    assert removed[0]["features"] == removed[4]["features"] == ["stream-tool-call"]
    cleared = edit(document, [0, 2], "clear-features")
    assert "features" not in cleared.document["models"][0]
    assert cleared.message == "Cleared the features of 1 model; 1 model had none."


def test_rules_from_a_template_are_added_replaced_and_removed_on_llm_models(document):
    added = edit(document, [0, 1, 2], "add-rule", template="presence_penalty")
    rules = added.document["models"][2]["parameter_rules"]
    assert rules[-1] == {"name": "presence_penalty", "use_template": "presence_penalty"}
    assert "parameter_rules" not in added.document["models"][1]  # an embedding model
    replaced = edit(document, [0], "replace-rule", template="max_tokens").document
    rule = replaced["models"][0]["parameter_rules"][2]
    assert rule == {"name": "max_tokens", "use_template": "max_tokens"}
    removed = edit(document, [0, 4], "remove-rule", template="top_p").document
    assert [r["name"] for r in removed["models"][4]["parameter_rules"]] == [
        "temperature",
        "max_tokens",
        "seed",
    ]


def test_pricing_currency_and_unit_are_set_where_there_is_pricing(document):
    document["models"][2] = {k: v for k, v in document["models"][2].items() if k != "pricing"}
    result = edit(document, [0, 1, 2], "set-pricing", currency="rmb", unit="0.001")
    assert result.document["models"][0]["pricing"] == {
        "input": "0.50",
        "output": "1.50",
        "unit": "0.001",
        "currency": "RMB",
    }
    assert "pricing" not in result.document["models"][2]
    assert result.message.startswith("Set the pricing currency RMB and unit 0.001 of 2 models")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "give a currency"),
        ({"unit": "0.5"}, "price unit"),
        ({"currency": "US$"}, "letters"),
    ],
)
def test_bad_pricing_is_refused(document, options, message):
    with pytest.raises(BulkEditError, match=message):
        edit(document, [0], "set-pricing", **options)


def test_deprecation_is_set_and_cleared(document):
    marked = edit(document, [0, 1], "deprecate").document
    assert marked["models"][0]["deprecated"] is True and marked["models"][1]["deprecated"]
    current = edit(marked, [0, 1], "undeprecate").document
    assert "deprecated" not in current["models"][0]


def test_moves_stay_within_each_type_and_keep_an_imported_position_list(document):
    document["positions"] = {"llm": ["a", "b", "lib", "c", "gone"]}
    ids = lambda result: [m["model"] for m in result.document["models"]]  # noqa: E731
    up = edit(document, [2, 4], "move-up")
    assert ids(up) == ["b", "e", "a", "c", "lib"]
    assert up.document["positions"]["llm"] == ["b", "a", "c", "lib", "gone"]
    assert ids(edit(document, [0], "move-up")) == ["a", "e", "b", "lib", "c"]
    assert ids(edit(document, [0, 2], "move-down")) == ["lib", "e", "a", "b", "c"]
    assert ids(edit(document, [4], "move-top")) == ["c", "e", "a", "b", "lib"]
    assert ids(edit(document, [0, 1], "move-bottom")) == ["b", "e", "lib", "c", "a"]
    assert edit(document, [0], "move-top").message == "The selected models cannot move to the top."


def test_deleting_names_the_models(document):
    result = edit(document, [1, 3], "delete")
    assert [m["model"] for m in result.document["models"]] == ["a", "b", "c"]
    assert result.message == "Deleted 2 models: e, lib."


@pytest.mark.parametrize(
    ("indices", "action", "options", "message"),
    [
        ([], "deprecate", {}, "select at least one"),
        ([99], "deprecate", {}, "select at least one"),
        ([0], "explode", {}, "choose what to do"),
        ([0], "add-feature", {"feature": "telepathy"}, "choose a feature"),
        ([0], "add-rule", {"template": "nope"}, "parameter template"),
    ],
)
def test_what_cannot_be_done_says_why(document, indices, action, options, message):
    with pytest.raises(BulkEditError, match=message):
        edit(document, indices, action, **options)
