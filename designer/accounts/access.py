"""Who may see and change what. Everything a team owns is looked up through these helpers, so a
user who is not a member gets 404 (not 403: other teams' things do not exist for them)."""

from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404

from designer.accounts.models import Membership, Role


class Access(NamedTuple):
    """A team-owned object the user reached, with their membership of the team that owns it:
    what they may do with it is read from here, not from a second query."""

    obj: Any
    membership: Membership

    @property
    def can_edit(self) -> bool:
        return self.membership.can_edit


def membership_or_404(user, team_id: int, role: str = Role.VIEWER) -> Membership:
    """The user's membership of the team, if it allows ``role``; else 404 (or 403 for a member
    without the role, raised by the caller through :func:`require`)."""
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.filter(user=user, team_id=team_id).first()
    if membership is None:
        raise Http404
    return membership


def owning_team(obj, team: str = "team"):
    """The team that owns ``obj``; ``team`` is the path to it (``"project__team"``)."""
    owner = obj
    for part in team.split("__"):
        owner = getattr(owner, part)
    return owner


def access_to(user, obj, team: str = "team") -> Access | None:
    """The user's access to ``obj``, or None when they are not a member of its team."""
    if user is None or not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, team=owning_team(obj, team)).first()
    return Access(obj, membership) if membership else None


def team_object_or_404(user, queryset, role: str = Role.VIEWER, team="team", **lookup) -> Access:
    """An object of ``queryset`` that the user's team owns, with the user's membership;
    ``team`` is the path from the object to its team (``"team"``, or ``"project__team"`` for a
    build).

    A non-member gets 404; a member whose role is below ``role`` gets PermissionDenied (403).
    """
    if user is None or not user.is_authenticated:
        raise Http404
    # One query finds the object and the membership together (an object of another team is
    # not found): every page and keystroke starts here.
    member = f"{team}__memberships"
    obj = (
        queryset.filter(**lookup, **{f"{member}__user": user})
        .annotate(_member_id=F(f"{member}__id"), _member_role=F(f"{member}__role"))
        .select_related(team)
        .first()
    )
    if obj is None:
        raise Http404
    owner = owning_team(obj, team)
    membership = Membership(id=obj._member_id, team=owner, user=user, role=obj._member_role)
    if not membership.allows(role):
        raise PermissionDenied
    return Access(obj, membership)
