"""Drift between definitions imported from LiteLLM 1.109.1 and the entries of 1.110.2 (both
trimmed copies of the real catalogs)."""

from datetime import date
from pathlib import Path

import pytest

from designer.core.catalog import catalog_models, read_catalog
from designer.core.catalog_drift import drift, updated

DATA = Path(__file__).resolve().parents[1] / "data" / "litellm"
TODAY = date(2026, 11, 23)


def definitions(name):
    found = catalog_models(read_catalog((DATA / name).read_text()), today=TODAY)
    return {m.key: m.model for m in found}


OLD = definitions("model_prices_trimmed_1.109.1.json")
NEW = definitions("model_prices_trimmed.json")


@pytest.mark.parametrize(
    "key, rows",
    [
        (
            "mistral/mistral-large-4",
            [("pricing.input", "1.36", "0.7"), ("pricing.output", "4.18", "2.1")],
        ),
        ("deepseek.v3.2", [("context_size", 164000, 156000)]),
        (
            "mistral/deepseek-v4-1-flash-1017",
            [
                (
                    "features",
                    "tool-call, stream-tool-call, structured-output, agent-thought",
                    "tool-call, stream-tool-call, vision, structured-output, agent-thought",
                )
            ],
        ),
        ("gpt-4o", []),  # only its deprecation notice changed
    ],
)
def test_price_context_and_feature_changes_are_drift(key, rows):
    assert drift(OLD[key], NEW[key]) == rows


def test_prices_compare_as_numbers():
    definition = {**NEW["gpt-4o"], "pricing": {**NEW["gpt-4o"]["pricing"], "input": "2.50"}}
    assert drift(definition, NEW["gpt-4o"]) == []


def test_the_update_takes_the_catalogs_values_and_keeps_the_persons():
    mine = {
        **OLD["mistral/mistral-large-4"],
        "label": {"en_US": "Mistral Large (ours)"},
        "features": OLD["mistral/mistral-large-4"]["features"] + ["stream-tool-call-extra"],
    }
    mine["features"].remove("vision")
    result = updated(mine, NEW["mistral/mistral-large-4"])
    assert drift(result, NEW["mistral/mistral-large-4"]) == []
    assert result["label"] == {"en_US": "Mistral Large (ours)"}
    assert "stream-tool-call-extra" in result["features"] and "vision" in result["features"]
    assert result["pricing"]["input"] == "0.7"
    assert mine["pricing"]["input"] == "1.36"  # the definition given is not changed
