"""The HTTP API under /api/v1/: django-ninja, token authentication, problem-details errors."""

from django.conf import settings
from ninja import NinjaAPI
from ninja.security import HttpBearer

from designer.accounts.models import Membership
from designer.api import (
    problems,
    routes_library,
    routes_projects,
    routes_stateless,
    routes_tryout,
    tokens,
)
from designer.api.problems import Problem

DESCRIPTION = """Design, validate and build Dify model-provider plugins from scripts.

Send `Authorization: Bearer <token>` (tokens are made on the team's page or with
`manage.py create_api_token`). A token acts as its user in its team, with the user's role there:
a viewer's token reads only. Errors are RFC 9457 problem details (`application/problem+json`).
`PUT` needs `If-Match` with the `ETag` of the `GET` it edits: 428 without one, 412 when someone
saved since (nothing is overwritten). Each token may make `API_RATE_LIMIT` requests per
`API_RATE_WINDOW` seconds (429 with `Retry-After` beyond).
"""


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> Membership | None:
        found = tokens.authenticate(token)
        if found is None:
            return None
        api_token, membership = found
        if not tokens.count_request(api_token):
            window = settings.API_RATE_WINDOW
            raise Problem(
                429,
                f"more than {settings.API_RATE_LIMIT} requests in {window} s from this token",
                headers={"Retry-After": str(window)},
            )
        request.user = membership.user
        return membership


api = NinjaAPI(
    title="Dify plugin designer API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
)
problems.install(api)


api.add_router("", routes_stateless.router)
api.add_router("", routes_projects.router)
api.add_router("", routes_library.router)
api.add_router("", routes_tryout.router)
