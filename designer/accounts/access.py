"""Who may see and change what. Everything a team owns is looked up through these helpers, so a
user who is not a member gets 404 (not 403: other teams' things do not exist for them)."""

from django.http import Http404

from designer.accounts.models import Membership, Role


def membership_or_404(user, team_id: int, role: str = Role.VIEWER) -> Membership:
    """The user's membership of the team, if it allows ``role``; else 404 (or 403 for a member
    without the role, raised by the caller through :func:`require`)."""
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.filter(user=user, team_id=team_id).first()
    if membership is None:
        raise Http404
    return membership


def team_object_or_404(user, queryset, role: str = Role.VIEWER, team="team", **lookup):
    """An object of ``queryset`` that the user's team owns; ``team`` is the path from the
    object to its team (``"team"``, or ``"project__team"`` for a build).

    A non-member gets 404; a member whose role is below ``role`` gets PermissionDenied (403).
    """
    from django.core.exceptions import PermissionDenied

    obj = queryset.filter(**lookup).select_related(team).first()
    if obj is None:
        raise Http404
    owner = obj
    for part in team.split("__"):
        owner = getattr(owner, part)
    membership = membership_or_404(user, owner.pk)
    if not membership.allows(role):
        raise PermissionDenied
    return obj
