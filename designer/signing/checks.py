"""Refuse to start in production with signing enabled and no key to encrypt teams' keys."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def signing_key_encryption_key(app_configs, **kwargs):
    if settings.DEBUG or not settings.SIGNING_ENABLED or settings.SIGNING_KEY_ENCRYPTION_KEY:
        return []
    return [
        Error(
            "SIGNING_KEY_ENCRYPTION_KEY is not set, and teams' signing keys need it.",
            hint="Set it to a Fernet key (python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'), or set SIGNING_ENABLED=0.",
            id="signing.E001",
        )
    ]
