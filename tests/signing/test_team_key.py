"""A team's signing key: who may set it, how it is kept, and that the team's builds are signed."""

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designer.core.signing import generate_key_pair
from designer.signing.keystore import private_pem_of
from designer.signing.models import TeamSigningKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def encryption_key(settings):
    settings.SIGNING_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    return settings.SIGNING_KEY_ENCRYPTION_KEY


def page(client, team):
    return client.get(reverse("signing:team_key", args=[team.pk]))


def test_an_owner_generates_a_key_stored_encrypted_and_never_shown(
    client, owner, team, encryption_key
):
    client.force_login(owner)
    response = client.post(reverse("signing:generate", args=[team.pk]), follow=True)
    assert response.status_code == 200
    stored = TeamSigningKey.objects.get(team=team)
    assert "PRIVATE KEY" not in stored.private_encrypted
    private_pem = private_pem_of(stored)
    assert private_pem.startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    text = page(client, team).content.decode()
    assert "PRIVATE KEY" not in text and private_pem.decode()[40:80] not in text
    assert "THIRD_PARTY_SIGNATURE_VERIFICATION_ENABLED=true" in text


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_set_the_key(client, request, team, role, encryption_key):
    client.force_login(request.getfixturevalue(role))
    assert client.post(reverse("signing:generate", args=[team.pk])).status_code == 403
    upload = SimpleUploadedFile("k.pem", generate_key_pair(2048).private_pem)
    response = client.post(reverse("signing:upload", args=[team.pk]), {"private_key": upload})
    assert response.status_code == 403
    assert not TeamSigningKey.objects.exists()


def test_an_outsider_sees_nothing(client, outsider, team, encryption_key):
    client.force_login(outsider)
    assert page(client, team).status_code == 404
    assert client.get(reverse("signing:public_key", args=[team.pk])).status_code == 404


def test_an_uploaded_key_is_kept_and_members_download_its_public_key(
    client, owner, viewer, team, encryption_key
):
    pair = generate_key_pair(2048)
    client.force_login(owner)
    upload = SimpleUploadedFile("team.private.pem", pair.private_pem)
    client.post(reverse("signing:upload", args=[team.pk]), {"private_key": upload})
    client.force_login(viewer)
    response = client.get(reverse("signing:public_key", args=[team.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == (
        pair.public_pem
    )


def test_a_file_that_is_not_a_key_is_refused_next_to_the_field(client, owner, team, encryption_key):
    client.force_login(owner)
    upload = SimpleUploadedFile("notes.txt", b"hello")
    response = client.post(reverse("signing:upload", args=[team.pk]), {"private_key": upload})
    assert response.status_code == 400
    assert "not a PEM block" in response.content.decode()
    assert not TeamSigningKey.objects.exists()


def test_production_refuses_to_start_with_signing_and_no_encryption_key(settings):
    settings.DEBUG, settings.SIGNING_ENABLED, settings.SIGNING_KEY_ENCRYPTION_KEY = False, True, ""
    assert "signing.E001" in [message.id for message in run_checks()]
    settings.SIGNING_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    assert "signing.E001" not in [message.id for message in run_checks()]
    settings.SIGNING_KEY_ENCRYPTION_KEY, settings.SIGNING_ENABLED = "", False
    assert "signing.E001" not in [message.id for message in run_checks()]
