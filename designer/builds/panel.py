"""What the builds panel shows for a project and a user."""

from designer.accounts.models import Role
from designer.builds.service import fail_stale_builds

HISTORY_LENGTH = 20


def panel_for(project, user) -> dict:
    fail_stale_builds()
    builds = list(project.builds.all()[:HISTORY_LENGTH])
    signed_in = user is not None and user.is_authenticated
    membership = project.team.memberships.filter(user=user).first() if signed_in else None
    return {
        "builds": builds,
        "latest": builds[0] if builds else None,
        "can_build": bool(membership and membership.allows(Role.EDITOR)),
    }
