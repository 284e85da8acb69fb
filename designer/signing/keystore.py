"""The teams' private keys at rest: encrypted with Fernet under SIGNING_KEY_ENCRYPTION_KEY.

In development (DEBUG) without that setting, a key derived from SECRET_KEY is used so `make
run` works; in production the system check in checks.py refuses to start without it.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction

from designer.core.signing import (
    generate_key_pair,
    load_private_key,
    public_pem_of,
)
from designer.signing.models import TeamSigningKey


class KeystoreError(ValueError):
    """A key that cannot be stored or used; the message is for the person."""


def encryption_key() -> bytes:
    configured = settings.SIGNING_KEY_ENCRYPTION_KEY
    if configured:
        return configured.encode()
    if not settings.DEBUG:
        raise KeystoreError("SIGNING_KEY_ENCRYPTION_KEY is not set")
    digest = hashlib.sha256(b"team signing keys:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def fernet() -> Fernet:
    try:
        return Fernet(encryption_key())
    except ValueError:
        raise KeystoreError(
            "SIGNING_KEY_ENCRYPTION_KEY is not a Fernet key (32 url-safe base64-encoded bytes)"
        ) from None


def store_private_key(team, private_pem: bytes, user=None) -> TeamSigningKey:
    """Check, encrypt and store the team's key (replacing an earlier one)."""
    try:
        key = load_private_key(private_pem)
    except ValueError as exc:
        raise KeystoreError(str(exc)) from None
    if key.key_size < 2048:
        raise KeystoreError("the key is shorter than 2048 bits; use an RSA-4096 key")
    token = fernet().encrypt(private_pem).decode("ascii")
    with transaction.atomic():
        TeamSigningKey.objects.filter(team=team).delete()
        return TeamSigningKey.objects.create(
            team=team,
            public_pem=public_pem_of(key).decode("ascii"),
            private_encrypted=token,
            created_by=user,
        )


def generate_team_key(team, user=None) -> TeamSigningKey:
    return store_private_key(team, generate_key_pair().private_pem, user)


def private_pem_of(signing_key: TeamSigningKey) -> bytes:
    try:
        return fernet().decrypt(signing_key.private_encrypted.encode("ascii"))
    except InvalidToken:
        raise KeystoreError(
            "the team's signing key cannot be decrypted: SIGNING_KEY_ENCRYPTION_KEY changed"
        ) from None


def active_key(team) -> TeamSigningKey | None:
    """The key the team's builds are signed with now, if any."""
    if not settings.SIGNING_ENABLED:
        return None
    return TeamSigningKey.objects.filter(team=team).first()


def fingerprint(signing_key: TeamSigningKey | None) -> str | None:
    """The public key's SHA-256: which key signed a build (None: not signed)."""
    if signing_key is None:
        return None
    return hashlib.sha256(signing_key.public_pem.encode("ascii")).hexdigest()


def team_signing(team) -> tuple[bytes | None, str | None]:
    """The team's active private key (PEM) and its fingerprint; (None, None) when the team
    has none, and its builds are unsigned."""
    signing_key = active_key(team)
    if signing_key is None:
        return None, None
    return private_pem_of(signing_key), fingerprint(signing_key)
