"""API tokens: made, found by their secret, revoked, and counted against the rate limit."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from designer.accounts.models import Membership
from designer.api.models import ApiToken

SECRET_PREFIX = "dpd_"  # noqa: S105 (marks a designer token in logs and secret scanners)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user, team, name: str) -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is never stored, so show it now or never."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        team=team,
        name=name[:100] or "token",
        digest=digest_of(secret),
        prefix=secret[: len(SECRET_PREFIX) + 6],
    )
    return token, secret


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def authenticate(secret: str) -> tuple[ApiToken, Membership] | None:
    """The active token with this secret and its user's membership of the token's team (a
    user who left the team has no access through old tokens)."""
    token = (
        ApiToken.objects.filter(digest=digest_of(secret), revoked_at=None)
        .select_related("user", "team")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    membership = Membership.objects.filter(user=token.user_id, team=token.team_id).first()
    if membership is None:
        return None
    return token, membership


def count_request(token: ApiToken) -> bool:
    """Note one request (and the token's last use); False when the token is over its limit of
    API_RATE_LIMIT requests per API_RATE_WINDOW seconds (a fixed window in the database, so
    every web process counts together)."""
    now = timezone.now()
    window = timedelta(seconds=settings.API_RATE_WINDOW)
    tokens = ApiToken.objects.filter(pk=token.pk)
    counted = tokens.filter(window_start__gt=now - window).update(
        window_count=F("window_count") + 1, last_used_at=now
    )
    if not counted:
        tokens.update(window_start=now, window_count=1, last_used_at=now)
    count = tokens.values_list("window_count", flat=True).first() or 0
    return count <= settings.API_RATE_LIMIT
