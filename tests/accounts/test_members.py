import pytest
from django.urls import reverse

from designer.accounts.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db


def test_an_owner_changes_a_role(client, owner, editor, team):
    client.force_login(owner)
    member = Membership.objects.get(user=editor)
    client.post(reverse("accounts:role", args=[team.pk, member.pk]), {"role": "viewer"})
    member.refresh_from_db()
    assert member.role == Role.VIEWER


def test_the_last_owner_cannot_be_demoted_or_removed(client, owner, team):
    client.force_login(owner)
    member = Membership.objects.get(user=owner)
    client.post(reverse("accounts:role", args=[team.pk, member.pk]), {"role": "viewer"})
    client.post(reverse("accounts:remove", args=[team.pk, member.pk]))
    member.refresh_from_db()
    assert member.role == Role.OWNER


def test_an_editor_cannot_manage_members(client, editor, viewer, team):
    client.force_login(editor)
    member = Membership.objects.get(user=viewer)
    url = reverse("accounts:remove", args=[team.pk, member.pk])
    assert client.post(url).status_code == 403


def test_another_team_gets_404(client, outsider, team):
    client.force_login(outsider)
    assert client.get(reverse("accounts:members", args=[team.pk])).status_code == 404


def test_an_invitation_link_joins_once(client, owner, outsider, team):
    client.force_login(owner)
    client.post(reverse("accounts:invite", args=[team.pk]), {"role": "viewer"})
    invitation = Invitation.objects.get()
    client.force_login(outsider)
    url = reverse("accounts:join", args=[invitation.token])
    client.post(url)
    assert Membership.objects.get(user=outsider, team=team).role == Role.VIEWER
    assert client.get(url).status_code == 404  # used


def test_switching_to_a_team_one_is_not_in_is_404(client, outsider, team):
    client.force_login(outsider)
    assert client.post(reverse("accounts:switch", args=[team.pk])).status_code == 404


def test_a_member_opening_an_invitation_leaves_it_unused(client, owner, team):
    client.force_login(owner)
    client.post(reverse("accounts:invite", args=[team.pk]), {"role": "viewer"})
    invitation = Invitation.objects.get()
    client.post(reverse("accounts:join", args=[invitation.token]))
    invitation.refresh_from_db()
    assert invitation.accepted_by is None
    assert Membership.objects.get(user=owner).role == Role.OWNER


@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        ("accounts:role", "member", {"role": "viewer"}),
        ("accounts:remove", "member", {}),
        ("accounts:invite", "team", {"role": "editor"}),
    ],
)
@pytest.mark.parametrize(
    ("role", "expected"), [("editor", 403), ("viewer", 403), ("outsider", 404)]
)
def test_only_owners_manage_members(
    client, request, team, viewer, name, args, data, role, expected
):
    client.force_login(request.getfixturevalue(role))
    member = Membership.objects.get(user=viewer)
    url_args = [team.pk, member.pk] if args == "member" else [team.pk]
    assert client.post(reverse(name, args=url_args), data).status_code == expected
    assert Membership.objects.get(pk=member.pk).role == Role.VIEWER
