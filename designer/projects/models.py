from django.conf import settings
from django.db import models

from designer.accounts.models import Team


class Project(models.Model):
    """One plugin being designed. ``spec`` is its design-spec document as the forms left it:
    saved as the user types, valid or not, so nothing typed is ever lost."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=100)
    spec = models.JSONField(default=dict)
    # Bumped on every save; a save based on an older version is refused (no lost updates).
    version = models.PositiveIntegerField(default=1)
    # The page (editing session) that saved last: its own later saves never conflict with it,
    # even when the browser cancelled a request whose save had already gone through.
    last_editor = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.name
