"""Checks of the provider YAML: identity, icons, model types and methods, credential forms,
where the model files and Python sources live."""

import re
from collections import Counter
from collections.abc import Iterator

from .. import layout
from ..findings import Finding, error, field_path, warning
from ..render.credentials import generates_model_code
from ..spec import (
    CONFIGURATE_METHODS,
    FORM_TYPES,
    MODEL_TYPE_DIRS,
    TYPE_DIR_MODEL_TYPES,
    CredentialField,
    DesignSpec,
)
from .common import asset_exists, check_i18n, check_path

PROVIDER_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
DAEMON_MAX_FIELDS, DAEMON_MAX_OPTIONS, DAEMON_MAX_TEXT = 32, 128, 255
MODEL_TYPE_VARIABLE = "__model_type"


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
    if item.type == "secret-input" and item.default:
        yield error(
            field_path(path, "default"),
            "a secret field cannot have a default: it would ship in the plugin's provider YAML",
        )
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
