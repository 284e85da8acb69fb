from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from designer.builds.models import Build, Status


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_build(build_id: int) -> None:
    from designer.builds import service

    build = Build.objects.filter(pk=build_id).first()
    if build is None:
        return
    worker = run_build.request.hostname or ""
    try:
        service.execute(build, worker=worker)
    except SoftTimeLimitExceeded:
        service.finish(build, Status.FAILED, error="the build took longer than the time limit")
