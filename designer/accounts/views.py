from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from designer.accounts.access import membership_or_404
from designer.accounts.forms import InvitationForm, RoleForm, SignUpForm, TeamForm
from designer.accounts.models import Invitation, Membership, Role
from designer.accounts.teams import create_team, switch_team


def safe_next(request) -> str | None:
    """The ``next`` address if it stays on this site (never an open redirect)."""
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else None


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            team = create_team(user, form.cleaned_data["team_name"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        switch_team(request, team.pk)
        return redirect(safe_next(request) or "projects:list")
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request)})


@login_required
@require_POST
def switch(request, team_id):
    if not switch_team(request, team_id):
        membership_or_404(request.user, team_id)
    return redirect("projects:list")


@login_required
def new_team(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = create_team(request.user, form.cleaned_data["name"])
        switch_team(request, team.pk)
        messages.success(request, f"Team {team.name} created.")
        return redirect("projects:list")
    return render(request, "accounts/team_form.html", {"form": form})


@login_required
def members(request, team_id):
    membership = membership_or_404(request.user, team_id)
    team = membership.team
    context = {
        "team": team,
        "membership": membership,
        "members": team.memberships.select_related("user").order_by("user__username"),
        "invitations": team.invitations.filter(accepted_by=None),
        "invitation_form": InvitationForm(),
        "roles": Role.choices,
    }
    return render(request, "accounts/members.html", context)


def owner_membership(request, team_id) -> Membership:
    membership = membership_or_404(request.user, team_id)
    if not membership.allows(Role.OWNER):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return membership


def is_last_owner(member: Membership) -> bool:
    owners = member.team.memberships.filter(role=Role.OWNER)
    return member.role == Role.OWNER and owners.count() == 1


@login_required
@require_POST
def change_role(request, team_id, member_id):
    owner_membership(request, team_id)
    member = get_object_or_404(Membership, pk=member_id, team_id=team_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, editor or viewer.")
    elif is_last_owner(member) and form.cleaned_data["role"] != Role.OWNER:
        messages.error(request, "A team needs an owner: make someone else owner first.")
    else:
        member.role = form.cleaned_data["role"]
        member.save()
        messages.success(request, f"{member.user.username} is now {member.get_role_display()}.")
    return redirect("accounts:members", team_id=team_id)


@login_required
@require_POST
def remove_member(request, team_id, member_id):
    owner_membership(request, team_id)
    member = get_object_or_404(Membership, pk=member_id, team_id=team_id)
    if is_last_owner(member):
        messages.error(request, "The last owner cannot be removed.")
    else:
        member.delete()
        messages.success(request, f"{member.user.username} was removed.")
    return redirect("accounts:members", team_id=team_id)


@login_required
@require_POST
def invite(request, team_id):
    owner_membership(request, team_id)
    form = InvitationForm(request.POST)
    if form.is_valid():
        invitation = Invitation.objects.create(
            team_id=team_id, role=form.cleaned_data["role"], created_by=request.user
        )
        link = request.build_absolute_uri(invitation_url(invitation))
        messages.success(request, f"Share this link: {link}")
    else:
        messages.error(request, "Choose owner, editor or viewer.")
    return redirect("accounts:members", team_id=team_id)


def invitation_url(invitation) -> str:
    from django.urls import reverse

    return reverse("accounts:join", args=[invitation.token])


@login_required
def join(request, token):
    invitation = Invitation.objects.filter(token=token).select_related("team").first()
    if invitation is None or invitation.accepted_by_id is not None:
        return render(request, "accounts/join_invalid.html", status=404)
    if Membership.objects.filter(team=invitation.team, user=request.user).exists():
        messages.info(request, f"You are already a member of {invitation.team.name}.")
        switch_team(request, invitation.team_id)
        return redirect("projects:list")  # the link stays unused for the person it was for
    if request.method == "POST":
        with transaction.atomic():
            # Claim the invitation first, in one conditional UPDATE: of several people accepting
            # one link at once, exactly one changes the row; the others find it used.
            claimed = Invitation.objects.filter(pk=invitation.pk, accepted_by=None).update(
                accepted_by=request.user
            )
            if not claimed:
                return render(request, "accounts/join_invalid.html", status=404)
            Membership.objects.get_or_create(
                team=invitation.team, user=request.user, defaults={"role": invitation.role}
            )
        switch_team(request, invitation.team_id)
        messages.success(request, f"You joined {invitation.team.name}.")
        return redirect("projects:list")
    return render(request, "accounts/join.html", {"invitation": invitation})
