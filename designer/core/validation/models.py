"""Checks of each model's YAML: the entity, its properties, parameter rules and pricing.

``model_findings`` depends on the model alone, so its findings can be cached by the model's
content; what depends on other models or on the provider is in ``cross_model``.
"""

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from .. import layout
from ..findings import Finding, error, field_path, warning
from ..limits import MAX_FILE_NAME_BYTES, MAX_MODEL_ID_BYTES
from ..preflight import model_preflight
from ..spec import (
    FEATURES,
    MODEL_TYPE_DIRS,
    PARAMETER_TEMPLATES,
    PARAMETER_TYPES,
    DesignSpec,
    Model,
    ParameterRule,
)
from ..templates import effective_rule
from .common import check_i18n

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
PRICE_UNITS = {Decimal("0.000001"): "1M", Decimal("0.001"): "1K"}


def model_findings(model: Model, where: str) -> list[Finding]:
    """Every finding of one model, at ``where`` (its path in the spec)."""
    return [
        *_model_entity(model, where),
        *_parameter_rules(model, where),
        *_pricing(model, where),
        *model_preflight(model, where),
    ]


def _model_entity(model: Model, where: str) -> Iterator[Finding]:
    yield from _model_id(model, f"{where}.model")
    if model.model_type not in MODEL_TYPE_DIRS:
        yield error(f"{where}.model_type", f"'{model.model_type}' is not a model type Dify knows")
    yield from check_i18n(model.label, f"{where}.label")
    for j, feature in enumerate(model.features or []):
        if feature not in FEATURES:
            yield error(field_path(where, "features", j), f"'{feature}' is not a Dify feature")
    yield from _model_properties(model, where)


def _model_id(model: Model, where: str) -> Iterator[Finding]:
    model_id = model.model
    if not model_id.strip():
        yield error(where, "a model id is required")
    elif _CONTROL_CHARS.search(model_id):
        yield error(where, "a model id cannot hold control characters")
    elif len(model_id.encode("utf-8", "surrogatepass")) > MAX_MODEL_ID_BYTES:
        yield error(where, f"a model id is at most {MAX_MODEL_ID_BYTES} bytes")
    elif model.path is None and len(f"{layout.file_stem(model_id)}.yaml") > MAX_FILE_NAME_BYTES:
        yield error(where, "too long to name the model's file: shorten it or give the file a path")


def _model_properties(model: Model, where: str) -> Iterator[Finding]:
    props, path = model.model_properties, f"{where}.model_properties"
    if model.model_type == "llm":
        if props.mode is None:
            yield warning(f"{path}.mode", "an LLM needs a mode: chat or completion")
        elif props.mode not in {"chat", "completion"}:
            yield error(f"{path}.mode", "must be chat or completion")
        if props.context_size is None:
            yield warning(f"{path}.context_size", "an LLM should state its context size")
    for key in ("context_size", "max_chunks", "file_upload_limit", "word_limit", "max_workers"):
        value = getattr(props, key)
        if value is not None and value <= 0:
            yield warning(f"{path}.{key}", "should be a positive number")
    voices = [v.mode for v in props.voices or []]
    if props.default_voice is not None and voices and props.default_voice not in voices:
        yield warning(f"{path}.default_voice", "is not one of the voices")


def _parameter_rules(model: Model, where: str) -> Iterator[Finding]:
    rules = model.parameter_rules or []
    names = Counter(r.name for r in rules)
    for j, rule in enumerate(rules):
        rule_path = field_path(where, "parameter_rules", j)
        yield from _parameter_rule(rule, rule_path, model)
        if names[rule.name] > 1:
            yield warning(f"{rule_path}.name", f"another rule is also named '{rule.name}'")


