"""The worker's side: discovery and playground runs, with the credentials unsealed in memory."""

import logging
import os

from celery import shared_task
from cryptography.fernet import InvalidToken
from django.utils import timezone

from designer.core import outbound
from designer.core.discovery import DiscoveryError, fetch_listing
from designer.core.playground_run import chat as run_chat
from designer.core.tryout.plan import secret_values
from designer.core.tryout.runner import TOOL  # the tool test connection offers
from designer.playground import service
from designer.playground.models import Run
from designer.projects.document import effective_document
from designer.tryout.service import unseal

log = logging.getLogger(__name__)
EXPIRED = "the credentials expired before a worker took the run; send again"

DISCOVERY_SECONDS = 15.0  # the whole GET, redirects included
CHAT_SECONDS = 90.0  # building, loading the plugin and the whole streamed answer


def claimed(run_id: int, kind: str) -> Run | None:
    """The queued run, marked running, or None when it is gone or was taken already."""
    taken = Run.objects.filter(pk=run_id, kind=kind, status=Run.Status.QUEUED).update(
        status=Run.Status.RUNNING, updated_at=timezone.now()
    )
    return Run.objects.select_related("project").get(pk=run_id) if taken else None


def finish(run: Run, status: str, error: str = "", **changes) -> None:
    Run.objects.filter(pk=run.pk).update(
        status=status, error=error[:2000], updated_at=timezone.now(), **changes
    )


def guarded(work):
    """A task whose unexpected failure ends its run saying so, logged by the exception's
    class only: its words could hold a credential."""

    def task(run_id: int, token: str) -> None:
        try:
            work(run_id, token)
        except Exception as exc:  # noqa: BLE001 - any crash ends the run, never the worker
            log.error("playground run %s crashed: %s", run_id, type(exc).__name__)
            Run.objects.filter(pk=run_id, status=Run.Status.RUNNING).update(
                status=Run.Status.FAILED, error=f"internal error ({type(exc).__name__}); try again"
            )

    task.__name__ = work.__name__
    return task


@shared_task(name=service.DISCOVER, ignore_result=True)
@guarded
def discover(run_id: int, token: str) -> None:
    run = claimed(run_id, Run.Kind.DISCOVERY)
    if run is None:
        return
    secrets: list[str] = []
    try:
        credentials = unseal(token)
        endpoint, key, secrets = service.discovery_target(run.project, credentials)
        allowed = outbound.allowed_from_environment()
        listed = fetch_listing(endpoint, key, allowed, timeout=DISCOVERY_SECONDS)
    except InvalidToken:
        finish(run, Run.Status.FAILED, EXPIRED)
        return
    except (service.NotPossible, DiscoveryError, OSError, ValueError) as error:
        finish(run, Run.Status.FAILED, service.masked(str(error), secrets))
        return
    finish(run, Run.Status.DONE, events=service.listing_rows(listed))


@shared_task(name=service.CHAT, ignore_result=True)
@guarded
def chat(run_id: int, token: str) -> None:
    run = claimed(run_id, Run.Kind.CHAT)
    if run is None:
        return
    try:
        credentials = unseal(token)
    except InvalidToken:
        finish(run, Run.Status.FAILED, EXPIRED)
        return
    document = effective_document(run.project)
    try:
        secrets = secret_values(service.design_spec(document), credentials)
    except service.NotPossible as error:
        finish(run, Run.Status.FAILED, str(error))
        return
    events: list[dict] = []

    def passed_on(batch: list[dict]) -> None:
        for event in batch:
            if "message" in event:
                event["message"] = service.masked(str(event["message"]), secrets)
        events.extend(batch)
        Run.objects.filter(pk=run.pk).update(events=events, updated_at=timezone.now())

    request = {
        "model": run.model,
        "credentials": credentials,
        "messages": run.request["messages"],
        "tools": [TOOL] if run.request.get("offer_tool") else [],
    }
    run_chat(
        document,
        request,
        passed_on,
        allowed_hosts=os.environ.get(outbound.ALLOWED_HOSTS_VARIABLE, ""),
        time_limit=CHAT_SECONDS,
    )
    failed = any(e.get("kind") == "error" for e in events)
    finish(run, Run.Status.FAILED if failed else Run.Status.DONE)
