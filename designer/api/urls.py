import functools

from django.urls import path, re_path

from designer.api import views
from designer.api.api import api
from designer.api.problems import not_found_view, problem_response

app_name = "api_tokens"


def with_problem_405(view):
    """The API's views answer a method they lack with a problem document, not plain text."""

    @functools.wraps(view)  # keeps csrf_exempt
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").endswith("json"):
            detail = f"{request.method} is not allowed here (allowed: {response['Allow']})"
            return problem_response(405, detail, {"Allow": response["Allow"]})
        return response

    return wrapped


def api_urls():
    patterns, app, namespace = api.urls
    for pattern in patterns:
        pattern.callback = with_problem_405(pattern.callback)
    return patterns, app, namespace


# /api/v1/...: the API, and JSON 404s for any other address under it.
api_urlpatterns = [
    path("api/v1/", api_urls()),
    re_path(r"^api/v1/", not_found_view),
]

# The team's token page (web, session login).
urlpatterns = [
    path("teams/<int:team_id>/", views.tokens_page, name="page"),
    path("teams/<int:team_id>/<int:token_id>/revoke/", views.revoke, name="revoke"),
]
