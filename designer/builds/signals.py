"""A worker notes each build it takes; when it starts, builds its previous run took but never
finished are retried: that run died."""

import logging

from celery.signals import task_received, worker_ready

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
    fail_stale_builds()  # left by workers that will not come back under their name
    remove_temporary_files()
