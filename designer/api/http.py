"""Reading requests: bodies in JSON or YAML, versions in If-Match (and the conditional PUT
they guard), the token's membership."""

import json
from collections.abc import Callable

from django.http import HttpResponse

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
        raise precondition_failed(current)
    return current


def precondition_failed(current: int) -> Problem:
    return Problem(
        412,
        f"someone saved version {current} since the version you edited; "
        "read it again, merge, and send its ETag",
        headers={"ETag": etag(current)},
        current_version=current,
    )


def with_etag(response: HttpResponse, version: int) -> HttpResponse:
    response["ETag"] = etag(version)
    return response


class Stale(Exception):
    """Someone saved between the If-Match check and the save; ``current`` is their version."""

    def __init__(self, current: int):
        super().__init__(f"version {current} was saved since")
        self.current = current


def saved_if_matched(
    request, response: HttpResponse, current: int, save: Callable[[int], tuple[int, int]]
) -> dict:
    """The PUT every editable resource has: ``If-Match`` must name ``current`` (428, 412);
    ``save(version)`` gives the saved (id, new version) or raises Stale (412); the response
    carries the new version's ETag."""
    version = matched_version(request, current)
    try:
        pk, saved_version = save(version)
    except Stale as stale:
        raise precondition_failed(stale.current) from None
    with_etag(response, saved_version)
    return {"id": pk, "version": saved_version}


def membership_of(request) -> Membership:
    return request.auth
