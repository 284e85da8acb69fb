"""A document split into an outline and content-addressed parts joins back to itself."""

import copy

from hypothesis import given
from hypothesis import strategies as st

from designer.core import parts
from tests.core.factories import llm_model, plugin_document

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=12,
)
documents = st.fixed_dictionaries(
    {},
    optional={
        "manifest": json_values,
        "models": json_values,
        "files": json_values,
        "originals": json_values,
        "positions": json_values,
    },
)


def joined(outline, stored):
    return parts.join(outline, lambda digests: {d: stored[d] for d in digests})


@given(documents)
def test_any_document_joins_back_to_itself(document):
    outline, stored = parts.split(document)
    assert joined(outline, stored) == document


def test_models_files_and_originals_become_parts():
    document = plugin_document(models=[llm_model("a"), llm_model("b")])
    document["files"] = {"_assets/icon.svg": {"text": "<svg/>"}}
    document["originals"] = {"manifest.yaml": {"fingerprint": "x", "text": "a: 1\n"}}
    outline, stored = parts.split(document)
    assert outline["models"] == [parts.content_digest(m) for m in document["models"]]
    assert set(outline["files"]) == {"_assets/icon.svg"}
    assert isinstance(outline["originals"], str)
    assert len(stored) == 4
    assert joined(outline, stored) == document


def test_equal_content_has_one_part():
    model = llm_model("same")
    outline, stored = parts.split(plugin_document(models=[model, copy.deepcopy(model)]))
    assert outline["models"][0] == outline["models"][1]
    assert len([d for d in stored if stored[d] == model]) == 1


def test_known_objects_are_not_hashed_again():
    document = plugin_document(models=[llm_model("a"), llm_model("b")])
    outline, _ = parts.split(document)
    kept = document["models"][0]
    edited = {**document, "models": [kept, {**document["models"][1], "model": "c"}]}
    known = {id(kept): (kept, "digest-of-a-as-stored")}
    new_outline, new_parts = parts.split(edited, known=known)
    assert new_outline["models"][0] == "digest-of-a-as-stored"
    assert new_outline["models"][1] == parts.content_digest(edited["models"][1])
    assert new_outline["models"][1] in new_parts
    assert "digest-of-a-as-stored" not in new_parts


def test_an_equal_but_other_object_is_hashed():
    document = plugin_document(models=[llm_model("a")])
    stand_in = copy.deepcopy(document["models"][0])
    known = {id(stand_in): (stand_in, "stale")}
    outline, _ = parts.split(document, known=known)
    assert outline["models"] == [parts.content_digest(document["models"][0])]


def test_a_whole_document_stored_before_outlines_reads_as_it_is():
    document = plugin_document()
    assert parts.join(document, lambda digests: {}) == document
