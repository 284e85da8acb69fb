"""Checks of what the generated code reads: the base URL it calls and the credential fields it
sends as the API key and calls as the endpoint (``credential_roles``)."""

from collections.abc import Iterator
from urllib.parse import urlsplit

from ..api_styles import api_style
from ..credential_roles import (
    HIDDEN_INPUT,
    api_key_variable,
    credential_fields,
    endpoint_variable,
)
from ..findings import Finding, error, warning
from ..render.credentials import generates_model_code, provider_for_code
from ..render.pieces import generates, model_code_paths
from ..spec import DesignSpec

KEY_PATH, ENDPOINT_PATH = "code.api_key_field", "code.endpoint_field"
BASE_URL_PATH = "code.base_url"


def base_url(spec: DesignSpec) -> Iterator[Finding]:
    url = spec.code.base_url
    if not url:
        return
    problem = url_problem(url)
    if problem:
        # Generated code calls it on every request; otherwise it is only the field's default.
        yield (error if generates_model_code(spec) else warning)(BASE_URL_PATH, problem)


def url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        return f"is not a URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.hostname:
        return "has no host, as in https://api.example.com/v1"
    return None


def credential_roles(spec: DesignSpec) -> Iterator[Finding]:
    """The key and endpoint fields exist; code calling an OpenAI-compatible API has both."""
    if not writes_model_code(spec):
        return
    written = spec.model_copy(update={"provider": provider_for_code(spec)})
    fields = {f.variable: f for f in credential_fields(written)}
    key, endpoint = api_key_variable(spec), endpoint_variable(spec)
    calls_endpoint = api_style(spec.code.api_style).calls_endpoint
    if key == endpoint:
        yield error(ENDPOINT_PATH, "the endpoint cannot be the same field as the API key")
    if spec.code.api_key_field and key not in fields:
        yield error(KEY_PATH, f"no credential field '{key}': name a field of the forms")
    elif key not in fields and calls_endpoint:
        yield error(KEY_PATH, "no secret field to send as the API key: add one or name it here")
    elif key in fields and fields[key].type != HIDDEN_INPUT:
        yield warning(KEY_PATH, f"'{key}' is not a secret field: Dify shows and stores it in clear")
    if spec.code.endpoint_field and endpoint not in fields:
        yield error(ENDPOINT_PATH, f"no credential field '{endpoint}': name a field of the forms")
    elif endpoint not in fields and calls_endpoint and not spec.code.base_url:
        # An imported plugin given generated code still builds as it came; a design must not.
        report = warning if spec.code.imported else error
        yield report(
            ENDPOINT_PATH, "the code has no endpoint: add an endpoint field or give a base URL"
        )


def writes_model_code(spec: DesignSpec) -> bool:
    """Whether the plugin gets generated model classes (an imported one once they are added)."""
    paths = model_code_paths(spec)
    return generates_model_code(spec) and bool(paths) and generates(spec, paths[0])
