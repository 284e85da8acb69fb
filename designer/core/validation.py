"""Validation of a design spec: as strict as Dify's SDK and daemon together, plus warnings.

Errors are what would stop Dify from packaging, installing or loading the plugin; they block a
build. Warnings are likely mistakes Dify does not check (and the daemon's debug-only limits);
real plugins break some on purpose, so they never block.

Each rule is a small function that yields findings for one concern.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from . import layout
from .errors import PluginSourceError
from .findings import Finding, Report, error, field_path, warning
from .preflight import PREFLIGHT_RULES
from .render.credentials import generates_model_code
from .spec import (
    CONFIGURATE_METHODS,
    FEATURES,
    FORM_TYPES,
    LANGUAGES,
    MODEL_TYPE_DIRS,
    PARAMETER_TEMPLATES,
    PARAMETER_TYPES,
    TYPE_DIR_MODEL_TYPES,
    CredentialField,
    DesignSpec,
    Model,
    ParameterRule,
)
from .templates import effective_rule

MAX_PACKAGE_BYTES = 50 * 1024 * 1024
DAEMON_VERSION = re.compile(r"^\d{1,4}(\.\d{1,4}){2}(-\w{1,16})?$")
PLAIN_VERSION = re.compile(r"^\d{1,4}\.\d{1,4}\.\d{1,4}$")
AUTHOR = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
PLUGIN_NAME = re.compile(r"^[a-z0-9_-]{1,128}$")
PROVIDER_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
RESERVED_AUTHORS = {"langgenius"}
ARCHES = {"amd64", "arm64"}
PLUGIN_TAGS = {
    "search", "image", "videos", "weather", "finance", "design", "travel", "social", "news",
    "medical", "productivity", "education", "business", "entertainment", "utilities", "other",
}  # fmt: skip
OTHER_PLUGIN_KINDS = ("tools", "endpoints", "agent_strategies", "datasources", "triggers")
PRICE_UNITS = {Decimal("0.000001"): "1M", Decimal("0.001"): "1K"}
DAEMON_MAX_FIELDS, DAEMON_MAX_OPTIONS, DAEMON_MAX_TEXT = 32, 128, 255
MODEL_TYPE_VARIABLE = "__model_type"

Rule = Callable[[DesignSpec], Iterable[Finding]]


def validate(document: Mapping[str, Any] | DesignSpec) -> Report:
    """Check a design spec (a document or an already built spec) and report every finding."""
    if isinstance(document, DesignSpec):
        spec = document
    else:
        try:
            spec = DesignSpec.model_validate(document)
        except ValidationError as exc:
            return Report(None, structure_findings(exc))
    findings = [finding for rule in RULES for finding in rule(spec)]
    return Report(spec, findings)


def load_spec(document: Mapping[str, Any]) -> DesignSpec:
    """The spec of a document with no errors, or PluginSourceError naming the first one."""
    report = validate(document)
    if not report.ok:
        first, count = report.errors[0], len(report.errors)
        more = f" (and {count - 1} more errors)" if count > 1 else ""
        raise PluginSourceError(f"{first.path or 'spec'}: {first.message}{more}")
    assert report.spec is not None
    return report.spec  # type: ignore[return-value]


# --- structure -------------------------------------------------------------------------------

_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field here",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "decimal_parsing": "must be a decimal number such as '0.50'",
    "decimal_type": "must be a decimal number such as '0.50'",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
}


def structure_findings(exc: ValidationError) -> list[Finding]:
    findings = []
    for item in exc.errors(include_url=False):
        loc = [part for part in item["loc"] if not _is_union_tag(part)]
        path = field_path(*loc)
        message = _MESSAGES.get(item["type"], item["msg"])
        if item["type"] == "extra_forbidden" and "model_properties" in loc:
            message = "is not a model property Dify knows; the SDK refuses the file"
        findings.append(error(path, message))
    return _deduplicated(findings)


def _is_union_tag(part: Any) -> bool:
    # pydantic names the union member it tried ("int", "float", "str", "function-after[...]").
    return isinstance(part, str) and (part in {"int", "float", "str"} or "[" in part)


def _deduplicated(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


# --- helpers ---------------------------------------------------------------------------------


def check_path(path: str, where: str, what: str) -> Iterator[Finding]:
    """A path inside the plugin: relative, no ``..``, forward slashes only."""
    parts = path.split("/")
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or re.match(r"^[A-Za-z]:", path)
        or any(p in {"", ".", ".."} for p in parts)
        or any(ord(c) < 32 for c in path)
    ):
        yield error(where, f"{what} {path!r} is not a safe relative path inside the plugin")


def check_i18n(value: Mapping[str, str] | None, where: str, required: bool = True):
    if value is None:
        return
    if required and not str(value.get("en_US", "")).strip():
        yield error(field_path(where, "en_US"), "an English (en_US) text is required")
    for language, text in value.items():
        path = field_path(where, language)
        if language not in LANGUAGES:
            yield warning(path, f"Dify keeps only {', '.join(LANGUAGES)}; {language} is dropped")
        if len(text) >= 1024:
            yield error(path, "must be under 1,024 characters")


def asset_exists(spec: DesignSpec, name: str) -> bool:
    return f"_assets/{name}" in spec.files


# --- manifest --------------------------------------------------------------------------------


def manifest_identity(spec: DesignSpec) -> Iterator[Finding]:
    m = spec.manifest
    yield from _version("manifest.version", m.version)
    yield from _version("manifest.meta.version", m.meta.version)
    if m.type != "plugin":
        yield error("manifest.type", "must be 'plugin'")
    if not AUTHOR.match(m.author):
        yield error("manifest.author", "use 1-64 letters, digits, '_' or '-'")
    elif m.author != m.author.lower():
        yield warning("manifest.author", "Dify lowercases the author when installing")
    if m.author.lower() in RESERVED_AUTHORS:
        yield warning(
            "manifest.author",
            f"'{m.author}' is reserved for signed official plugins; newer Dify refuses it",
        )
    if not PLUGIN_NAME.match(m.name):
        yield error("manifest.name", "use 1-128 lowercase letters, digits, '_' or '-'")
    if not RFC3339.match(m.created_at):
        yield error("manifest.created_at", "must be an RFC 3339 time such as 2026-01-01T00:00:00Z")
    if m.repo is not None and not re.match(r"^https?://\S+$", m.repo):
        yield warning("manifest.repo", "should be an http(s) URL of the plugin's repository")
    for i, tag in enumerate(m.tags or []):
        if tag not in PLUGIN_TAGS:
            yield error(field_path("manifest.tags", i), f"'{tag}' is not one of Dify's tags")


def _version(where: str, version: str) -> Iterator[Finding]:
    if not DAEMON_VERSION.match(version):
        yield error(where, "must look like 1.2.3")
    elif not PLAIN_VERSION.match(version):
        yield warning(where, "the SDK accepts only some suffixes; plain 1.2.3 is safest")


def manifest_texts(spec: DesignSpec) -> Iterator[Finding]:
    yield from check_i18n(spec.manifest.label, "manifest.label")
    yield from check_i18n(spec.manifest.description, "manifest.description")


def manifest_icons(spec: DesignSpec) -> Iterator[Finding]:
    for key in ("icon", "icon_dark"):
        name = getattr(spec.manifest, key)
        if name is None:
            continue
        where = f"manifest.{key}"
        if not name or len(name) > 128:
            yield error(where, "must be a file name of 1-128 characters")
        elif not asset_exists(spec, name):
            yield error(where, f"no icon file _assets/{name}: upload one")


def manifest_resources(spec: DesignSpec) -> Iterator[Finding]:
    resource = spec.manifest.resource
    if resource.memory <= 0:
        yield error("manifest.resource.memory", "must be a positive number of bytes")
    storage = resource.permission.storage if resource.permission else None
    if storage is not None and storage.size is not None and not 1024 <= storage.size <= 2**30:
        yield error("manifest.resource.permission.storage.size", "must be 1024 bytes to 1 GiB")


def manifest_plugins(spec: DesignSpec) -> Iterator[Finding]:
    plugins = spec.manifest.plugins
    if plugins is None:
        return
    if len(plugins.models) != 1:
        yield error("manifest.plugins.models", "a plugin declares exactly one model provider")
    for i, path in enumerate(plugins.models):
        yield from check_path(path, field_path("manifest.plugins.models", i), "provider file")
    extras = plugins.model_extra or {}
    for kind in OTHER_PLUGIN_KINDS:
        if extras.get(kind):
            where = f"manifest.plugins.{kind}"
            yield error(where, f"a model plugin cannot also declare {kind.replace('_', ' ')}")


def manifest_meta(spec: DesignSpec) -> Iterator[Finding]:
    meta = spec.manifest.meta
    if not meta.arch or not set(meta.arch) <= ARCHES:
        yield error("manifest.meta.arch", "choose amd64 and/or arm64")
    if meta.runner.language != "python":
        yield error("manifest.meta.runner.language", "must be 'python'")
    if meta.runner.version != "3.12":
        yield warning("manifest.meta.runner.version", "Dify runs every plugin on Python 3.12")
    entrypoint = meta.runner.entrypoint
    where = "manifest.meta.runner.entrypoint"
    if not MODULE_NAME.match(entrypoint):
        yield error(where, "must be a Python module name such as main")
    elif entrypoint != "main" and f"{entrypoint.replace('.', '/')}.py" not in spec.files:
        yield error(where, f"no file {entrypoint.replace('.', '/')}.py for this entrypoint")
    version = meta.minimum_dify_version
    if version is not None and not PLAIN_VERSION.match(version):
        yield error("manifest.meta.minimum_dify_version", "must look like 1.2.3")


def manifest_privacy(spec: DesignSpec) -> Iterator[Finding]:
    privacy = spec.manifest.privacy
    if privacy is None:
        return
    yield from check_path(privacy, "manifest.privacy", "privacy file")
    if privacy != "PRIVACY.md" and privacy not in spec.files:
        yield error("manifest.privacy", f"no file {privacy} in the plugin")


# --- provider --------------------------------------------------------------------------------


def provider_identity(spec: DesignSpec) -> Iterator[Finding]:
    p = spec.provider
    if not PROVIDER_ID.match(p.provider):
        yield error("provider.provider", "use 1-128 letters, digits, '_' or '-'")
    elif p.provider != spec.manifest.name:
        yield warning("provider.provider", "by convention the provider id equals the plugin name")
    yield from check_i18n(p.label, "provider.label")
    yield from check_i18n(p.description, "provider.description")
    if p.background is not None and not HEX_COLOUR.match(p.background):
        yield warning("provider.background", "should be a colour like #F0F0EB")
    if p.help is not None:
        yield from check_i18n(p.help.title, "provider.help.title")
        yield from check_i18n(p.help.url, "provider.help.url")


def provider_icons(spec: DesignSpec) -> Iterator[Finding]:
    p = spec.provider
    if p.icon_small is None:
        yield warning("provider.icon_small", "Dify shows no icon for this provider")
    for key in ("icon_small", "icon_large", "icon_small_dark", "icon_large_dark"):
        for language, name in (getattr(p, key) or {}).items():
            if not asset_exists(spec, name):
                yield error(field_path("provider", key, language), f"no icon file _assets/{name}")


def provider_methods(spec: DesignSpec) -> Iterator[Finding]:
    p = spec.provider
    if not p.supported_model_types:
        yield error("provider.supported_model_types", "choose at least one model type")
    for i, model_type in enumerate(p.supported_model_types):
        if model_type not in MODEL_TYPE_DIRS:
            yield error(
                field_path("provider.supported_model_types", i),
                f"'{model_type}' is not a model type Dify knows",
            )
    if len(set(p.supported_model_types)) != len(p.supported_model_types):
        yield warning("provider.supported_model_types", "a model type is listed twice")
    if not p.configurate_methods:
        yield error("provider.configurate_methods", "choose predefined and/or customizable models")
    for i, method in enumerate(p.configurate_methods):
        if method not in CONFIGURATE_METHODS:
            yield error(field_path("provider.configurate_methods", i), f"unknown method {method!r}")
    if (
        "customizable-model" in p.configurate_methods
        and p.model_credential_schema is None
        and not generates_model_code(spec)  # generated code comes with its own form
    ):
        yield error(
            "provider.model_credential_schema",
            "customizable models need a model credential form (model name and fields)",
        )
    if "predefined-model" in p.configurate_methods and not spec.models:
        yield warning("models", "predefined models are enabled but the plugin has none")


def credential_forms(spec: DesignSpec) -> Iterator[Finding]:
    p = spec.provider
    if p.provider_credential_schema is not None:
        fields = p.provider_credential_schema.credential_form_schemas
        yield from _credential_fields(fields, "provider.provider_credential_schema")
    if p.model_credential_schema is not None:
        schema = p.model_credential_schema
        yield from check_i18n(schema.model.label, "provider.model_credential_schema.model.label")
        yield from _credential_fields(
            schema.credential_form_schemas, "provider.model_credential_schema"
        )


def _credential_fields(fields: list[CredentialField], where: str) -> Iterator[Finding]:
    base = field_path(where, "credential_form_schemas")
    if len(fields) > DAEMON_MAX_FIELDS:
        yield warning(base, f"over {DAEMON_MAX_FIELDS} fields: remote debugging refuses this")
    variables = {f.variable for f in fields} | {MODEL_TYPE_VARIABLE}
    counts = Counter(f.variable for f in fields)
    for i, item in enumerate(fields):
        path = field_path(base, i)
        yield from _credential_field(item, path, variables)
        if counts[item.variable] > 1 and not item.show_on:
            yield warning(field_path(path, "variable"), f"'{item.variable}' is used twice")


def _credential_field(item: CredentialField, path: str, variables: set[str]):
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", item.variable):
        yield warning(field_path(path, "variable"), "use letters, digits and '_' only")
    yield from check_i18n(item.label, field_path(path, "label"))
    yield from check_i18n(item.placeholder, field_path(path, "placeholder"), required=False)
    if item.type not in FORM_TYPES:
        yield error(field_path(path, "type"), f"must be one of {', '.join(FORM_TYPES)}")
    choices = item.type in {"select", "radio"}
    options = item.options or []
    if choices and not options:
        yield warning(field_path(path, "options"), f"a {item.type} field needs options")
    if options and not choices:
        yield warning(field_path(path, "options"), "only select and radio fields show options")
    if len(options) > DAEMON_MAX_OPTIONS:
        yield warning(field_path(path, "options"), f"over {DAEMON_MAX_OPTIONS} options")
    values = [o.value for o in options]
    if choices and item.default is not None and values and item.default not in values:
        yield warning(field_path(path, "default"), "the default is not one of the options")
    for key in ("variable", "default"):
        value = getattr(item, key)
        if value is not None and len(value) > DAEMON_MAX_TEXT:
            yield warning(field_path(path, key), "over 255 characters: remote debugging refuses it")
    yield from _show_on(item.show_on, field_path(path, "show_on"), variables)
    for j, option in enumerate(options):
        option_path = field_path(path, "options", j)
        yield from check_i18n(option.label, field_path(option_path, "label"))
        yield from _show_on(option.show_on, field_path(option_path, "show_on"), variables)


def _show_on(conditions, where: str, variables: set[str]) -> Iterator[Finding]:
    for i, condition in enumerate(conditions or []):
        path = field_path(where, i)
        if condition.variable not in variables:
            yield warning(
                field_path(path, "variable"), f"no field '{condition.variable}' in this form"
            )
        elif condition.variable == MODEL_TYPE_VARIABLE and condition.value not in MODEL_TYPE_DIRS:
            yield warning(field_path(path, "value"), f"'{condition.value}' is not a model type")


def provider_layout(spec: DesignSpec) -> Iterator[Finding]:
    for i, path in enumerate(spec.manifest.plugins.models if spec.manifest.plugins else []):
        if not path.endswith((".yaml", ".yml")):
            yield error(field_path("manifest.plugins.models", i), "must name a .yaml file")
    for directory, globs in (spec.provider.models or {}).items():
        where = field_path("provider.models", directory)
        if directory not in TYPE_DIR_MODEL_TYPES:
            yield warning(where, f"the SDK loads no models from '{directory}'")
        if globs.position is not None:
            yield from check_path(globs.position, field_path(where, "position"), "position file")
        for i, pattern in enumerate(globs.predefined):
            yield from check_path(pattern, field_path(where, "predefined", i), "model glob")
    yield from _python_sources(spec)


def _python_sources(spec: DesignSpec) -> Iterator[Finding]:
    sources = layout.python_sources(spec)
    where = "provider.extra.python"
    yield from check_path(sources.provider_source, f"{where}.provider_source", "source")
    covered = set()
    for i, source in enumerate(sources.model_sources):
        path = field_path(where, "model_sources", i)
        yield from check_path(source, path, "source")
        directory = source.split("/")[-2] if "/" in source else ""
        if source in spec.files or directory in TYPE_DIR_MODEL_TYPES:
            covered.add(directory)
        else:
            yield error(path, f"no code at {source}, and none can be generated there")
    if any(s in spec.files for s in sources.model_sources):
        return  # hand-written code: which classes it holds is the SDK's to check
    for model_type in spec.provider.supported_model_types:
        if layout.type_dir(model_type) not in covered:
            yield error(f"{where}.model_sources", f"no code for model type {model_type}")


# --- models ----------------------------------------------------------------------------------


def model_entities(spec: DesignSpec) -> Iterator[Finding]:
    supported = set(spec.provider.supported_model_types)
    seen = Counter((m.model_type, m.model) for m in spec.models)
    for i, model in enumerate(spec.models):
        where = field_path("models", i)
        yield from _model_entity(model, where, supported)
        if seen[(model.model_type, model.model)] > 1:
            yield warning(f"{where}.model", f"another {model.model_type} model has this id")


def _model_entity(model: Model, where: str, supported: set[str]) -> Iterator[Finding]:
    if not model.model.strip():
        yield error(f"{where}.model", "a model id is required")
    if model.model_type not in MODEL_TYPE_DIRS:
        yield error(f"{where}.model_type", f"'{model.model_type}' is not a model type Dify knows")
    elif model.model_type not in supported:
        yield warning(f"{where}.model_type", "the provider does not list this model type")
    yield from check_i18n(model.label, f"{where}.label")
    for j, feature in enumerate(model.features or []):
        if feature not in FEATURES:
            yield error(field_path(where, "features", j), f"'{feature}' is not a Dify feature")
    yield from _model_properties(model, where)


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


def parameter_rules(spec: DesignSpec) -> Iterator[Finding]:
    for i, model in enumerate(spec.models):
        rules = model.parameter_rules or []
        names = Counter(r.name for r in rules)
        for j, rule in enumerate(rules):
            where = field_path("models", i, "parameter_rules", j)
            yield from _parameter_rule(rule, where, model)
            if names[rule.name] > 1:
                yield warning(f"{where}.name", f"another rule is also named '{rule.name}'")


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
            yield error(f"{where}.label", "a rule without a template needs a label")
    if rule.type is not None and rule.type not in PARAMETER_TYPES:
        yield error(f"{where}.type", f"must be one of {', '.join(PARAMETER_TYPES)}")
        return
    yield from check_i18n(rule.label, f"{where}.label")
    yield from check_i18n(rule.help, f"{where}.help", required=False)
    yield from _rule_values(effective_rule(rule), where, model)


def _rule_values(rule: dict[str, Any], where: str, model: Model) -> Iterator[Finding]:
    low, high, default = rule.get("min"), rule.get("max"), rule.get("default")
    options, kind = rule.get("options") or [], rule.get("type")
    if low is not None and high is not None and low > high:
        yield warning(f"{where}.min", "min is above max")
    if _is_number(default) and kind in {"int", "float"}:
        if low is not None and default < low:
            yield warning(f"{where}.default", f"the default {default} is below min {low}")
        if high is not None and default > high:
            yield warning(f"{where}.default", f"the default {default} is above max {high}")
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


def pricing(spec: DesignSpec) -> Iterator[Finding]:
    for i, model in enumerate(spec.models):
        price = model.pricing
        if price is None:
            continue
        where = field_path("models", i, "pricing")
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


def model_files(spec: DesignSpec) -> Iterator[Finding]:
    globs = layout.model_globs(spec)
    paths = layout.model_paths(spec)
    counts = Counter(paths)
    for i, (path, model) in enumerate(zip(paths, spec.models, strict=True)):
        where = field_path("models", i, "path")
        yield from check_path(path, where, "model file")
        if not path.endswith(".yaml"):
            yield error(where, "a model file must end in .yaml")
        if path.endswith("_position.yaml"):
            yield error(where, "_position.yaml holds the order of models, not a model")
        if counts[path] > 1:
            yield error(where, f"another model uses the file {path}")
        directory = layout.type_dir(model.model_type)
        patterns = globs[directory].predefined if directory in globs else []
        if not any(layout.glob_matches(p, path) for p in patterns):
            yield error(where, f"the provider's {directory} globs do not reach {path}")


def positions(spec: DesignSpec) -> Iterator[Finding]:
    ids = {(layout.type_dir(m.model_type), m.model) for m in spec.models}
    for directory, names in (spec.positions or {}).items():
        for i, name in enumerate(names):
            if (directory, name) not in ids:
                yield warning(
                    field_path("positions", directory, i), f"no {directory} model '{name}'"
                )


def carried(spec: DesignSpec) -> Iterator[Finding]:
    yaml_paths = {"manifest.yaml", layout.provider_path(spec), *layout.model_paths(spec)}
    yaml_paths |= set(layout.position_files(spec))
    patterns = [p for g in layout.model_globs(spec).values() for p in g.predefined]
    total = 0
    for path, file in spec.files.items():
        where = field_path("files", path)
        yield from check_path(path, where, "file")
        total += len(file.data)
        if path in yaml_paths:
            yield error(where, f"{path} is written from the spec; it cannot also be a file")
        elif not path.endswith("_position.yaml") and any(
            layout.glob_matches(p, path) for p in patterns
        ):
            yield error(where, f"the SDK would read {path} as a model file")
    if total > MAX_PACKAGE_BYTES:
        yield error("files", "the plugin's files exceed Dify's 50 MB package limit")


RULES: list[Rule] = [
    manifest_identity,
    manifest_texts,
    manifest_icons,
    manifest_resources,
    manifest_plugins,
    manifest_meta,
    manifest_privacy,
    provider_identity,
    provider_icons,
    provider_methods,
    credential_forms,
    provider_layout,
    model_entities,
    parameter_rules,
    pricing,
    model_files,
    positions,
    carried,
    *PREFLIGHT_RULES,
]
