"""The starts a new project can take: each a valid spec with what is left to fill in."""

from dataclasses import dataclass

from .starter import model_credential_schema, starter_document


@dataclass(frozen=True)
class Start:
    key: str
    title: str
    description: str


STARTS = (
    Start(
        "openai",
        "OpenAI-compatible provider",
        "Predefined models behind an OpenAI-compatible API: add the models and their prices.",
    ),
    Start(
        "customizable",
        "Customizable models",
        "No predefined models: people type the model names in Dify, with an endpoint and key.",
    ),
    Start(
        "custom",
        "Custom API (code skeleton)",
        "Generated code with a call_api function to write for an API of your own.",
    ),
)
START_KEYS = tuple(start.key for start in STARTS)


def start_document(key: str, name: str, author: str, label: str) -> dict:
    """The document of a new project started from ``key`` (one of START_KEYS)."""
    document = starter_document(name=name, author=author, label=label)
    if key == "customizable":
        provider = document["provider"]
        provider["configurate_methods"] = ["customizable-model"]
        del provider["provider_credential_schema"]
        provider["model_credential_schema"] = model_credential_schema()
    elif key == "custom":
        document["code"] = {"api_style": "custom"}
        fields = document["provider"]["provider_credential_schema"]["credential_form_schemas"]
        fields[:] = [field for field in fields if field["variable"] == "api_key"]
    return document
