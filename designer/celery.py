"""The Celery app. Without CELERY_BROKER_URL it uses kombu's filesystem transport under var/,
so `make run` needs no broker server; with redis://... it scales out across machines."""

import os

from celery import Celery
from celery.signals import worker_process_init
from django.conf import settings

from designer.builds.heartbeat import Heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

app = Celery("designer")


def broker_options() -> dict:
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        # Redis redelivers an unacked task after this many seconds: longer than any build.
        return {"visibility_timeout": settings.CELERY_BUILD_TIME_LIMIT * 4}
    folders = {
        name: settings.CELERY_BROKER_DIR / name for name in ("queue", "processed", "control")
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),  # broadcasts (ping) go here, not in the cwd
        "store_processed": False,
    }


app.conf.update(
    broker_url=settings.CELERY_BROKER_URL,
    broker_transport=(
        "designer.builds.broker:Transport"  # messages appear whole (see that module)
        if settings.CELERY_BROKER_URL.startswith("filesystem://")
        else None
    ),
    broker_transport_options=broker_options(),
    broker_connection_retry_on_startup=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    # When a pool process dies mid-build, give its build back to the queue after 2 s instead of
    # waiting 10 s for a result: builds record their outcome in the database, not as results.
    worker_lost_wait=2.0,
    task_time_limit=settings.CELERY_BUILD_TIME_LIMIT + 30,
    task_soft_time_limit=settings.CELERY_BUILD_TIME_LIMIT,
    task_ignore_result=True,
    task_default_queue=os.environ.get("CELERY_QUEUE", "celery"),
    worker_hijack_root_logger=False,
)
app.steps["consumer"].add(Heartbeat)


@worker_process_init.connect
def lower_build_priority(**kwargs) -> None:
    """Builds (rendering, the SDK's check it starts) run niced, BUILD_NICENESS (default 10):
    on a machine shared with the web processes, a keystroke's save comes before a build."""
    os.nice(settings.BUILD_NICENESS)


app.autodiscover_tasks()
