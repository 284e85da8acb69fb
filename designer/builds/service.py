"""Builds: take a snapshot of a project's spec, then render, verify, package and store it.

Artifacts are named by their sha256, so the same spec gives the same names and bytes: a
repeated build reuses what is stored, and two builds of one spec at once write the same file
(each write atomic: a temporary name, then a rename).
"""

import functools
import hashlib
import json
import logging
from datetime import timedelta
from pathlib import Path

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from designer.builds.changes import recorded_changes
from designer.builds.models import Build, Status
from designer.core.archive import write_bytes_atomic
from designer.core.fingerprint import core_fingerprint
from designer.core.offline import default_cache_dir
from designer.core.pipeline import Packaging, PipelineError, run_pipeline
from designer.signing.keystore import KeystoreError, active_key, fingerprint, team_signing

log = logging.getLogger(__name__)

ARTIFACTS = "artifacts"
MAX_ATTEMPTS = 3
# The task that runs a build, sent by its name: designer.builds.tasks imports this module, so
# this one looks the task up in Celery's registry instead of importing it back.
RUN_BUILD = "designer.builds.tasks.run_build"


class BuildFailed(Exception):
    """A reason a person can act on; it becomes the build's error."""


def snapshot_for(project) -> dict:
    """The design-spec document a build of ``project`` builds (the only place it is taken):
    its effective document, as plain JSON."""
    from designer.projects.document import effective_document

    return json.loads(json.dumps(effective_document(project)))


def spec_digest(document: dict) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


@functools.cache
def renderer_fingerprint() -> str:
    """The same spec renders the same bytes only with the same core (code and templates), so
    an upgraded designer builds again rather than reuse what the old one made."""
    return core_fingerprint()


def start_build(project, user=None, offline: bool = False) -> Build:
    """Record a queued build and hand it to a worker once the record is committed."""
    snapshot = snapshot_for(project)
    build = Build.objects.create(
        project=project,
        offline=offline,
        requested_by=user if user and user.is_authenticated else None,
        snapshot=snapshot,
        spec_sha256=spec_digest(snapshot),
        plugin_version=str((snapshot.get("manifest") or {}).get("version", ""))[:40],
    )
    transaction.on_commit(lambda: send(build))
    return build


def send(build: Build) -> bool:
    """Queue ``build`` for a worker; if the broker cannot take it, the build fails saying so
    (rather than waiting as "queued" for a message that was never sent)."""
    try:
        current_app.tasks[RUN_BUILD].delay(build.pk)
    except Exception as exc:  # kombu's OperationalError, OSError, ...: any broker failure
        log.exception("build %s could not be queued", build.pk)
        finish(build, Status.FAILED, error=f"the build could not be queued: {exc}; try again")
        return False
    return True


def execute(build: Build, worker: str = "") -> None:
    """Run every step of ``build``; it ends succeeded or failed, never running."""
    if build.is_done:
        return
    if build.status == Status.RUNNING and gave_up(build):
        return  # delivered again after its worker died (reject_on_worker_lost) once too often
    Build.objects.filter(pk=build.pk).update(
        status=Status.RUNNING,
        started_at=timezone.now(),
        worker=worker,
        attempts=build.attempts + 1,
        renderer=renderer_fingerprint(),
    )
    build.refresh_from_db()
    files = None
    try:
        if not reuse_earlier_build(build):
            files = make_artifacts(build)
    except BuildFailed as exc:
        finish(build, Status.FAILED, error=str(exc))
    except SoftTimeLimitExceeded:
        limit = settings.CELERY_BUILD_TIME_LIMIT
        finish(build, Status.FAILED, error=f"the build took longer than the limit of {limit} s")
    except Exception as exc:  # a bug must still end the build, with a reason
        log.exception("build %s crashed", build.pk)
        finish(build, Status.FAILED, error=f"internal error: {type(exc).__name__}: {exc}")
    else:
        build.changes = recorded_changes(build, files)
        finish(build, Status.SUCCEEDED)


def reuse_earlier_build(build: Build) -> bool:
    """An earlier successful build of the same spec in the same project, by the same spec core,
    whose artifacts are still stored. (Other projects' identical artifacts are shared through
    their names.)"""
    earlier = (
        Build.objects.filter(
            project=build.project_id,
            spec_sha256=build.spec_sha256,
            renderer=build.renderer,
            offline=build.offline,
            status=Status.SUCCEEDED,
        )
        .exclude(pk=build.pk)
        .order_by("-finished_at")
        .first()
    )
    if earlier is None or earlier.snapshot != build.snapshot:
        return False
    if (earlier.verification or {}).get("signed_by") != fingerprint(active_key(build.project.team)):
        return False  # signed since, unsigned since, or with another key
    if not all(default_storage.exists(n) for n in (earlier.zip_name, earlier.package_name)):
        return False
    for field in ARTIFACT_FIELDS + ["verification", "warnings"]:
        setattr(build, field, getattr(earlier, field))
    build.reused_from = earlier
    build.step = "store"
    build.save()
    return True


