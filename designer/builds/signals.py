"""A worker notes each build it takes; when it starts, builds its previous run took but never
finished are retried (that run died), and from then on it fails, on a timer, the builds left
running by workers that will not come back."""

import logging

from celery.signals import task_received, worker_ready
from django.conf import settings
from django.db import close_old_connections

from designer.builds.models import Build, Status
from designer.builds.service import (
    RUN_BUILD,
    fail_stale_builds,
    recover_builds_of,
    remove_temporary_files,
)

log = logging.getLogger(__name__)


@task_received.connect
def note_the_worker_that_took_a_build(sender=None, request=None, **kwargs):
    # The filesystem broker forgets a message once a worker takes it, so a build this worker
    # holds but has not started would be lost with the worker; its name lets a restart find it.
    if request is not None and request.name == RUN_BUILD and request.args:
        Build.objects.filter(pk=request.args[0], status=Status.QUEUED).update(
            worker=request.hostname or ""
        )


@worker_ready.connect
def retry_builds_of_a_dead_predecessor(sender=None, **kwargs):
    hostname = getattr(sender, "hostname", "") or ""
    retried = recover_builds_of(hostname)
    if retried:
        log.warning("retrying builds %s left unfinished by a previous %s", retried, hostname)
    fail_stale_builds_now()
    remove_temporary_files()
    # The worker's own timer (the one its heartbeats use), rather than Celery beat: no
    # schedule file, no extra process, no message through the broker, and every worker may
    # run it at once (the UPDATE is idempotent). Pages only read builds; they never fail them.
    sender.timer.call_repeatedly(settings.STALE_BUILD_CHECK_SECONDS, fail_stale_builds_now)


def fail_stale_builds_now() -> None:

    close_old_connections()  # the timer may run in its own thread, on a connection gone stale
    try:
        failed = fail_stale_builds()
    except Exception:  # a database outage must not stop the timer; the next round tries again
        log.exception("could not fail stale builds")
        return
    if failed:
        log.warning("failed %s builds left running past twice the time limit", failed)
