"""Builds run by a real Celery worker process (filesystem broker, shared SQLite file)."""

import io
import time
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from designer.builds.models import Build, Status
from designer.builds.service import start_build
from tests.builds.factories import finished_build

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def wait_for(build: Build, statuses, timeout: float = 120) -> Build:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        build.refresh_from_db()
        if not seen or seen[-1] != build.status:
            seen.append(build.status)
        if build.status in statuses:
            build.seen = seen
            return build
        time.sleep(0.1)
    raise AssertionError(f"build stayed {build.status} (step {build.step}); saw {seen}")


def wait_for_step(build: Build, step: str, timeout: float = 60) -> Build:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        build.refresh_from_db()
        if build.status == Status.RUNNING and build.step == step:
            return build
        time.sleep(0.02)
    raise AssertionError(f"build never reached {step}: {build.status}, step {build.step}")


def files_in(path) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    return {name: archive.read(name) for name in archive.namelist()}


def stored(plugins_out) -> list:
    return sorted(p.relative_to(plugins_out) for p in plugins_out.rglob("*") if p.is_file())


def test_a_build_goes_queued_running_succeeded_and_the_sdk_loads_what_it_stored(
    start_worker, project, editor, plugins_out
):
    start_worker()
    build = start_build(project, editor)
    assert build.status == Status.QUEUED
    build = wait_for(build, {Status.SUCCEEDED, Status.FAILED})
    assert build.status == Status.SUCCEEDED, build.error
    assert Status.RUNNING in build.seen
    assert build.verification["ok"] and build.verification["models"] == 2
    assert build.duration is not None and build.progress == 100
    package = plugins_out / build.package_name
    source = plugins_out / build.zip_name
    assert package.stat().st_size == build.package_size
    [from_package, from_source] = load_tree_with_sdk_batch(files_in(package), files_in(source))
    assert from_package.ok, from_package.error
    assert from_source.ok, from_source.error

    # The same spec again: recognised, its artifacts reused.
    again = wait_for(start_build(project, editor), {Status.SUCCEEDED, Status.FAILED})
    assert again.status == Status.SUCCEEDED and again.reused_from_id == build.pk
    assert (again.zip_name, again.package_sha256) == (build.zip_name, build.package_sha256)
    assert len(stored(plugins_out)) == 2


def test_two_builds_of_a_new_spec_at_once_on_two_workers_make_one_set_of_artifacts(
    start_worker, project, editor, plugins_out
):
    start_worker()
    start_worker("second-builder@localhost")
    builds = [start_build(project, editor), start_build(project, editor)]
    builds = [wait_for(b, {Status.SUCCEEDED, Status.FAILED}) for b in builds]
    assert [b.status for b in builds] == [Status.SUCCEEDED, Status.SUCCEEDED], builds[0].error
    assert builds[0].zip_sha256 == builds[1].zip_sha256
    assert builds[0].package_name == builds[1].package_name
    assert builds[0].package_size == builds[1].package_size
    assert len(stored(plugins_out)) == 2
    assert (plugins_out / builds[0].package_name).stat().st_size == builds[0].package_size


def load_tree_with_sdk_batch(*trees):
    from designer.core.sdk_check import load_trees_with_sdk

    return load_trees_with_sdk(list(trees))


def test_an_invalid_spec_fails_with_the_reason_and_stores_nothing(
    start_worker, project, editor, plugins_out
):
    project.spec["manifest"]["version"] = "1.0"
    project.save()
    start_worker()
    build = wait_for(start_build(project, editor), {Status.SUCCEEDED, Status.FAILED})
    assert build.status == Status.FAILED
    assert "manifest.version" in build.error
    assert stored(plugins_out) == []


def test_a_worker_killed_mid_build_leaves_no_partial_file_and_its_successor_retries(
    start_worker, project, editor, plugins_out
):
    worker = start_worker()
    build = wait_for_step(start_build(project, editor), "verify")
    worker.kill()
    build.refresh_from_db()
    assert build.status == Status.RUNNING, (build.error, build.step, build.attempts)
    assert [p for p in stored(plugins_out) if not str(p).startswith(".")] == []

    start_worker()  # same name: it finds the build its predecessor left running
    build = wait_for(build, {Status.SUCCEEDED, Status.FAILED})
    assert build.status == Status.SUCCEEDED, build.error
    assert build.attempts == 2
    assert sorted(p.suffix for p in stored(plugins_out)) == [".difypkg", ".zip"]


def test_a_pool_process_killed_mid_build_gives_the_build_back_to_the_queue(
    start_worker, project, editor, plugins_out
):
    # acks_late + reject_on_worker_lost: the worker's main process sees its pool process die
    # and returns the message to the queue, so the same worker builds it again.
    worker = start_worker(pool="prefork")
    build = wait_for_step(start_build(project, editor), "verify")
    worker.kill_pool_process()
    build = wait_for(build, {Status.SUCCEEDED, Status.FAILED})
    assert build.status == Status.SUCCEEDED, build.error
    assert build.attempts == 2
    assert sorted(p.suffix for p in stored(plugins_out)) == [".difypkg", ".zip"]


def test_a_running_worker_fails_on_its_timer_a_build_a_dead_worker_left_running(
    start_worker, project, plugins_out, monkeypatch
):
    monkeypatch.setenv("STALE_BUILD_CHECK_SECONDS", "0.5")
    start_worker()
    long_ago = timezone.now() - timedelta(hours=5)
    left = finished_build(
        project, status="running", step="verify", worker="gone@elsewhere", started_at=long_ago
    )
    left = wait_for(left, {Status.FAILED}, timeout=30)
    assert "worker stopped" in left.error
