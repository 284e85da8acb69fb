"""Pre-flight rules: the daemon's install rules, the Marketplace's review, common mistakes."""

import hashlib
from pathlib import Path

import pytest

from designer.core import preflight as module
from designer.core.parse import import_plugin
from designer.core.preflight import PREFLIGHT_RULES, preflight, tree_findings
from designer.core.spec import CarriedFile
from designer.core.validation import validate
from tests.core.factories import llm_model, plugin_document, with_generated_code

FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")


def findings(document) -> list:
    report = validate(document)
    assert report.spec is not None, report.findings
    return list(preflight(report.spec))


def at(document, path: str) -> list:
    return [f for f in findings(document) if f.path == path]


def test_the_starter_plugin_has_no_preflight_findings():
    assert findings(plugin_document()) == []


def test_every_rule_is_part_of_validation():
    from designer.core.validation import RULES

    assert all(rule in RULES for rule in PREFLIGHT_RULES)


@pytest.mark.parametrize("name", ["anthropic", "jina", "openai", "openai_api_compatible"])
def test_the_official_plugins_have_no_errors(name):
    spec = import_plugin(FIXTURES / name)
    report = validate(with_generated_code(spec, name))  # the fixtures leave their Python out
    assert report.errors == []


def test_an_author_with_capitals_is_an_error_the_daemon_refuses():
    [finding] = at(plugin_document(author="Acme"), "manifest.author")
    assert finding.level == "error" and "'acme'" in finding.message


def test_an_author_that_is_a_uuid_is_an_error():
    document = plugin_document(author="0b3c4a7e-8f1e-4a52-9c1b-2f3e4d5c6b7a")
    [finding] = at(document, "manifest.author")
    assert finding.level == "error" and "UUID" in finding.message


def test_a_version_with_non_ascii_digits_is_an_error():
    document = plugin_document(version="1.0.\u0661")  # ARABIC-INDIC DIGIT ONE
    [finding] = at(document, "manifest.version")
    assert finding.level == "error" and "ASCII" in finding.message


@pytest.mark.parametrize("author", ["difyfan", "langgenius-fan", "my_dify"])
def test_an_author_naming_dify_or_langgenius_warns(author):
    [finding] = at(plugin_document(author=author), "manifest.author")
    assert finding.level == "warning" and "Marketplace" in finding.message


def test_an_icon_of_ones_own_does_not_warn():
    report = validate(plugin_document())
    icon = report.spec.manifest.icon
    spec = report.spec.model_copy(
        update={"files": {**report.spec.files, f"_assets/{icon}": CarriedFile.from_bytes(b"x")}}
    )
    assert not [f for f in preflight(spec) if f.path == "manifest.icon"]


def test_an_icon_with_a_template_digest_warns(monkeypatch):
    # The CLI's icons are known by digest only; give the starter icon's digest that role.
    report = validate(plugin_document())
    data = report.spec.files[f"_assets/{report.spec.manifest.icon}"].data
    monkeypatch.setattr(
        module, "TEMPLATE_ICON_DIGESTS", frozenset({hashlib.sha256(data).hexdigest()})
    )
    paths = [f.path for f in preflight(report.spec) if "dify plugin init" in f.message]
    assert "manifest.icon" in paths


def test_a_missing_privacy_policy_warns():
    document = plugin_document()
    document["manifest"].pop("privacy")
    [finding] = at(document, "manifest.privacy")
    assert finding.level == "warning"


def test_a_folder_without_a_readme_warns():
    assert [f.path for f in tree_findings({"manifest.yaml": b""})] == ["files.README.md"]
    assert tree_findings({"manifest.yaml": b"", "README.md": b"# x"}) == []


def test_a_json_schema_rule_without_structured_output_warns():
    model = llm_model()
    model["parameter_rules"].append({"name": "json_schema", "use_template": "json_schema"})
    [finding] = at(plugin_document(models=[model]), "models[0].parameter_rules[4]")
    assert finding.level == "warning" and "structured-output" in finding.message
    model["features"].append("structured-output")
    assert at(plugin_document(models=[model]), "models[0].parameter_rules[4]") == []


@pytest.mark.parametrize(
    ("size", "warns"), [(1023, True), (1024, False), (10_000_000, False), (10_000_001, True)]
)
def test_context_sizes_out_of_range_warn(size, warns):
    document = plugin_document(models=[llm_model(context_size=size)])
    assert bool(at(document, "models[0].model_properties.context_size")) is warns


@pytest.mark.parametrize(
    ("unit", "warns"),
    [("0.000001", False), ("0.001", False), ("1", False), ("1000000", False), ("0.5", True)],
)
def test_a_pricing_unit_that_is_not_a_power_of_ten_warns(unit, warns):
    model = llm_model(pricing={"input": "1", "output": "2", "unit": unit, "currency": "USD"})
    assert bool(at(plugin_document(models=[model]), "models[0].pricing.unit")) is warns


def test_a_pricing_unit_of_zero_warns():
    model = llm_model(pricing={"input": "1", "output": "2", "unit": "0", "currency": "USD"})
    report = validate(plugin_document(models=[model]))
    assert [f.level for f in report.at("models[0].pricing.unit")] == ["warning"]


def test_an_output_price_without_an_input_price_warns():
    model = llm_model(pricing={"input": "0", "output": "2", "unit": "0.000001", "currency": "USD"})
    [finding] = at(plugin_document(models=[model]), "models[0].pricing.input")
    assert finding.level == "warning"


def test_meta_version_set_to_the_plugins_version_warns():
    document = plugin_document(version="1.2.0")
    document["manifest"].setdefault("meta", {})["version"] = "1.2.0"
    [finding] = at(document, "manifest.meta.version")
    assert "format" in finding.message


@pytest.mark.parametrize(
    ("model_id", "warns"),
    [
        ("gpt-4o", False),
        ("meta-llama/Llama-3.1-8B", False),
        ("qwen2.5:7b", False),
        ("my model", True),
        ("gpt#4", True),
        ("модель", True),
    ],
)
def test_a_model_id_an_api_would_not_accept_warns(model_id, warns):
    document = plugin_document(models=[llm_model(model_id)])
    found = at(document, "models[0].model")
    assert bool(found) is warns
    if warns:
        assert "models/llm/" in found[0].message  # says which file it gets
