"""Builds of a team with a signing key are signed with it."""

import pytest
from cryptography.fernet import Fernet
from django.core.files.storage import default_storage
from django.urls import reverse

from designer.builds import service
from designer.builds.models import Build, Status
from designer.core.signing import verify_package
from designer.signing.models import TeamSigningKey

pytestmark = pytest.mark.django_db


@pytest.mark.sdk
def test_a_teams_builds_are_signed_with_its_key_and_not_reused_unsigned(
    client, owner, team, project, plugins_out, settings
):
    settings.SIGNING_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()

    def build_now() -> Build:
        build = Build.objects.create(
            project=project, snapshot=project.spec, spec_sha256=service.spec_digest(project.spec)
        )
        service.execute(build)
        build.refresh_from_db()
        assert build.status == Status.SUCCEEDED, build.error
        return build

    unsigned = build_now()
    client.force_login(owner)
    client.post(reverse("signing:generate", args=[team.pk]))
    signed = build_now()
    assert signed.reused_from is None  # the unsigned package is not given out as the team's
    public_pem = TeamSigningKey.objects.get(team=team).public_pem.encode()
    with default_storage.open(signed.package_name, "rb") as file:
        verified = verify_package(file.read(), [public_pem])
    assert verified.category == "community"
    assert unsigned.verification.get("signed_by") is None
    builds_page = client.get(reverse("builds:project", args=[project.pk])).content.decode()
    assert f"team-{team.pk}.public.pem" in builds_page
    assert "docker compose up -d" in builds_page
