"""Credentials on their way to the worker: sealed (Fernet, keyed from SECRET_KEY) in the task's
message, so the broker never holds them in the clear, and unreadable after SEAL_SECONDS, so a
message left in a queue is no use later. Nothing else ever stores them."""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

SEAL_SECONDS = 600


class Expired(Exception):
    """The sealed credentials are too old (or not sealed by this site)."""


def fernet() -> Fernet:
    digest = hashlib.sha256(b"playground credentials:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(credentials: dict[str, str]) -> str:
    return fernet().encrypt(json.dumps(credentials).encode()).decode()


def unseal(token: str) -> dict[str, str]:
    try:
        return json.loads(fernet().decrypt(token.encode(), ttl=SEAL_SECONDS))
    except InvalidToken:
        raise Expired("the credentials expired before a worker took the task; send again") from None