def _parameter_rule(rule: ParameterRule, where: str, model: Model) -> Iterator[Finding]:
    if not rule.name.strip():
        yield error(f"{where}.name", "a parameter name is required")
    if rule.use_template is not None and rule.use_template not in PARAMETER_TEMPLATES:
        yield error(
            f"{where}.use_template",
            f"'{rule.use_template}' is not a template; use one of {', '.join(PARAMETER_TEMPLATES)}",
        )
        return
    if rule.use_template is None:
        if rule.type is None:
            yield error(f"{where}.type", "a rule without a template needs a type")
        if rule.label is None:
            yield warning(f"{where}.label", f"no label: Dify shows the name '{rule.name}'")
    if rule.type is not None and rule.type not in PARAMETER_TYPES:
        yield error(f"{where}.type", f"must be one of {', '.join(PARAMETER_TYPES)}")
        return
    yield from check_i18n(rule.label, f"{where}.label")
    yield from check_i18n(rule.help, f"{where}.help", required=False)
    yield from _rule_values(effective_rule(rule), where, model)


def _rule_values(rule: dict[str, Any], where: str, model: Model) -> Iterator[Finding]:
    low, high, default = rule.get("min"), rule.get("max"), rule.get("default")
    options, kind = rule.get("options") or [], rule.get("type")
    # Dify refuses a value outside [min, max] at call time: with min above max every value, and
    # the default whenever a user keeps it.
    if low is not None and high is not None and low > high:
        yield error(f"{where}.min", "min is above max: Dify would refuse every value")
    if _is_number(default) and kind in {"int", "float"}:
        if low is not None and default < low:
            yield error(f"{where}.default", f"the default {default} is below min {low}")
        if high is not None and default > high:
            yield error(f"{where}.default", f"the default {default} is above max {high}")
    if options and kind != "string":
        yield warning(f"{where}.options", "only string parameters can have options")
    if options and default is not None and str(default) not in options:
        yield warning(f"{where}.default", "the default is not one of the options")
    precision = rule.get("precision")
    if precision is not None and precision < 0:
        yield warning(f"{where}.precision", "must not be negative")
    context = model.model_properties.context_size
    if _is_max_tokens(rule) and high is not None and context and high > context:
        yield warning(f"{where}.max", f"max {high:g} is above the model's context size {context}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_max_tokens(rule: dict[str, Any]) -> bool:
    return rule.get("use_template") == "max_tokens" or rule.get("name") == "max_tokens"


def _pricing(model: Model, model_path: str) -> Iterator[Finding]:
    price = model.pricing
    if price is not None:
        where = f"{model_path}.pricing"
        if not price.currency.strip():
            yield error(f"{where}.currency", "a currency such as USD is required")
        if price.unit <= 0:
            yield warning(f"{where}.unit", "a unit of 0 makes every cost 0")
        elif price.unit not in PRICE_UNITS:
            per = 1 / price.unit
            per_text = f"{per:,.0f}" if per >= 1 else f"{per.normalize():f}"
            yield warning(
                f"{where}.unit",
                f"unit {price.unit} means prices per {per_text} tokens; "
                "prices are usually per 1M tokens (unit 0.000001)",
            )
        for key in ("input", "output"):
            value = getattr(price, key)
            if value is not None and value < 0:
                yield warning(f"{where}.{key}", "a price should not be negative")


# --- across models: what one model's findings cannot know ------------------------------------


def listed_model_types(spec: DesignSpec) -> Iterator[Finding]:
    supported = set(spec.provider.supported_model_types)
    for i, model in enumerate(spec.models):
        if model.model_type in MODEL_TYPE_DIRS and model.model_type not in supported:
            where = field_path("models", i, "model_type")
            yield warning(where, "the provider does not list this model type")


def unique_model_ids(spec: DesignSpec) -> Iterator[Finding]:
    seen = Counter((m.model_type, m.model) for m in spec.models)
    for i, model in enumerate(spec.models):
        if seen[(model.model_type, model.model)] > 1:
            where = field_path("models", i, "model")
            yield warning(where, f"another {model.model_type} model has this id")
