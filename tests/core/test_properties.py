"""Property tests over random designs: valid ones render, read back to the same plugin and load
in Dify's SDK; invalid edits are refused by our validation, on the field, before any SDK sees them.
"""

import copy
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from designer.core.parse import parse_tree
from designer.core.render import render
from designer.core.render.yaml_files import manifest_data, model_data
from designer.core.sdk_check import load_trees_with_sdk
from designer.core.spec import FEATURES, MODEL_TYPE_DIRS, PARAMETER_TEMPLATES
from designer.core.validation import validate
from tests.core.factories import plugin_document


def examples(count: int, **options) -> settings:
    return settings(
        deadline=None, max_examples=count, suppress_health_check=list(HealthCheck), **options
    )


text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
    min_size=1,
    max_size=30,
).filter(lambda value: value.strip() == value and value != "")
identifier = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
price = st.decimals(min_value=0, max_value=1000, places=4).map(lambda d: str(d.normalize()))


@st.composite
def models(draw, model_type: str):
    model = {
        "model": draw(text),
        "label": {"en_US": draw(text)},
        "model_type": model_type,
        "model_properties": {},
    }
    if model_type == "llm":
        context = draw(st.integers(1024, 2_000_000))
        model["features"] = draw(st.lists(st.sampled_from(FEATURES), unique=True, max_size=4))
        model["model_properties"] = {
            "mode": draw(st.sampled_from(["chat", "completion"])),
            "context_size": context,
        }
        templates = draw(st.lists(st.sampled_from(PARAMETER_TEMPLATES), unique=True, max_size=5))
        model["parameter_rules"] = [{"name": t, "use_template": t} for t in templates]
        if "max_tokens" in templates:
            rule = model["parameter_rules"][templates.index("max_tokens")]
            rule.update(min=1, max=draw(st.integers(1, context)), default=1)
    elif model_type == "text-embedding":
        model["model_properties"] = {
            "context_size": draw(st.integers(1, 100_000)),
            "max_chunks": draw(st.integers(1, 2048)),
        }
    if draw(st.booleans()):
        model["pricing"] = {"input": draw(price), "unit": "0.000001", "currency": "USD"}
        if model_type == "llm":
            model["pricing"]["output"] = draw(price)
    model["deprecated"] = draw(st.booleans())
    return model


@st.composite
def documents(draw):
    types = draw(st.lists(st.sampled_from(list(MODEL_TYPE_DIRS)), min_size=1, max_size=3))
    chosen = [draw(models(t)) for t in types for _ in range(draw(st.integers(0, 2)))]
    # Ids repeat only across types here: two files of one id in one type have no order but
    # their paths (tested on its own in test_parse).
    chosen = list({(m["model_type"], m["model"]): m for m in chosen}.values())
    document = plugin_document(models=chosen)
    name = draw(identifier)
    document["manifest"]["name"] = name
    document["manifest"]["label"] = {"en_US": draw(text)}
    document["provider"]["provider"] = name
    document["provider"]["label"] = {"en_US": draw(text)}
    document["provider"]["supported_model_types"] = list(dict.fromkeys(types))
    return document


def by_type(models) -> dict[str, list[dict]]:
    """Each type's models in order (a plugin orders models within a type, not across types)."""
    grouped: dict[str, list[dict]] = {}
    for model in models:
        grouped.setdefault(model.model_type, []).append(model_data(model))
    return grouped


def assert_reads_back_the_same(document):
    report = validate(copy.deepcopy(document))
    assert report.ok, report.errors
    files = render(report.spec)
    again = parse_tree(files)
    assert by_type(again.models) == by_type(report.spec.models)
    assert manifest_data(again) == manifest_data(report.spec)
    assert render(again) == files
    return report.spec, files


@examples(80)
@given(documents())
def test_a_random_valid_design_renders_and_reads_back_the_same(document):
    assert_reads_back_the_same(document)


@pytest.mark.sdk
@examples(2, phases=[Phase.explicit, Phase.generate])  # shrinking would start an SDK per step
@given(st.lists(documents(), min_size=12, max_size=12))
def test_random_valid_designs_load_in_the_sdk_with_every_model(batch):
    rendered = [assert_reads_back_the_same(document) for document in batch]
    loads = load_trees_with_sdk([files for _, files in rendered])
    for (spec, _), load in zip(rendered, loads, strict=True):
        assert load.ok, load.error
        seen = sorted((m["model_type"], m["model"]) for m in load.models)
        assert seen == sorted((m.model_type, m.model) for m in spec.models)
        prices = {(m["model_type"], m["model"]): m["entity"].get("pricing") for m in load.models}
        for model in spec.models:
            if model.pricing is not None:
                price = prices[(model.model_type, model.model)]
                assert Decimal(price["input"]) == model.pricing.input


def set_at(document, path, value):
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


# (where in the document, a value Dify would refuse there, the field the error must name)
INVALID_EDITS = [
    (("manifest", "version"), "1.0", "manifest.version"),
    (("manifest", "name"), "Not A Name", "manifest.name"),
    (("manifest", "author"), "Bad Author!", "manifest.author"),
    (("manifest", "icon"), "missing.svg", "manifest.icon"),
    (("manifest", "meta", "runner", "language"), "ruby", "manifest.meta.runner.language"),
    (("provider", "provider"), "", "provider.provider"),
    (("provider", "supported_model_types"), ["chatbot"], "provider.supported_model_types[0]"),
    (("provider", "configurate_methods"), ["by-hand"], "provider.configurate_methods[0]"),
    (("models", 0, "model_type"), "chat", "models[0].model_type"),
    (("models", 0, "model"), "", "models[0].model"),
    (("models", 0, "model_properties", "context_size"), "big", "models[0].model_properties"),
    (("models", 0, "parameter_rules", 0, "use_template"), "warmth", "models[0].parameter_rules[0]"),
    (("models", 0, "pricing", "currency"), "", "models[0].pricing.currency"),
    (("models", 0, "pricing", "input"), "cheap", "models[0].pricing.input"),
    (("models", 0, "features"), ["telepathy"], "models[0].features[0]"),
]


@examples(60)
@given(documents(), st.sampled_from(INVALID_EDITS))
def test_a_random_invalid_edit_is_refused_on_its_field(document, edit):
    where, value, field = edit
    document["models"].insert(0, plugin_document()["models"][0])
    document["provider"]["supported_model_types"].append("llm")
    set_at(document, where, value)
    report = validate(document)
    assert not report.ok
    assert any(f.path.startswith(field) for f in report.errors), report.errors
