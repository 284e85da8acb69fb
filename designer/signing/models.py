from django.conf import settings
from django.db import models
from django.utils import timezone

from designer.accounts.models import Team


class TeamSigningKey(models.Model):
    """The key a team's packages are signed with. The private key is stored only encrypted
    (keystore.py) and never shown again; the public key is what Dify's daemon is given."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="signing_key")
    public_pem = models.TextField()
    private_encrypted = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"signing key of {self.team}"
