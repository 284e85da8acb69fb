"""Reading requests: bodies in JSON or YAML, versions in If-Match, the token's membership."""

import json

from designer.accounts.models import Membership
from designer.api.problems import Problem
from designer.core.errors import PluginSourceError
from designer.core.yamlio import load_yaml


def document_from_body(request, what: str = "a design spec") -> dict:
    """The request body as a mapping: JSON when sent as JSON, else YAML (the safe, guarded
    loader: no Python tags, no alias bombs, size and depth limits)."""
    data = request.body
    if not data.strip():
        raise Problem(400, f"send {what} (YAML or JSON) as the request body")
    try:
        if request.content_type == "application/json":
            document = json.loads(data)
        else:
            document = load_yaml(data, "request body")
    except (ValueError, PluginSourceError) as exc:
        raise Problem(400, f"the body is not valid JSON or YAML: {exc}") from None
    if not isinstance(document, dict):
        raise Problem(400, f"the body must be a mapping ({what})")
    return document


def etag(version: int) -> str:
    return f'"{version}"'


def matched_version(request, current: int) -> int:
    """The version an ``If-Match`` names: 428 without one, 412 when it is not ``current``."""
    header = request.headers.get("If-Match")
    if header is None:
        raise Problem(428, "send If-Match with the ETag of the version you edited")
    if header.strip() == "*":
        return current
    versions = [t.strip().removeprefix("W/").strip('"') for t in header.split(",")]
    if str(current) not in versions:
        raise Problem(
            412,
            f"someone saved version {current} since the version you edited; "
            "read it again, merge, and send its ETag",
            headers={"ETag": etag(current)},
            current_version=current,
        )
    return current


def membership_of(request) -> Membership:
    return request.auth
