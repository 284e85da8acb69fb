"""What every editor page needs, whichever app shows it (a project's sections, a library
definition): the choices the forms offer, a new model's first fields, the preview beside the
form, and the version the form was loaded at."""

from pydantic import ValidationError

from designer.core.credential_roles import (
    DEFAULT_API_KEY_FIELD,
    DEFAULT_ENDPOINT_FIELD,
    api_key_variable,
    credential_fields,
    endpoint_variable,
)
from designer.core.preview import preview
from designer.core.spec import (
    FEATURES,
    FORM_TYPES,
    MODEL_TYPE_DIRS,
    PARAMETER_TEMPLATES,
    DesignSpec,
)
from designer.core.templates import TEMPLATES
from designer.core.validation.manifest import PLUGIN_TAGS
from designer.editor.highlight import highlight_yaml

PRICE_UNITS = [("0.000001", "1M tokens"), ("0.001", "1K tokens")]
LANGUAGES = [("zh_Hans", "Chinese"), ("ja_JP", "Japanese"), ("pt_BR", "Portuguese")]


def editor_choices() -> dict:
    """The choices the model and provider forms offer."""
    return {
        "model_types": list(MODEL_TYPE_DIRS),
        "features": FEATURES,
        "form_types": FORM_TYPES,
        "templates": {name: TEMPLATES[name] for name in PARAMETER_TEMPLATES},
        "price_units": PRICE_UNITS,
        "plugin_tags": sorted(PLUGIN_TAGS),
    }


def new_model(model_type: str, model_id: str) -> dict:
    model = {"model": model_id, "label": {"en_US": model_id}, "model_type": model_type}
    properties = {
        "llm": {"mode": "chat", "context_size": 8192},
        "text-embedding": {"context_size": 8192, "max_chunks": 32},
    }.get(model_type, {})
    model["model_properties"] = properties
    if model_type == "llm":
        model["parameter_rules"] = []
    return model


def credential_role_choices(document) -> dict:
    """The credential fields the Provider form offers as API key and endpoint, and the ones the
    code reads when none is named (the conventional names while the draft does not parse)."""
    try:
        spec = DesignSpec.model_validate(document)
    except ValidationError:
        return {"api_key": DEFAULT_API_KEY_FIELD, "endpoint": DEFAULT_ENDPOINT_FIELD}
    defaults = spec.model_copy(update={"code": spec.code.model_copy(update=UNNAMED_ROLES)})
    return {
        "api_key": api_key_variable(defaults),
        "endpoint": endpoint_variable(defaults),
        "variables": sorted({f.variable for f in credential_fields(spec)}),
    }


UNNAMED_ROLES = {"api_key_field": None, "endpoint_field": None}


def preview_context(document, section, index=None, model_digests=None) -> dict:
    """The preview partial's context; ``model_digests`` (one per model, when the caller knows
    them) spares validation hashing every model again."""
    shown = preview(document, section, index, model_digests)
    findings = [{"level": f.level, "path": f.path, "message": f.message} for f in shown.findings]
    return {"preview": shown, "highlighted": highlight_yaml(shown.text), "findings": findings}


def posted_version(request) -> int:
    try:
        return int(request.POST.get("_version", ""))
    except ValueError:
        return -1
