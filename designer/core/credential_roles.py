"""Which provider credential fields the generated code reads, and what a user typed in them.

The design names them (``code.api_key_field``, ``code.endpoint_field``); a design that names none
uses the conventional ``api_key`` and ``endpoint_url``.
"""

from .spec import DesignSpec

DEFAULT_API_KEY_FIELD = "api_key"
DEFAULT_ENDPOINT_FIELD = "endpoint_url"


def api_key_variable(spec: DesignSpec) -> str:
    return spec.code.api_key_field or DEFAULT_API_KEY_FIELD


def endpoint_variable(spec: DesignSpec) -> str:
    return spec.code.endpoint_field or DEFAULT_ENDPOINT_FIELD


def endpoint_from(spec: DesignSpec, credentials: dict[str, str]) -> str | None:
    """The endpoint the code calls with these credentials: the typed one, else the base URL."""
    return (credentials.get(endpoint_variable(spec)) or "").strip() or spec.code.base_url


def api_key_from(spec: DesignSpec, credentials: dict[str, str]) -> str | None:
    return credentials.get(api_key_variable(spec)) or None
