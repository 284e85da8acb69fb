"""The changes between two specs and the version bump each case suggests."""

import copy

import pytest

from designer.core.changes import bumped, spec_changes, suggested_bump
from tests.core.factories import embedding_model, llm_model, plugin_document

BASE = plugin_document()


def edited(edit) -> dict:
    document = copy.deepcopy(BASE)
    edit(document)
    return document


def set_price(d):
    d["models"][0]["pricing"]["input"] = "0.60"


def set_label(d):
    d["models"][0]["label"]["en_US"] = "Renamed"


def set_context(d):
    d["models"][0]["model_properties"]["context_size"] = 128000


def set_description(d):
    d["manifest"]["description"]["en_US"] = "Better words"


def add_model(d):
    d["models"].append(llm_model("new-chat"))


def add_feature(d):
    d["models"][0]["features"].append("vision")


def add_rule(d):
    d["models"][0]["parameter_rules"].append({"name": "top_k", "use_template": "top_k"})


def remove_model(d):
    del d["models"][1]


def remove_feature(d):
    d["models"][0]["features"].remove("tool-call")


def remove_rule(d):
    del d["models"][0]["parameter_rules"][0]


def change_credentials(d):
    d["provider"]["provider_credential_schema"]["credential_form_schemas"][0]["required"] = False


def price_and_new_model(d):
    set_price(d)
    add_model(d)


def new_model_and_removed_one(d):
    add_model(d)
    remove_model(d)


@pytest.mark.parametrize(
    "edit, bump",
    [
        (set_price, "patch"),
        (set_label, "patch"),
        (set_context, "patch"),
        (set_description, "patch"),
        (add_model, "minor"),
        (add_feature, "minor"),
        (add_rule, "minor"),
        (price_and_new_model, "minor"),
        (remove_model, "major"),
        (remove_feature, "major"),
        (remove_rule, "major"),
        (change_credentials, "major"),
        (new_model_and_removed_one, "major"),
    ],
)
def test_each_change_suggests_its_bump(edit, bump):
    assert suggested_bump(spec_changes(BASE, edited(edit))) == bump


def test_nothing_changed_suggests_nothing():
    changes = spec_changes(BASE, copy.deepcopy(BASE))
    assert changes.empty and suggested_bump(changes) is None


def test_the_changes_name_models_and_fields():
    def edit(d):
        set_price(d)
        set_context(d)
        add_feature(d)
        d["models"][1] = embedding_model("other-embed")

    changes = spec_changes(BASE, edited(edit))
    assert changes.models_added == ["text-embedding/other-embed"]
    assert changes.models_removed == ["text-embedding/demo-embed"]
    [change] = changes.models_changed
    assert change.key == "llm/demo-chat"
    assert change.fields == ["model_properties.context_size", "pricing.input"]
    assert change.features_added == ["vision"]


def test_a_library_reference_resolving_to_the_same_definition_is_no_change():
    def edit(d):
        d["models"][0]["library"] = "7"

    assert spec_changes(BASE, edited(edit)).empty


@pytest.mark.parametrize(
    "version, bump, expected",
    [
        ("1.2.3", "patch", "1.2.4"),
        ("1.2.3", "minor", "1.3.0"),
        ("1.2.3", "major", "2.0.0"),
        ("0.0.9", "patch", "0.0.10"),
        ("0.1.0-beta", "patch", "0.1.1"),
        ("2", "minor", "2.1.0"),
    ],
)
def test_bumped(version, bump, expected):
    assert bumped(version, bump) == expected
