"""Which calls test connection makes for a design, and which credential values are secret."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..spec import DesignSpec, Model

# Enough for a greeting; a paid API is called for real.
MAX_TOKENS = 32


class TryoutInputError(ValueError):
    """Input test connection cannot run with (unknown model, malformed credentials), in one
    line a person can act on."""


def credential_fields(spec: DesignSpec) -> list:
    provider = spec.provider
    fields = (
        list(provider.provider_credential_schema.credential_form_schemas)
        if (provider.provider_credential_schema)
        else []
    )
    if provider.model_credential_schema:
        fields += provider.model_credential_schema.credential_form_schemas
    return fields


def secret_values(spec: DesignSpec, credentials: Mapping[str, Any]) -> list[str]:
    """The typed values of secret fields, to be hidden wherever a message might echo them."""
    secret = {f.variable for f in credential_fields(spec) if f.type == "secret-input"}
    values = [str(v) for k, v in credentials.items() if k in secret and v]
    return sorted(set(values), key=len, reverse=True)


def checked_credentials(credentials: Any) -> dict[str, str]:
    if not isinstance(credentials, Mapping):
        raise TryoutInputError("credentials must be an object of field name to value")
    for name, value in credentials.items():
        if not isinstance(name, str) or not isinstance(value, str | int | float | bool):
            raise TryoutInputError(f"credential {name!r} must be a text value")
    return {name: str(value) for name, value in credentials.items()}


def chosen_models(spec: DesignSpec, wanted: Sequence[Any] | None) -> list[Model]:
    """The models named in `wanted` (ids of the design's models, or ``{"model",
    "model_type"}`` for a model typed in Dify), else the first model of each type."""
    if not wanted:
        firsts: dict[str, Model] = {}
        for model in spec.models:
            firsts.setdefault(model.model_type, model)
        if not firsts:
            raise TryoutInputError("the design has no model to call: name one in models")
        return list(firsts.values())
    by_id = {m.model: m for m in spec.models}
    chosen = []
    for item in wanted:
        if isinstance(item, str) and item in by_id:
            chosen.append(by_id[item])
        elif isinstance(item, Mapping) and isinstance(item.get("model"), str):
            chosen.append(typed_model(spec, item))
        else:
            known = ", ".join(by_id) or "none"
            raise TryoutInputError(f"no model {item!r} in the design (its models: {known})")
    return chosen


def typed_model(spec: DesignSpec, item: Mapping[str, Any]) -> Model:
    model_type = item.get("model_type")
    if model_type not in spec.provider.supported_model_types:
        types = ", ".join(spec.provider.supported_model_types)
        raise TryoutInputError(f"model {item['model']!r}: model_type must be one of {types}")
    return Model(model=item["model"], model_type=model_type)


def validate_checks(spec: DesignSpec, models: list[Model]) -> list[dict]:
    """Dify checks the provider's credentials when a predefined model exists, else each model's."""
    if "predefined-model" in spec.provider.configurate_methods and spec.models:
        return [{"name": "validate_credentials", "kind": "provider_validate"}]
    return [
        {"name": f"validate_credentials {m.model}", "kind": "model_validate", **identity(m)}
        for m in models
    ]


def identity(model: Model) -> dict:
    return {"model": model.model, "model_type": model.model_type}


def llm_parameters(model: Model) -> dict:
    names = {rule.name for rule in model.parameter_rules or []}
    return {"max_tokens": MAX_TOKENS} if "max_tokens" in names else {}


def model_checks(model: Model) -> list[dict]:
    base = {**identity(model), "kind": model.model_type}
    name = f"{model.model_type} {model.model}"
    if model.model_type == "llm":
        features = model.features or []
        tool = "tool-call" in features or "stream-tool-call" in features
        parameters = llm_parameters(model)
        streamed = {**base, "name": f"{name} stream", "stream": True, "tool": tool}
        blocking = {**base, "name": f"{name} blocking", "stream": False}
        return [{**streamed, "parameters": parameters}, {**blocking, "parameters": parameters}]
    if model.model_type == "tts":
        properties = model.model_properties
        voices = properties.voices or []
        voice = properties.default_voice or (voices[0].mode if voices else None)
        return [{**base, "name": name, "voice": voice}]
    return [{**base, "name": name}]


def plan(spec: DesignSpec, wanted: Sequence[Any] | None = None) -> list[dict]:
    """validate_credentials, then one real call per chosen model (two for an llm)."""
    models = chosen_models(spec, wanted)
    checks = validate_checks(spec, models)
    for model in models:
        checks += model_checks(model)
    return checks


def form_fields(spec: DesignSpec) -> list:
    """The fields a person fills in to test: the provider's, and for a design whose models are
    all typed in Dify, the model form's too (each variable once)."""
    fields = (
        list(spec.provider.provider_credential_schema.credential_form_schemas)
        if (spec.provider.provider_credential_schema)
        else []
    )
    customizable_only = "predefined-model" not in spec.provider.configurate_methods
    if customizable_only and spec.provider.model_credential_schema:
        seen = {f.variable for f in fields}
        schema = spec.provider.model_credential_schema.credential_form_schemas
        fields += [f for f in schema if f.variable not in seen]
    return fields
