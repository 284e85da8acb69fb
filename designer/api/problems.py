"""Errors as RFC 9457 problem details (application/problem+json), never an HTML page."""

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

log = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"


class Problem(Exception):
    """Raised by an endpoint to answer with a problem document; ``extra`` members are added
    to it (``findings``, ``current_version``) and ``headers`` to the response."""

    def __init__(self, status: int, detail: str, headers: dict | None = None, **extra):
        super().__init__(detail)
        self.status, self.detail, self.headers, self.extra = status, detail, headers or {}, extra


def problem_response(status: int, detail: str, headers: dict | None = None, **extra):
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    body |= {"detail": detail, **extra}
    response = JsonResponse(body, status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def findings_json(findings) -> list[dict]:
    return [{"level": f.level, "path": f.path, "message": f.message} for f in findings]


def on_problem(request, exc: Problem):
    return problem_response(exc.status, exc.detail, exc.headers, **exc.extra)


def on_authentication(request, exc):
    detail = "send a valid API token: Authorization: Bearer <token>"
    return problem_response(401, detail, {"WWW-Authenticate": 'Bearer realm="api"'})


def on_not_found(request, exc):
    return problem_response(404, "no such object in your token's team")


def on_forbidden(request, exc):
    return problem_response(403, "your role in this team only reads")


def on_invalid_request(request, exc: ValidationError):
    findings = [
        {
            "level": "error",
            "path": ".".join(str(p) for p in e.get("loc", ())),
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return problem_response(422, "the request does not match its schema", findings=findings)


def on_http_error(request, exc: HttpError):
    return problem_response(exc.status_code, str(exc))


def on_too_big(request, exc):
    return problem_response(413, "the request body is too large")


def on_crash(request, exc):
    log.exception("API request %s %s failed", request.method, request.path)
    return problem_response(500, "internal error; the administrators can find it in the logs")


HANDLERS = (
    (Exception, on_crash),
    (HttpError, on_http_error),
    (ValidationError, on_invalid_request),
    (AuthenticationError, on_authentication),
    (Http404, on_not_found),
    (PermissionDenied, on_forbidden),
    (RequestDataTooBig, on_too_big),
    (Problem, on_problem),
)


def install(api) -> None:
    for exception, handler in HANDLERS:
        api.add_exception_handler(exception, handler)


def not_found_view(request, *args, **kwargs):
    """Any other address under /api/v1/ (so a typo gets JSON, not the site's 404 page)."""
    return problem_response(404, f"no endpoint at {request.path}")
