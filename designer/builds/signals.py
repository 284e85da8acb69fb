"""When a worker starts, builds its previous run left running are retried: that run died."""

import logging

from celery.signals import worker_ready

log = logging.getLogger(__name__)


@worker_ready.connect
def retry_builds_of_a_dead_predecessor(sender=None, **kwargs):
    from designer.builds.service import (
        fail_stale_builds,
        recover_builds_of,
        remove_temporary_files,
    )

    hostname = getattr(sender, "hostname", "") or ""
    retried = recover_builds_of(hostname)
    if retried:
        log.warning("retrying builds %s left running by a previous %s", retried, hostname)
    fail_stale_builds()  # left by workers that will not come back under their name
    remove_temporary_files()
