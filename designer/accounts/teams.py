"""The active team of a request: the one the user picked (kept in the session), else their
first. Every team-owned list (projects, library) shows the active team's things."""

from designer.accounts.models import Membership, Role, Team

SESSION_KEY = "team_id"


def memberships(user):
    return Membership.objects.filter(user=user).select_related("team").order_by("team__name")


def active_membership(request) -> Membership | None:
    if not request.user.is_authenticated:
        return None
    chosen = request.session.get(SESSION_KEY)
    all_memberships = list(memberships(request.user))
    for membership in all_memberships:
        if membership.team_id == chosen:
            return membership
    return all_memberships[0] if all_memberships else None


def switch_team(request, team_id: int) -> bool:
    if not Membership.objects.filter(user=request.user, team_id=team_id).exists():
        return False
    request.session[SESSION_KEY] = team_id
    return True


def create_team(user, name: str) -> Team:
    team = Team.objects.create(name=name)
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    return team


def team_context(request) -> dict:
    """Template context: the active team and the others, for the switcher in the top bar."""
    membership = active_membership(request)
    if membership is None:
        return {}
    return {
        "active_membership": membership,
        "active_team": membership.team,
        "my_memberships": memberships(request.user),
    }
