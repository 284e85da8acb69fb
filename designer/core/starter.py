"""A new, valid design spec to start from: one provider, no models yet, a monogram icon."""

from datetime import UTC, datetime
from html import escape

from .spec import DesignSpec

ICON_NAME = "icon.svg"
DEFAULT_BACKGROUND = "#EEF2FF"


def monogram_svg(text: str, background: str = "#4F46E5") -> bytes:
    """A square icon with the first letter of ``text`` (escaped: any text is safe here)."""
    letter = escape((text.strip()[:1] or "P").upper())
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{escape(background)}"/>'
        '<text x="32" y="43" font-family="Helvetica, Arial, sans-serif" font-size="32" '
        f'font-weight="700" text-anchor="middle" fill="#FFFFFF">{letter}</text></svg>\n'
    ).encode()


def starter_document(
    name: str,
    author: str,
    label: str,
    created_at: str | None = None,
    base_url: str | None = None,
) -> dict:
    """The design-spec document of a new OpenAI-compatible plugin called ``name``: its
    credentials are the API key and the endpoint URL the generated code reads."""
    created_at = created_at or datetime.now(UTC).replace(microsecond=0).isoformat()
    created_at = created_at.replace("+00:00", "Z")
    return {
        "spec_version": 1,
        "manifest": {
            "version": "0.0.1",
            "type": "plugin",
            "author": author,
            "name": name,
            "label": {"en_US": label},
            "description": {"en_US": f"Models from {label}."},
            "icon": ICON_NAME,
            "created_at": created_at,
            "resource": {
                "memory": 268435456,
                "permission": {"model": {"enabled": True, "llm": True, "text_embedding": True}},
            },
            "meta": {
                "version": "0.0.1",
                "arch": ["amd64", "arm64"],
                "runner": {"language": "python", "version": "3.12", "entrypoint": "main"},
            },
            "privacy": "PRIVACY.md",
        },
        "provider": {
            "provider": name,
            "label": {"en_US": label},
            "description": {"en_US": f"Models from {label}."},
            "icon_small": {"en_US": ICON_NAME},
            "icon_large": {"en_US": ICON_NAME},
            "background": DEFAULT_BACKGROUND,
            "supported_model_types": ["llm"],
            "configurate_methods": ["predefined-model"],
            "provider_credential_schema": {
                "credential_form_schemas": [
                    {
                        "variable": "api_key",
                        "label": {"en_US": "API Key"},
                        "type": "secret-input",
                        "required": True,
                        "placeholder": {"en_US": "Enter your API Key"},
                    },
                    endpoint_url_field(base_url),
                ]
            },
        },
        "models": [],
        "code": {"api_style": "openai-compatible", **({"base_url": base_url} if base_url else {})},
        "files": {f"_assets/{ICON_NAME}": {"text": monogram_svg(label).decode()}},
    }


def endpoint_url_field(base_url: str | None, variable: str = "endpoint_url") -> dict:
    """The endpoint URL credential, with the designer's base URL as its default."""
    field = {
        "variable": variable,
        "label": {"en_US": "API endpoint URL"},
        "type": "text-input",
        "required": False,
        "placeholder": {"en_US": "Base URL, e.g. https://api.example.com/v1"},
    }
    if base_url:
        field["default"] = base_url
    return field


def starter_spec(name: str, author: str, label: str, created_at: str | None = None) -> DesignSpec:
    return DesignSpec.model_validate(starter_document(name, author, label, created_at))


def _select(variable: str, label: str, options: dict[str, str], default: str, types: list[str]):
    return {
        "variable": variable,
        "label": {"en_US": label},
        "type": "select",
        "required": False,
        "default": default,
        "options": [{"value": v, "label": {"en_US": t}} for v, t in options.items()],
        "show_on": [{"variable": "__model_type", "value": t} for t in types],
    }


def _text(variable: str, label: str, default: str | None = None, model_type: str | None = None):
    field = {"variable": variable, "label": {"en_US": label}, "type": "text-input"}
    field["required"] = False
    if default is not None:
        field["default"] = default
    if model_type:
        field["show_on"] = [{"variable": "__model_type", "value": model_type}]
    return field


def model_credential_schema(
    base_url: str | None = None,
    api_key_field: str = "api_key",
    endpoint_field: str = "endpoint_url",
) -> dict:
    """The form of a model the user adds (customizable models): the names are the ones the
    generated code and the SDK's OpenAI-compatible classes read."""
    api_key = {
        "variable": api_key_field,
        "label": {"en_US": "API Key"},
        "type": "secret-input",
        "required": False,
    }
    return {
        "model": {
            "label": {"en_US": "Model name"},
            "placeholder": {"en_US": "Enter the model name"},
        },
        "credential_form_schemas": [
            _text("display_name", "Display name"),
            api_key,
            endpoint_url_field(base_url, endpoint_field),
            _text("endpoint_model_name", "Model name on the endpoint"),
            _select(
                "mode",
                "Completion mode",
                {"chat": "Chat", "completion": "Completion"},
                "chat",
                ["llm"],
            ),
            _text("context_size", "Context size", "4096", "llm"),
            _text("max_tokens_to_sample", "Maximum tokens", "4096", "llm"),
            _select(
                "function_calling_type",
                "Function calling",
                {
                    "no_call": "Not supported",
                    "function_call": "Function call",
                    "tool_call": "Tool call",
                },
                "no_call",
                ["llm"],
            ),
            _select(
                "stream_function_calling",
                "Stream function calling",
                {"supported": "Supported", "not_supported": "Not supported"},
                "not_supported",
                ["llm"],
            ),
            _select(
                "vision_support",
                "Vision support",
                {"support": "Supported", "no_support": "Not supported"},
                "no_support",
                ["llm"],
            ),
            _text("voices", "Voices (comma separated)", "alloy", "tts"),
        ],
    }