ARTIFACT_FIELDS = [
    "zip_name",
    "zip_size",
    "zip_sha256",
    "package_name",
    "package_size",
    "package_sha256",
]


def make_artifacts(build: Build) -> dict[str, bytes]:
    """Render, verify, package and store ``build``; give the files it rendered."""
    try:
        signing_key, signed_by = team_signing(build.project.team)
        result = run_pipeline(
            build.snapshot,
            verify=True,
            package=True,
            time_limit=settings.CELERY_BUILD_TIME_LIMIT,
            on_step=recorded_step(build),
            packaging=Packaging(
                signing_key=signing_key,
                offline=build.offline,
                offline_cache=default_cache_dir() if build.offline else None,
            ),
        )
    except (PipelineError, KeystoreError) as exc:
        raise BuildFailed(str(exc)) from None
    build.warnings = [f"{f.path}: {f.message}" for f in result.report.warnings]
    load = result.verification
    build.verification = {
        "ok": load.ok,
        "error": load.error,
        "models": len(load.models),
        "model_classes": load.model_classes,
        "provider_class": load.provider_class,
        "signed_by": signed_by,
        "notes": list(load.notes),
        "boots": result.boot.ok,
    }
    build.warnings += [f"SDK check: {note}" for note in load.notes]
    set_step(build, "store")
    build.zip_name, build.zip_size, build.zip_sha256 = store_artifact(result.source_zip, "zip")
    build.package_name, build.package_size, build.package_sha256 = store_artifact(
        result.difypkg, "difypkg"
    )
    return result.files


def recorded_step(build: Build):
    """The pipeline's steps as a build records them: validation is part of "render"."""

    def on_step(step: str) -> None:
        shown = "render" if step == "validate" else step
        if build.step != shown:
            set_step(build, shown)

    return on_step


def set_step(build: Build, step: str) -> None:
    build.step = step
    Build.objects.filter(pk=build.pk).update(step=step)


def store_artifact(data: bytes, extension: str) -> tuple[str, int, str]:
    """Store ``data`` under its sha256 (kept if already there); give (name, size, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    name = f"{ARTIFACTS}/{digest[:2]}/{digest}.{extension}"
    if not default_storage.exists(name):
        local = local_path(name)
        if local is None:
            name = default_storage.save(name, ContentFile(data))  # object stores: atomic puts
        else:
            local.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(data, local)
    return name, len(data), digest


def local_path(name: str) -> Path | None:
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        return None


def finish(build: Build, status: str, error: str = "") -> None:
    build.status = status
    build.error = error[:4000]
    build.finished_at = timezone.now()
    build.save()


def fail_stale_builds() -> int:
    """Builds left running past the time limit (their worker died) are failed with a reason."""
    limit = timezone.now() - timedelta(seconds=settings.CELERY_BUILD_TIME_LIMIT * 2)
    return Build.objects.filter(status=Status.RUNNING, started_at__lt=limit).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        error="the worker stopped before the build finished; start the build again",
    )


def recover_builds_of(worker: str) -> list[int]:
    """Builds a previous run of ``worker`` took (running, or received and waiting to run) but
    never finished: it died, so retry them (or fail them after MAX_ATTEMPTS). Called when a
    worker of that name starts."""
    retried = []
    unfinished = Build.objects.filter(status__in=[Status.RUNNING, Status.QUEUED], worker=worker)
    for build in unfinished:
        if build.status == Status.RUNNING and gave_up(build):
            continue
        # No worker until one takes the new message, so a second restart does not send it again.
        Build.objects.filter(pk=build.pk).update(status=Status.QUEUED, step="", worker="")
        if send(build):
            retried.append(build.pk)
    return retried


def gave_up(build: Build) -> bool:
    """A build whose workers died MAX_ATTEMPTS times is failed rather than tried again."""
    if build.attempts < MAX_ATTEMPTS:
        return False
    finish(build, Status.FAILED, error=f"the worker died {build.attempts} times during this build")
    return True


def remove_temporary_files(older_than: timedelta = timedelta(minutes=10)) -> int:
    """Temporary files of writes a killed worker never finished."""
    root = local_path(ARTIFACTS)
    if root is None or not root.exists():
        return 0
    cutoff = (timezone.now() - older_than).timestamp()
    removed = 0
    for temp in root.glob("*/.*.tmp"):
        if temp.stat().st_mtime < cutoff:
            temp.unlink(missing_ok=True)
            removed += 1
    return removed
