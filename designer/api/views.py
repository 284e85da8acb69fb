"""The team's API tokens page: make one (its secret shown once), see last use, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from designer.accounts.access import membership_or_404
from designer.accounts.models import Role
from designer.api import tokens
from designer.api.models import ApiToken


def visible_tokens(membership):
    """An owner sees (and may revoke) every token of the team; others see their own."""
    team_tokens = ApiToken.objects.filter(team=membership.team_id).select_related("user")
    if membership.allows(Role.OWNER):
        return team_tokens
    return team_tokens.filter(user=membership.user_id)


@login_required
def tokens_page(request, team_id):
    membership = membership_or_404(request.user, team_id)
    secret = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        token, secret = tokens.create_token(request.user, membership.team, name)
    context = {
        "team": membership.team,
        "membership": membership,
        "tokens": visible_tokens(membership),
        "secret": secret,
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def revoke(request, team_id, token_id):
    membership = membership_or_404(request.user, team_id)
    token = get_object_or_404(visible_tokens(membership), pk=token_id)
    if token.user_id != request.user.pk and not membership.allows(Role.OWNER):
        raise PermissionDenied
    tokens.revoke(token)
    messages.success(request, f"Token {token.name} ({token.prefix}…) revoked.")
    return redirect("api_tokens:page", team_id=team_id)
