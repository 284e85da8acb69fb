"""The changes between two specs and the version bump each case suggests."""

import copy

import pytest

from designer.core.changes import (
    bumped,
    changelog_entry,
    first_changelog,
    pending_bump,
    spec_changes,
    suggested_bump,
    with_entry,
)
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


def test_a_version_bump_alone_is_no_change():
    changes = spec_changes(BASE, edited(lambda d: d["manifest"].update(version="9.0.0")))
    assert changes.empty


@pytest.mark.parametrize(
    "edit, draft_version, expected",
    [
        (set_price, "0.0.1", ("patch", "0.0.2")),
        (add_model, "0.0.1", ("minor", "0.1.0")),
        (remove_model, "0.0.1", ("major", "1.0.0")),
        (add_model, "0.0.5", ("minor", "0.1.0")),  # a patch bump made by hand is not enough
        (add_model, "0.1.0", None),  # already bumped
        (set_price, "2.0.0", None),
    ],
)
def test_pending_bump_is_measured_from_the_built_version(edit, draft_version, expected):
    built = edited(lambda d: d["manifest"].update(version="0.0.1"))
    draft = edited(lambda d: (edit(d), d["manifest"].update(version=draft_version)))
    pending = pending_bump(built, draft)
    assert (pending and (pending.bump, pending.version)) == (expected or None)


def test_nothing_changed_is_no_pending_bump():
    assert pending_bump(BASE, copy.deepcopy(BASE)) is None


def test_the_changelog_entry_says_each_change_in_a_line():
    def edit(d):
        set_price(d)
        add_feature(d)
        add_model(d)
        remove_model(d)
        change_credentials(d)

    entry = changelog_entry("1.0.0", spec_changes(BASE, edited(edit)))
    assert entry == (
        "## 1.0.0\n\n"
        "- Added model llm/new-chat.\n"
        "- Removed model text-embedding/demo-embed.\n"
        "- llm/demo-chat: features added: vision; changed pricing.input.\n"
        "- The credentials asked for changed: enter them again.\n"
    )


@pytest.mark.parametrize(
    "changelog, expected",
    [
        (
            first_changelog("0.0.1"),
            "# Changelog\n\n## 0.0.2\n\n- x\n\n## 0.0.1\n\n- First release.\n",
        ),
        ("Own words\n", "# Changelog\n\n## 0.0.2\n\n- x\n\nOwn words\n"),
        ("", "# Changelog\n\n## 0.0.2\n\n- x\n"),
    ],
)
def test_a_new_entry_goes_first_below_the_title(changelog, expected):
    assert with_entry(changelog, "## 0.0.2\n\n- x\n") == expected
