"""End to end on the production stack (PostgreSQL, Redis, gunicorn, two prefork workers), with
the faults it must survive: a worker killed mid-build, Redis and PostgreSQL restarted."""

import pytest

from tests.production.conftest import WORKERS, get

pytestmark = pytest.mark.slow


def new_project(stack) -> int:
    return stack.action("project")["project"]


def test_a_build_succeeds_and_its_artifacts_are_stored(stack):
    [build] = stack.action("build", new_project(stack), 1)["builds"]
    result = stack.wait_for_builds([build])[build]
    assert result["status"] == "succeeded", result["error"]
    assert (stack.out / result["zip"]).is_file()
    assert (stack.out / result["package"]).is_file()
    assert stack.health() == (200, {"database": "ok", "broker": "ok", "worker": "ok"})


def test_two_builds_of_one_spec_at_once_share_one_artifact_set(stack):
    ids = stack.action("build", new_project(stack), 2)["builds"]
    results = stack.wait_for_builds(ids).values()
    assert [r["status"] for r in results] == ["succeeded", "succeeded"], results
    assert len({(r["zip"], r["package"]) for r in results}) == 1
    [result, _] = results
    digest = result["zip"].rsplit("/", 1)[-1]
    assert [p.name for p in stack.out.rglob(digest)] == [digest]


def test_a_worker_killed_mid_build_is_retried_and_the_build_succeeds(stack):
    [build] = stack.action("build", new_project(stack), 1)["builds"]

    def running() -> bool:
        return stack.builds([build])[build]["status"] == "running"

    stack.wait(running, "the build did not start")
    worker = stack.builds([build])[build]["worker"]
    stack.kill_worker(worker)  # main process, pool process and SDK check: SIGKILL
    stack.start_worker(worker)  # started again under its name, as its supervisor would
    result = stack.wait_for_builds([build])[build]
    assert result["status"] == "succeeded", result["error"]
    assert result["attempts"] == 2


def test_builds_queued_while_redis_restarts_are_all_built_once(stack):
    for name in WORKERS:
        stack.stop_worker(name)
    ids = stack.action("build", new_project(stack), 4)["builds"]
    stack.stop_redis()
    stack.start_redis()
    for name in WORKERS:
        stack.start_worker(name)
    results = stack.wait_for_builds(ids).values()
    assert [r["status"] for r in results] == ["succeeded"] * 4, results
    assert [r["attempts"] for r in results] == [1] * 4
    stack.wait_until_healthy()


def test_postgres_restarted_is_named_by_healthz_and_the_site_recovers_by_itself(stack):
    stack.stop_postgres()
    status, body = stack.health()
    assert status == 503
    assert body["database"].startswith("error")
    stack.start_postgres()
    stack.wait_until_healthy(timeout=60)
    assert get(f"{stack.base}/accounts/login/")[0] == 200
    [build] = stack.action("build", new_project(stack), 1)["builds"]
    assert stack.wait_for_builds([build])[build]["status"] == "succeeded"
