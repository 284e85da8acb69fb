"""What a build changed since the project's previous successful build: recorded on the build
when it succeeds (files added, removed and changed; the models' changed fields, features and
rules; the bump that fits), and the bump the draft needs before its next build."""

import logging

from designer.builds.models import Build, Status
from designer.core import changes
from designer.core.pipeline import run_pipeline

log = logging.getLogger(__name__)


def previous_successful(build: Build) -> Build | None:
    """The project's last successful build requested before ``build``."""
    earlier = Build.objects.filter(
        project=build.project_id, status=Status.SUCCEEDED, created_at__lte=build.created_at
    ).exclude(pk=build.pk)
    return earlier.order_by("-created_at", "-id").first()


def rendered(document: dict) -> dict[str, bytes]:
    """The files a snapshot renders to (none when its structure does not hold)."""
    return run_pipeline(document).files


def changes_between(previous: Build, build: Build, files: dict[str, bytes] | None) -> dict:
    """``files``: what ``build`` rendered, when the caller has them."""
    built = rendered(build.snapshot) if files is None else files
    spec = changes.spec_changes(previous.snapshot, build.snapshot)
    return {
        "since_build": previous.pk,
        "since_version": previous.plugin_version,
        "files": changes.file_changes(rendered(previous.snapshot), built),
        **changes.changes_json(spec),
    }


def recorded_changes(build: Build, files: dict[str, bytes] | None = None) -> dict | None:
    """What ``build`` changed since the previous successful build (None for the first). A bug
    here must not fail a good build: it is logged and nothing is recorded."""
    previous = previous_successful(build)
    if previous is None:
        return None
    try:
        return changes_between(previous, build, files)
    except Exception:
        log.exception("the changes of build %s could not be worked out", build.pk)
        return None


def pending_bump(project, draft: dict) -> changes.PendingBump | None:
    """The bump ``draft`` (the project's effective document) needs over its last successful
    build; None before the first build or when its version is already high enough."""
    last = project.builds.last_succeeded()
    return changes.pending_bump(last.snapshot, draft) if last else None
