"""The Models page's rows: findings counted per model, search, filters and sorts."""

from decimal import Decimal

from designer.core.findings import Finding
from designer.core.model_list import ModelQuery, findings_per_model, model_rows, shown_rows
from tests.core.factories import embedding_model, llm_model


def rows(findings=()):
    stored = [
        llm_model("b-chat", context_size=4096, label={"en_US": "Bee Chat"}),
        embedding_model("a-embed"),
        {"library": "7", "model": "c-chat", "model_type": "llm"},
        llm_model("d-old", context_size=200000, deprecated=True, features=["vision"]),
    ]
    built = [*stored[:2], llm_model("c-chat", context_size=1000, library="7"), stored[3]]
    built[0]["pricing"] = {**built[0]["pricing"], "input": "3"}
    return model_rows(stored, built, findings)


def ids(query: dict, findings=()) -> list[str]:
    return [row.model_id for row in shown_rows(rows(findings), ModelQuery.of(query))]


def test_findings_are_counted_on_their_model_only():
    findings = [
        Finding("error", "models[1].pricing.unit", "x"),
        Finding("warning", "models[1]", "x"),
        Finding("warning", "models[12].label", "x"),
        Finding("error", "models[1]x", "not a model path"),
        Finding("error", "provider.models[1]", "not the spec's models"),
    ]
    assert findings_per_model(findings) == {1: (1, 1), 12: (0, 1)}


def test_each_row_has_what_the_page_shows():
    first, _, referenced, old = rows([Finding("error", "models[2].model", "x")])
    assert (first.label, first.context_size, first.input_price) == ("Bee Chat", 4096, Decimal(3))
    assert (referenced.library, referenced.context_size, referenced.errors) == ("7", 1000, 1)
    assert old.deprecated and old.features == ["vision"]


def test_the_default_is_every_model_in_position_order():
    assert ids({}) == ["b-chat", "a-embed", "c-chat", "d-old"]


def test_search_reads_ids_and_labels_case_blind():
    assert ids({"q": "CHAT"}) == ["b-chat", "c-chat"]
    assert ids({"q": "bee"}) == ["b-chat"]


def test_filters():
    assert ids({"type": "text-embedding"}) == ["a-embed"]
    assert ids({"feature": "vision"}) == ["d-old"]
    assert ids({"deprecated": "yes"}) == ["d-old"]
    assert ids({"deprecated": "no"}) == ["b-chat", "a-embed", "c-chat"]
    assert ids({"library": "yes"}) == ["c-chat"]
    assert ids({"library": "no"}) == ["b-chat", "a-embed", "d-old"]
    assert ids({"context_min": "4096", "context_max": "8192"}) == ["b-chat", "a-embed"]
    assert ids({"price_max": "0.5"}) == ["a-embed", "c-chat", "d-old"]
    assert ids({"price_min": "abc"}) == ids({})  # not a number: no filter


def test_the_findings_filter():
    findings = [Finding("error", "models[0].x", "e"), Finding("warning", "models[3].y", "w")]
    assert ids({"findings": "errors"}, findings) == ["b-chat"]
    assert ids({"findings": "warnings"}, findings) == ["b-chat", "d-old"]
    assert ids({"findings": "none"}, findings) == ["a-embed", "c-chat"]


def test_sorts_by_id_context_price_type_and_position():
    assert ids({"sort": "id"}) == ["a-embed", "b-chat", "c-chat", "d-old"]
    assert ids({"sort": "context", "order": "desc"}) == ["d-old", "a-embed", "b-chat", "c-chat"]
    assert ids({"sort": "price"}) == ["a-embed", "c-chat", "d-old", "b-chat"]
    assert ids({"sort": "type"})[-1] == "a-embed"
    assert ids({"sort": "position", "order": "desc"}) == ["d-old", "c-chat", "a-embed", "b-chat"]
    assert ids({"sort": "nonsense"}) == ids({})
