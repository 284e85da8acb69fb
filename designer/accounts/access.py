"""Who may see and change what. Everything a team owns is looked up through these helpers, so a
user who is not a member gets 404 (not 403: other teams' things do not exist for them)."""

import functools
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import connection
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
    """An object of ``queryset`` (a model's whole manager) that the user's team owns, with the
    user's membership; ``team`` is the path from the object to its team (``"team"``, or
    ``"project__team"`` for a build); ``lookup`` names columns of the object's own table.

    A non-member gets 404; a member whose role is below ``role`` gets PermissionDenied (403).
    """
    if user is None or not user.is_authenticated:
        raise Http404
    model = queryset.model
    if queryset.all().query.has_filters():
        raise TypeError("team_object_or_404 looks up in a model's whole manager")
    # One query finds the object and the membership together (an object of another team is
    # not found): every page and keystroke starts here.
    keys = tuple(sorted(lookup))
    sql = object_with_membership_sql(model, team, keys, connection.vendor)
    values = [field_of(model, key).get_db_prep_value(lookup[key], connection) for key in keys]
    obj = next(iter(model._default_manager.raw(sql, [user.pk, *values])), None)
    if obj is None:
        raise Http404
    membership = Membership(
        id=obj._member_id, team_id=obj._member_team, user=user, role=obj._member_role
    )
    if not membership.allows(role):
        raise PermissionDenied
    return Access(obj, membership)


@functools.cache
def object_with_membership_sql(model, team: str, keys: tuple[str, ...], vendor: str) -> str:
    """The SELECT of :func:`team_object_or_404`, written once per shape of lookup from the
    models' metadata: Django compiles a query afresh on every call, and for this one that costs
    several times what running it does. Parameters: the user's id, then the ``keys``' values."""
    quote = connection.ops.quote_name
    meta = model._meta
    joins, owner, alias = [], model, "t0"
    *through, last = team.split("__")
    for number, name in enumerate(through, start=1):
        field = owner._meta.get_field(name)
        owner, joined = field.related_model, f"t{number}"
        joins.append(
            f"JOIN {quote(owner._meta.db_table)} {joined} ON"
            f" {joined}.{quote(owner._meta.pk.column)} = {alias}.{quote(field.column)}"
        )
        alias = joined
    team_column = f"{alias}.{quote(owner._meta.get_field(last).column)}"
    members = quote(Membership._meta.db_table)
    columns = ", ".join(f"t0.{quote(field.column)}" for field in meta.concrete_fields)
    where = "".join(f" AND t0.{quote(field_of(model, key).column)} = %s" for key in keys)
    # Names come from the models' metadata, quoted; values are parameters.
    return (
        f"SELECT {columns}, m.id AS _member_id, m.team_id AS _member_team,"  # noqa: S608
        f" m.role AS _member_role FROM {quote(meta.db_table)} t0 {' '.join(joins)}"
        f" JOIN {members} m ON m.team_id = {team_column} WHERE m.user_id = %s{where}"
    )


def field_of(model, name: str):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)
