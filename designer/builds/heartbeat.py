"""Worker heartbeats: while a worker's consumer is connected to the broker, a thread in its main
process writes the worker's row every HEARTBEAT_SECONDS; the row goes when the worker stops.

/healthz then answers from the age of the newest row (one query, a few milliseconds) instead of
broadcasting a ping and waiting out its timeout on every probe.
"""

import logging
import os
import threading
from datetime import timedelta

from celery import bootsteps
from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
STALE_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)  # two missed beats and a margin


def beat(hostname: str) -> None:
    from designer.builds.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now(), "pid": os.getpid()}
    )


def forget(hostname: str) -> None:
    from designer.builds.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(hostname=hostname).delete()


def newest_beat_age() -> timedelta | None:
    """How long ago the most recent worker beat; None when no worker has beaten at all."""
    from designer.builds.models import WorkerHeartbeat

    newest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)[:1]
    return timezone.now() - newest[0] if newest else None


class Heartbeat(bootsteps.StartStopStep):
    """A consumer step: it runs only while the worker is connected and taking tasks."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, consumer, **kwargs):
        super().__init__(consumer, **kwargs)
        self.stopping = threading.Event()
        self.thread = None
        self.hostname = None

    def start(self, consumer):
        self.hostname = consumer.hostname
        self.stopping.clear()
        self.thread = threading.Thread(target=self.run, name="heartbeat", daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopping.is_set():
            try:
                beat(self.hostname)
            except Exception:  # a busy or restarting database: the next beat tries again
                log.warning("worker heartbeat not written", exc_info=True)
                close_old_connections()
            self.stopping.wait(HEARTBEAT_SECONDS)

    def stop(self, consumer):
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=HEARTBEAT_SECONDS)
        if self.hostname is None:
            return
        try:
            forget(self.hostname)
        except Exception:
            log.warning("worker heartbeat not removed", exc_info=True)

    shutdown = stop
