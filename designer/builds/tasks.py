from celery import shared_task

from designer.builds import service
from designer.builds.models import Build


@shared_task(name=service.RUN_BUILD, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_build(build_id: int) -> None:
    build = Build.objects.filter(pk=build_id).first()
    if build is not None:
        service.execute(build, worker=run_build.request.hostname or "")
