"""What the builds panel shows for a project and a user (read only: the workers fail stale
builds, never a page)."""

from designer.accounts.access import Access, access_to
from designer.builds.changes import pending_bump
from designer.builds.service import snapshot_for
from designer.core.changes import changelog_entry

HISTORY_LENGTH = 20


def panel_for(project, user, access: Access | None = None) -> dict:
    """``access``: the user's access to ``project`` if the page already has it (no second
    query); else it is looked up here, so any page can include the panel."""
    builds = list(project.builds.all()[:HISTORY_LENGTH])
    if access is None or access.obj != project:
        access = access_to(user, project)
    return {
        "builds": builds,
        "latest": builds[0] if builds else None,
        "can_build": bool(access and access.can_edit),
        **bump_suggestion(project),
    }


def bump_suggestion(project) -> dict:
    """The version bump the draft needs before its next build, with the CHANGELOG entry the
    designer writes for it (the person edits the wording before applying)."""
    pending = pending_bump(project, snapshot_for(project))
    if pending is None:
        return {"bump": None}
    return {
        "bump": pending,
        "bump_entry": changelog_entry(pending.version, pending.changes),
        "draft_version": project.version,
    }
