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

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

import designer.core
from designer.builds.models import Build, Status
from designer.core.archive import write_bytes_atomic, zip_tree
from designer.core.boot_check import boot_tree
from designer.core.errors import PluginSourceError
from designer.core.findings import summary
from designer.core.package import difypkg_bytes
from designer.core.render import render
from designer.core.sdk_check import load_tree_with_sdk
from designer.core.validation import validate
from designer.signing.keystore import KeystoreError, active_key, fingerprint, sign_for_team

log = logging.getLogger(__name__)

ARTIFACTS = "artifacts"
MAX_ATTEMPTS = 3


class BuildFailed(Exception):
    """A reason a person can act on; it becomes the build's error."""


def snapshot_for(project) -> dict:
    """The design-spec document a build of ``project`` builds (the only place it is taken):
    library references resolved to the definitions as they are now."""
    from designer.library.service import resolve_library_refs

    return json.loads(json.dumps(resolve_library_refs(project.spec, project.team)))


def spec_digest(document: dict) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


@functools.cache
def renderer_fingerprint() -> str:
    """sha256 of the spec core's source: the same spec renders the same bytes only with the
    same core, so an upgraded designer builds again rather than reuse what the old one made."""
    core = Path(designer.core.__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(core.rglob("*.py")):
        digest.update(source.relative_to(core).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    return digest.hexdigest()


def start_build(project, user=None) -> Build:
    """Record a queued build and hand it to a worker once the record is committed."""
    snapshot = snapshot_for(project)
    build = Build.objects.create(
        project=project,
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
    from designer.builds.tasks import run_build

    try:
        run_build.delay(build.pk)
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
    try:
        if not reuse_earlier_build(build):
            make_artifacts(build)
    except BuildFailed as exc:
        finish(build, Status.FAILED, error=str(exc))
    except SoftTimeLimitExceeded:
        limit = settings.CELERY_BUILD_TIME_LIMIT
        finish(build, Status.FAILED, error=f"the build took longer than the limit of {limit} s")
    except Exception as exc:  # a bug must still end the build, with a reason
        log.exception("build %s crashed", build.pk)
        finish(build, Status.FAILED, error=f"internal error: {type(exc).__name__}: {exc}")
    else:
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


def make_artifacts(build: Build) -> None:
    set_step(build, "render")
    report = validate(build.snapshot)
    if not report.ok:
        raise BuildFailed(summary(report.errors))
    build.warnings = [f"{f.path}: {f.message}" for f in report.warnings]
    files = render(report.spec)

    set_step(build, "verify")
    load = load_tree_with_sdk(files, timeout=settings.CELERY_BUILD_TIME_LIMIT)
    build.verification = {
        "ok": load.ok,
        "error": load.error,
        "models": len(load.models),
        "model_classes": load.model_classes,
        "provider_class": load.provider_class,
    }
    if not load.ok:
        raise BuildFailed(f"Dify's SDK cannot load the plugin: {load.error}")
    boot = boot_tree(files, entrypoint=report.spec.manifest.meta.runner.entrypoint)
    build.verification["boots"] = boot.ok
    if not boot.ok:
        raise BuildFailed(
            f"the plugin does not start as Dify's Marketplace starts it: {boot.error}"
        )

    set_step(build, "package")
    source_zip = zip_tree(files)
    try:
        package = difypkg_bytes(files)
        package, build.verification["signed_by"] = sign_for_team(build.project.team, package)
    except (PluginSourceError, KeystoreError) as exc:
        raise BuildFailed(str(exc)) from None

    set_step(build, "store")
    build.zip_name, build.zip_size, build.zip_sha256 = store_artifact(source_zip, "zip")
    build.package_name, build.package_size, build.package_sha256 = store_artifact(
        package, "difypkg"
    )


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
