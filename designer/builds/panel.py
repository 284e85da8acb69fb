"""What the builds panel shows for a project and a user (read only: the workers fail stale
builds, never a page)."""

from designer.accounts.models import Role

HISTORY_LENGTH = 20


def panel_for(project, user) -> dict:
    builds = list(project.builds.all()[:HISTORY_LENGTH])
    signed_in = user is not None and user.is_authenticated
    membership = project.team.memberships.filter(user=user).first() if signed_in else None
    return {
        "builds": builds,
        "latest": builds[0] if builds else None,
        "can_build": bool(membership and membership.allows(Role.EDITOR)),
    }
