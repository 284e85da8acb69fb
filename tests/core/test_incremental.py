"""Validation with models and files cached by content gives exactly what a fresh one gives."""

import copy
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from designer.core.parse import import_plugin
from designer.core.render import render
from designer.core.spec import DesignSpec
from designer.core.validation import clear_caches, model_digest, structure_findings, validate

from .factories import embedding_model, llm_model, plugin_document
from .test_properties import INVALID_EDITS, documents, examples, set_at

FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")
OFFICIAL = ["anthropic", "jina", "openai", "openai_api_compatible"]


def fresh(document):
    """A validation that has seen nothing before."""
    clear_caches()
    return validate(copy.deepcopy(document))


def assert_same(report, expected):
    assert report.findings == expected.findings
    if expected.spec is None:
        assert report.spec is None
    else:
        assert report.spec.to_document() == expected.spec.to_document()


def digests(document):
    return [model_digest(m) for m in document["models"]]


@pytest.mark.parametrize("name", OFFICIAL)
def test_an_official_plugin_validates_the_same_cold_warm_and_with_digests(name):
    document = import_plugin(FIXTURES / name).to_document()
    expected = fresh(document)
    clear_caches()
    spec = DesignSpec.model_validate(document)
    assert_same(validate(spec), expected)  # a spec built whole, every rule run on it
    assert_same(validate(document), expected)
    assert_same(validate(document, digests(document)), expected)


@pytest.mark.parametrize("name", OFFICIAL)
def test_an_edited_official_plugin_matches_a_fresh_validation(name):
    document = import_plugin(FIXTURES / name).to_document()
    validate(document)
    if document["models"]:
        document["models"][-1]["model_properties"]["context_size"] = -1
        document["models"].reverse()
    document["provider"]["supported_model_types"] = ["rerank"]
    assert_same(validate(document, digests(document)), fresh(document))


@examples(40)
@given(documents(), st.sampled_from(INVALID_EDITS), st.booleans())
def test_a_random_edit_after_a_warm_validation_matches_a_fresh_one(document, edit, reorder):
    document["models"].insert(0, plugin_document()["models"][0])
    document["provider"]["supported_model_types"].append("llm")
    validate(document)  # warm: every model and file is cached
    where, value, _ = edit
    set_at(document, where, value)
    if reorder:
        document["models"].reverse()
    assert_same(validate(document), fresh(document))
    assert_same(validate(document, digests(document)), fresh(document))


@examples(40)
@given(documents())
def test_a_random_valid_design_validates_the_same_twice(document):
    expected = fresh(document)
    assert_same(validate(document), expected)
    assert_same(validate(document, digests(document)), expected)


class TestStaleCache:
    def test_an_edited_model_is_checked_again(self):
        document = plugin_document()
        assert validate(document).findings == []
        document["models"][0]["model_properties"]["mode"] = "edit"
        assert [f.path for f in validate(document).errors] == ["models[0].model_properties.mode"]

    def test_reordered_models_report_at_their_new_places(self):
        document = plugin_document(models=[llm_model("a", features=["telepathy"]), llm_model("b")])
        assert [f.path for f in validate(document).errors] == ["models[0].features[0]"]
        document["models"].reverse()
        assert [f.path for f in validate(document).errors] == ["models[1].features[0]"]

    def test_a_model_type_the_provider_stops_listing_is_reported(self):
        document = plugin_document()
        assert validate(document).findings == []
        document["provider"]["supported_model_types"] = ["llm"]
        [finding] = validate(document).findings
        assert (finding.path, finding.level) == ("models[1].model_type", "warning")

    def test_a_second_model_of_one_id_is_reported(self):
        document = plugin_document(models=[llm_model("a"), llm_model("b")])
        assert validate(document).findings == []
        document["models"][1]["model"] = "a"
        assert "models[1].model" in [f.path for f in validate(document).warnings]

    def test_a_structure_error_comes_and_goes(self):
        document = plugin_document()
        validate(document)
        document["models"][1]["model_properties"]["max_chunks"] = "many"
        report = validate(document)
        assert report.spec is None
        assert [f.path for f in report.errors] == ["models[1].model_properties.max_chunks"]
        document["models"][1]["model_properties"]["max_chunks"] = 8
        assert validate(document).ok

    def test_given_digests_are_trusted_so_they_must_follow_the_models(self):
        document = plugin_document()
        with pytest.raises(ValueError, match="one digest per model"):
            validate(document, digests(document)[:1])


def test_structure_errors_come_in_the_order_a_whole_parse_gives():
    document = plugin_document(models=[llm_model(), embedding_model()])
    del document["manifest"]["author"]
    document["models"][1]["model_properties"]["context_size"] = "big"
    document["files"]["README.md"] = {}
    document["code"]["api_stlye"] = "custom"
    with pytest.raises(ValidationError) as caught:
        DesignSpec.model_validate(document)
    assert validate(document).findings == structure_findings(caught.value)


def test_keys_json_would_turn_into_text_are_not_mistaken_for_text():
    text_key = plugin_document(models=[llm_model(label={"en_US": "A", "1": "x"})])
    number_key = plugin_document(models=[llm_model(label={"en_US": "A", 1: "x"})])
    assert validate(text_key).ok
    assert validate(number_key).errors
    assert validate(text_key).ok


def test_validating_and_rendering_leave_the_cached_models_as_they_were():
    document = import_plugin(FIXTURES / "anthropic").to_document()
    before = [m.model_dump(mode="json") for m in validate(document).spec.models]
    report = validate(document, digests(document))
    render(report.spec)
    report.spec.to_document()
    assert [m.model_dump(mode="json") for m in validate(document).spec.models] == before
