from celery import shared_task

from designer.tryout import service


@shared_task(name=service.RUN_TRYOUT, ignore_result=True, acks_late=False)
def run_tryout(run_id: str, sealed: str) -> None:
    """Acknowledged on receipt: a run is not repeated after a crash (it calls a paid API, and
    its credentials' token expires); the run records the failure instead."""
    service.execute(run_id, sealed)
