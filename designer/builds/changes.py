"""What a build changed since the project's previous successful build: recorded on the build
when it succeeds (files added, removed and changed; the models' changed fields, features and
rules; the bump that fits), and the bump the draft needs before its next build."""

import base64
import logging

from designer.builds.models import Build, Status
from designer.core import changes
from designer.core.pipeline import run_pipeline
from designer.projects import drafts

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


CHANGELOG = "CHANGELOG.md"


def changelog_text(document: dict) -> str:
    """The plugin's CHANGELOG.md as it stands: its own file, else the generated one."""
    carried = (document.get("files") or {}).get(CHANGELOG)
    if isinstance(carried, dict) and isinstance(carried.get("text"), str):
        return carried["text"]
    if isinstance(carried, dict) and "base64" in carried:
        return base64.b64decode(carried["base64"]).decode("utf-8", "replace")
    return changes.first_changelog(changes.manifest_version(document))


def apply_bump(project, version: str, entry: str, draft_version: int) -> bool:
    """Save the draft with manifest ``version`` and ``entry`` (Markdown, may be empty) as the
    newest section of its CHANGELOG.md, which from then on is the plugin's own file. False
    when someone saved the draft since ``draft_version`` (nothing is saved)."""
    stored = drafts.stored_document(project)
    document = {**stored, "manifest": {**(stored.get("manifest") or {}), "version": version}}
    if entry.strip():
        files = dict(stored.get("files") or {})
        files[CHANGELOG] = {"text": changes.with_entry(changelog_text(stored), entry)}
        document["files"] = files
    return drafts.save_draft(project, document, draft_version)
