"""Which provider credential fields the generated code reads, and what a user typed in them.

The design names them (``code.api_key_field``, ``code.endpoint_field``). A design that names
none uses the conventional ``api_key`` and ``endpoint_url``; when its forms have no ``api_key``
but exactly one secret field (as many imported plugins do), that field is the key.
"""

from .spec import CredentialField, DesignSpec

DEFAULT_API_KEY_FIELD = "api_key"
DEFAULT_ENDPOINT_FIELD = "endpoint_url"
HIDDEN_INPUT = "secret-input"  # the form type Dify stores encrypted


def credential_fields(spec: DesignSpec) -> list[CredentialField]:
    """The fields of the provider form, then of the model form: the code reads either."""
    fields = []
    for schema in (spec.provider.provider_credential_schema, spec.provider.model_credential_schema):
        if schema is not None:
            fields += schema.credential_form_schemas
    return fields


def api_key_variable(spec: DesignSpec) -> str:
    if spec.code.api_key_field:
        return spec.code.api_key_field
    secrets = {f.variable for f in credential_fields(spec) if f.type == HIDDEN_INPUT}
    if len(secrets) == 1 and DEFAULT_API_KEY_FIELD not in secrets:
        return secrets.pop()
    return DEFAULT_API_KEY_FIELD


def endpoint_variable(spec: DesignSpec) -> str:
    return spec.code.endpoint_field or DEFAULT_ENDPOINT_FIELD


def endpoint_from(spec: DesignSpec, credentials: dict[str, str]) -> str | None:
    """The endpoint the code calls with these credentials: the typed one, else the base URL."""
    return (credentials.get(endpoint_variable(spec)) or "").strip() or spec.code.base_url


def api_key_from(spec: DesignSpec, credentials: dict[str, str]) -> str | None:
    return credentials.get(api_key_variable(spec)) or None
