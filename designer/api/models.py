from django.conf import settings
from django.db import models

from designer.accounts.models import Team


class ApiToken(models.Model):
    """A secret that lets a script act as its user in one team, with that user's current role
    there. Only the sha256 of the secret is stored: the secret has 256 random bits, so a slow
    password hash would add nothing, and a leaked database does not leak working tokens."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)  # sha256 hex of the secret
    prefix = models.CharField(max_length=12)  # the secret's first characters, to recognise it
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Rate limit: requests counted in the current fixed window (shared by every web process).
    window_start = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"API token {self.prefix}… of {self.user} in {self.team}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
