"""Credential forms that agree with the generated code.

The generated code reads the endpoint field the design names (``credential_roles``) and falls
back to the design's base URL; Dify pre-fills a field's default, so the endpoint field shows that
same base URL as its default. A provider
offering customizable models with generated code gets the model credential form that code reads
when the design has none (the designer's forms do not edit that form field by field), its key
and endpoint fields named as the code reads them.
"""

from .. import layout
from ..api_styles import api_style
from ..credential_roles import api_key_variable, endpoint_variable
from ..spec import CredentialField, DesignSpec, ModelCredentialSchema, Provider
from ..starter import model_credential_schema


def generates_model_code(spec: DesignSpec) -> bool:
    """Whether the model classes are generated (not carried from an imported plugin)."""
    return not any(source in spec.files for source in layout.python_sources(spec).model_sources)


def provider_for_code(spec: DesignSpec) -> Provider:
    """The provider as written to its YAML: credential forms completed for the generated code."""
    provider = spec.provider
    if not generates_model_code(spec):
        return provider
    updates = {}
    model_schema = provider.model_credential_schema
    if model_schema is None and "customizable-model" in provider.configurate_methods:
        model_schema = ModelCredentialSchema.model_validate(
            model_credential_schema(
                spec.code.base_url, api_key_variable(spec), endpoint_variable(spec)
            )
        )
        updates["model_credential_schema"] = model_schema
    base_url = spec.code.base_url if api_style(spec.code.api_style).calls_endpoint else None
    if base_url:
        for key, schema in (
            ("provider_credential_schema", provider.provider_credential_schema),
            ("model_credential_schema", model_schema),
        ):
            endpoint = endpoint_variable(spec)
            if schema is not None and _endpoint_default_differs(
                schema.credential_form_schemas, endpoint, base_url
            ):
                fields = [
                    _with_default(f, endpoint, base_url) for f in schema.credential_form_schemas
                ]
                updates[key] = schema.model_copy(update={"credential_form_schemas": fields})
    return provider.model_copy(update=updates) if updates else provider


def _endpoint_default_differs(fields: list[CredentialField], endpoint: str, base_url: str) -> bool:
    return any(f.variable == endpoint and f.default != base_url for f in fields)


def _with_default(field: CredentialField, endpoint: str, base_url: str) -> CredentialField:
    if field.variable != endpoint:
        return field
    return field.model_copy(update={"default": base_url})
