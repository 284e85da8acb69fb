"""What the builds panel shows for a project and a user (read only: the workers fail stale
builds, never a page)."""

from designer.accounts.access import Access, access_to

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
    }
