"""Builds left running by a dead worker are failed by the workers, at start and on a timer."""

import time
from datetime import timedelta

import pytest
from celery.signals import worker_ready
from celery.utils.timer2 import Timer
from django.utils import timezone

from designer.builds.models import Status
from tests.builds.factories import finished_build

pytestmark = pytest.mark.django_db(transaction=True)  # the timer runs in its own thread


class Consumer:
    """What a worker passes with worker_ready: its hostname and its timer."""

    def __init__(self, hostname: str, timer: Timer):
        self.hostname, self.timer = hostname, timer


def stale(project):
    long_ago = timezone.now() - timedelta(hours=5)
    return finished_build(project, status="running", step="verify", started_at=long_ago)


def wait_until_failed(build, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        build.refresh_from_db()
        if build.status == Status.FAILED:
            return build
        time.sleep(0.05)
    raise AssertionError(f"build {build.pk} stayed {build.status}")


def test_a_starting_worker_fails_stale_builds_then_keeps_doing_so_on_its_timer(
    project, plugins_out, settings
):
    settings.STALE_BUILD_CHECK_SECONDS = 0.2
    left_before = stale(project)
    timer = Timer()  # the worker's own timer (celery's), as the worker passes it
    try:
        worker_ready.send(sender=Consumer("builder@h", timer))
        left_before.refresh_from_db()
        assert left_before.status == Status.FAILED  # at start, at once
        left_after = stale(project)
        recent = finished_build(project, status="running", started_at=timezone.now())
        assert "worker stopped" in wait_until_failed(left_after).error  # by the timer
    finally:
        timer.stop()
    recent.refresh_from_db()
    assert recent.status == Status.RUNNING
