"""API test helpers: a token for a member, and a client that sends it."""

import pytest
from django.test import Client

from designer.api.tokens import create_token
from tests.builds.conftest import plugins_out  # noqa: F401 (artifacts in a temporary folder)


class ApiClient:
    """Django's test client with a bearer token on every request (no session, no CSRF)."""

    def __init__(self, secret: str | None):
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def request(self, method: str, path: str, headers=None, **kwargs):
        send = getattr(self.client, method)
        return send(f"/api/v1{path}", headers={**self.headers, **(headers or {})}, **kwargs)

    def get(self, path, **kwargs):
        return self.request("get", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("post", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("put", path, **kwargs)

    def post_json(self, path, data, **kwargs):
        return self.post(path, data=data, content_type="application/json", **kwargs)

    def put_json(self, path, data, **kwargs):
        return self.put(path, data=data, content_type="application/json", **kwargs)


def client_for(user, team) -> ApiClient:
    _, secret = create_token(user, team, "tests")
    return ApiClient(secret)


@pytest.fixture
def as_editor(editor, team):
    return client_for(editor, team)


@pytest.fixture
def as_viewer(viewer, team):
    return client_for(viewer, team)


@pytest.fixture
def as_outsider(outsider):
    return client_for(outsider, outsider.teams.get())


@pytest.fixture
def anonymous(db):
    return ApiClient(None)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body
