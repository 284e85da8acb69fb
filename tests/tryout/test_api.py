"""POST /api/v1/projects/{id}/test-connection: the checks as JSON, run by a real worker."""

import logging
from pathlib import Path

import pytest

from designer.tryout.models import TryoutRun
from tests.api.conftest import assert_problem, client_for
from tests.generated.fake_openai import GOOD_KEY

from .conftest import database_dump

WRONG_KEY = "sk-api-wrong-secret-77"


@pytest.fixture
def as_editor(editor, team):
    return client_for(editor, team)


@pytest.fixture
def as_viewer(viewer, team):
    return client_for(viewer, team)


def url(project) -> str:
    return f"/projects/{project.pk}/test-connection"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_checks_come_back_as_json_and_the_key_stays_nowhere(
    as_editor, calling_project, allowed_worker, caplog
):
    caplog.set_level(logging.DEBUG)
    body = {"credentials": {"api_key": GOOD_KEY}, "models": ["demo-chat", "demo-embed"]}
    response = as_editor.post_json(url(calling_project), body)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["passed"] is True
    names = [check["name"] for check in answer["checks"]]
    assert names == [
        "endpoint",
        "validate_credentials",
        "llm demo-chat stream",
        "llm demo-chat blocking",
        "text-embedding demo-embed",
    ]
    blocking = answer["checks"][3]
    assert blocking["usage"]["total_tokens"] == 12 and blocking["usage"]["currency"] == "USD"

    wrong = as_editor.post_json(url(calling_project), {"credentials": {"api_key": WRONG_KEY}})
    checks = {c["name"]: c for c in wrong.json()["checks"]}
    assert wrong.json()["passed"] is False
    assert checks["validate_credentials"]["error_type"] == "authorization"
    assert "***" in checks["validate_credentials"]["message"]

    worker_log = Path(allowed_worker.log.name).read_text()
    for secret in (GOOD_KEY, WRONG_KEY):
        assert secret.encode() not in response.content + wrong.content
        assert secret not in database_dump()
        assert secret not in caplog.text
        assert secret not in worker_log


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"credentials": ["sk"]}, "credentials must be an object"),
        ({"credentials": {"api_key": {"nested": 1}}}, "must be a text value"),
        ({"credentials": {}, "models": "demo-chat"}, "models must be a list"),
    ],
)
def test_bad_input_is_a_400_problem(as_editor, calling_project, body, detail):
    problem = assert_problem(as_editor.post_json(url(calling_project), body), 400)
    assert detail in problem["detail"]
    assert not TryoutRun.objects.exists()


def test_a_viewer_token_may_not_run_it(as_viewer, calling_project):
    assert_problem(as_viewer.post_json(url(calling_project), {"credentials": {}}), 403)


def test_over_the_teams_limit_is_429_with_retry_after(as_editor, calling_project, settings):
    settings.TRYOUT_RATE_LIMIT = 0
    response = as_editor.post_json(url(calling_project), {"credentials": {"api_key": GOOD_KEY}})
    assert_problem(response, 429)
    assert int(response["Retry-After"]) >= 1
