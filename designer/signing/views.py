"""A team's signing key: owners generate or upload it; members see and download the public key
and the settings that make Dify's daemon trust it. The private key is never shown."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from designer.accounts.access import membership_or_404
from designer.accounts.models import Role
from designer.signing.keystore import (
    KeystoreError,
    fingerprint,
    generate_team_key,
    store_private_key,
)
from designer.signing.models import TeamSigningKey

MAX_KEY_BYTES = 64 * 1024


class KeyUploadForm(forms.Form):
    private_key = forms.FileField(label="Private key (NAME.private.pem)")

    def clean_private_key(self):
        upload = self.cleaned_data["private_key"]
        if upload.size > MAX_KEY_BYTES:
            raise forms.ValidationError("A private key is a few kilobytes; this file is not one.")
        return upload.read()


def public_key_name(team) -> str:
    return f"team-{team.pk}.public.pem"


def daemon_settings(team) -> list[str]:
    return [
        "FORCE_VERIFYING_SIGNATURE=true",
        "THIRD_PARTY_SIGNATURE_VERIFICATION_ENABLED=true",
        f"THIRD_PARTY_SIGNATURE_VERIFICATION_PUBLIC_KEYS=/app/storage/public_keys/{public_key_name(team)}",
    ]


def signing_context(team) -> dict:
    signing_key = TeamSigningKey.objects.filter(team=team).first()
    return {
        "team": team,
        "signing_key": signing_key,
        "fingerprint": fingerprint(signing_key),
        "public_key_name": public_key_name(team),
        "daemon_settings": daemon_settings(team),
    }


@login_required
def signing_key(request, team_id):
    membership = membership_or_404(request.user, team_id)
    context = {
        **signing_context(membership.team),
        "membership": membership,
        "is_owner": membership.allows(Role.OWNER),
        "upload_form": KeyUploadForm(),
    }
    return render(request, "signing/team_key.html", context)


def owner_team(request, team_id):
    membership = membership_or_404(request.user, team_id)
    if not membership.allows(Role.OWNER):
        raise PermissionDenied
    return membership.team


@login_required
@require_POST
def generate(request, team_id):
    team = owner_team(request, team_id)
    try:
        generate_team_key(team, request.user)
    except KeystoreError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "A new signing key was made; the team's next builds use it.")
    return redirect("signing:team_key", team_id=team.pk)


@login_required
@require_POST
def upload(request, team_id):
    team = owner_team(request, team_id)
    form = KeyUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            store_private_key(team, form.cleaned_data["private_key"], request.user)
        except KeystoreError as exc:
            form.add_error("private_key", str(exc))
        else:
            messages.success(request, "The key was stored encrypted; the team's builds use it.")
            return redirect("signing:team_key", team_id=team.pk)
    membership = membership_or_404(request.user, team_id)
    context = {
        **signing_context(team),
        "membership": membership,
        "is_owner": True,
        "upload_form": form,
    }
    return render(request, "signing/team_key.html", context, status=400)


@login_required
@require_GET
def public_key(request, team_id):
    team = membership_or_404(request.user, team_id).team
    signing_key = TeamSigningKey.objects.filter(team=team).first()
    if signing_key is None:
        raise Http404
    response = HttpResponse(signing_key.public_pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="{public_key_name(team)}"'
    return response
