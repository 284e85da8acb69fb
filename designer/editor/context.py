"""What every editor page needs, whichever app shows it (a project's sections, a library
definition): the choices the forms offer, a new model's first fields, the preview beside the
form, and the version the form was loaded at."""

from designer.core.preview import preview
from designer.core.spec import FEATURES, FORM_TYPES, MODEL_TYPE_DIRS, PARAMETER_TEMPLATES
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
