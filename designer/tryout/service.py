"""Test connection runs: queued by the web app or the API, run by a worker.

The credentials a person types go into the task message sealed with Fernet (a key from the
settings, and a lifetime of TOKEN_TTL seconds), are opened in the worker's memory and handed
to the plugin's subprocess on its stdin. The database keeps the run and its checks only; the
checks mask every secret value the plugin or the API echoed.
"""

import base64
import hashlib
import json
import logging
import time
from datetime import timedelta

from celery import current_app
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from designer.accounts.models import Team
from designer.builds.service import snapshot_for
from designer.core.tryout import TryoutInputError, check_connection
from designer.core.tryout.plan import checked_credentials, form_fields
from designer.core.validation import validate
from designer.tryout.models import OutboundRun, Status, TryoutRun

log = logging.getLogger(__name__)

RUN_TRYOUT = "designer.tryout.tasks.run_tryout"
TOKEN_TTL = 600  # a message no worker took in ten minutes is not run with its credentials
KEEP_RUNS = timedelta(days=1)


class TooManyRuns(Exception):
    """The team's rate limit; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int):
        limit, window = settings.TRYOUT_RATE_LIMIT, settings.TRYOUT_RATE_WINDOW
        super().__init__(
            f"This team started {limit} runs that call its API (test connection, discovery, "
            f"chat) in {window} s, its limit: try again in {retry_after} s."
        )
        self.retry_after = retry_after


def fernet() -> Fernet:
    configured = settings.TRYOUT_ENCRYPTION_KEY
    if configured:
        return Fernet(configured.encode())
    digest = hashlib.sha256(b"test connection credentials:" + settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(digest.digest()))


FIELD_PREFIX = "credential-"  # the inputs' names in tryout/panel.html#credential_fields
MAX_VALUE = 4096  # a credential value longer than this is no key


def credential_fields(document: dict) -> list:
    """The fields a person fills in to call the provider, none for a broken design."""
    return fields_of(validate(document).spec)


def fields_of(spec) -> list:
    """:func:`credential_fields` of a design already validated (None when it does not load)."""
    return form_fields(spec) if spec is not None else []


def posted_credentials(post, fields: list) -> dict[str, str]:
    """What was typed into the inputs of ``fields`` (test connection, discovery and chat post
    the same ones), stripped; blank ones are left out, and nothing the design does not ask for
    is taken."""
    values = {}
    for field in fields:
        value = post.get(f"{FIELD_PREFIX}{field.variable}", "").strip()
        if value:
            values[field.variable] = value[:MAX_VALUE]
    return values


def seal(credentials: dict) -> str:
    return fernet().encrypt(json.dumps(credentials).encode()).decode("ascii")


def unseal(sealed: str) -> dict:
    return json.loads(fernet().decrypt(sealed.encode("ascii"), ttl=TOKEN_TTL))


def take_outbound_run(team_id: int) -> None:
    """Count one run that calls the team's API (test connection, discovery, chat) against its
    budget: TRYOUT_RATE_LIMIT runs of every kind per TRYOUT_RATE_WINDOW seconds, or TooManyRuns.
    Call it in the transaction that creates the run."""
    window = timedelta(seconds=settings.TRYOUT_RATE_WINDOW)
    since = timezone.now() - window
    # The team's next start waits here until this transaction ends (PostgreSQL; with SQLite a
    # transaction holds the write lock from its start), so two cannot both take the last run.
    list(Team.objects.select_for_update(no_key=True).filter(pk=team_id).values_list("pk"))
    team_runs = OutboundRun.objects.filter(team=team_id)
    # Counted no more. Only this team's: another team's start never waits on these rows.
    team_runs.filter(created_at__lt=since).delete()
    recent = team_runs.filter(created_at__gte=since)
    if recent.count() >= settings.TRYOUT_RATE_LIMIT:
        oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
        frees = (oldest or timezone.now()) + window  # when the oldest run leaves the window
        raise TooManyRuns(max(1, int((frees - timezone.now()).total_seconds()) + 1))
    OutboundRun.objects.create(team_id=team_id)


def start_run(project, user, credentials, models=None) -> TryoutRun:
    """Queue a run; TryoutInputError for malformed input, TooManyRuns over the team's limit."""
    credentials = checked_credentials(credentials)
    models = list(models or [])
    if not all(isinstance(m, str | dict) for m in models):
        raise TryoutInputError("models must be a list of model ids")
    with transaction.atomic():
        take_outbound_run(project.team_id)
        TryoutRun.objects.filter(created_at__lt=timezone.now() - KEEP_RUNS).delete()
        run = TryoutRun.objects.create(
            project=project,
            requested_by=user if user and user.is_authenticated else None,
            asked_models=models,
        )
    sealed = seal(credentials)
    transaction.on_commit(lambda: send(run, sealed))
    return run


def send(run: TryoutRun, sealed: str) -> None:
    try:
        current_app.tasks[RUN_TRYOUT].delay(str(run.pk), sealed)
    except Exception as exc:  # any broker failure; its message names no credential
        log.error("test connection %s could not be queued: %s", run.pk, type(exc).__name__)
        finish(run.pk, Status.FAILED, error="the run could not be queued; try again")


def finish(run_id, status: str, checks=None, error: str = "") -> None:
    TryoutRun.objects.filter(pk=run_id).update(
        status=status, checks=checks or [], error=error, finished_at=timezone.now()
    )


def execute(run_id: str, sealed: str) -> None:
    """Run the checks; the run ends done or failed, with no credential in either."""
    run = TryoutRun.objects.select_related("project").filter(pk=run_id).first()
    if run is None or run.status != Status.QUEUED:
        return
    TryoutRun.objects.filter(pk=run.pk).update(status=Status.RUNNING)
    try:
        credentials = unseal(sealed)
        checks = check_connection(
            snapshot_for(run.project),
            credentials,
            run.asked_models,
            call_time_limit=settings.TRYOUT_CALL_TIME_LIMIT,
            total_time_limit=settings.TRYOUT_TIME_LIMIT,
        )
    except InvalidToken:
        finish(run.pk, Status.FAILED, error="the credentials expired before a worker took the run")
    except TryoutInputError as exc:
        finish(run.pk, Status.FAILED, error=str(exc))
    except Exception as exc:  # the exception's words could hold a credential: its class only
        log.error("test connection %s crashed: %s", run.pk, type(exc).__name__)
        finish(run.pk, Status.FAILED, error=f"internal error ({type(exc).__name__}); try again")
    else:
        finish(run.pk, Status.DONE, checks=[check.to_dict() for check in checks])


def wait_for(run: TryoutRun, timeout: float) -> TryoutRun:
    """The run once done, or as it is after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not run.is_done and time.monotonic() < deadline:
        time.sleep(0.5)
        run.refresh_from_db()
    return run
