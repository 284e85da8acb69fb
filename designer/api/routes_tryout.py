"""Test connection: the plugin's own code calls the API with the credentials sent, in a worker."""

from django.conf import settings
from ninja import Router

from designer.accounts.models import Role
from designer.api import bridge
from designer.api.http import document_from_body, membership_of
from designer.api.problems import Problem

router = Router(tags=["projects"])

BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "credentials": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                            "description": "credential field variable -> value",
                        },
                        "models": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "model ids to call (default: the first of each type)",
                        },
                    },
                    "required": ["credentials"],
                }
            }
        },
    }
}


@router.post(
    "/projects/{int:project_id}/test-connection",
    summary="Run validate_credentials and one real call per model through the plugin's code",
    description=(
        "A worker builds the plugin, loads it with Dify's SDK and calls the API with the "
        "credentials sent (used for this run only, never stored). Answers when the run is done: "
        "`checks`, each with `name`, `ok`, `latency_ms`, `usage` (tokens, cost, currency), "
        "`error_type` (authorization, rate limit, unavailable, bad request, connection, refused) "
        "and the provider's `message`. Calls to internal addresses are refused unless the "
        "worker's PLAYGROUND_ALLOWED_HOSTS lists them. Limited per team (429 with Retry-After)."
    ),
    openapi_extra=BODY,
)
def run_test_connection(request, project_id: int):
    membership = membership_of(request)
    project = bridge.project_of(membership, project_id, Role.EDITOR)
    body = document_from_body(request, "an object with credentials")
    try:
        run = bridge.start_tryout(
            project, membership.user, body.get("credentials"), body.get("models")
        )
    except bridge.TooManyRuns as exc:
        raise Problem(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from None
    except bridge.TryoutInputError as exc:
        raise Problem(400, str(exc)) from None
    run = bridge.wait_for_tryout(run, settings.TRYOUT_TIME_LIMIT + 60)
    if not run.is_done:
        raise Problem(
            504, "no worker finished the run in time; is a worker running?", id=str(run.pk)
        )
    if run.status == "failed":
        raise Problem(422, run.error, id=str(run.pk))
    return {"id": str(run.pk), "passed": run.passed, "checks": run.checks}
