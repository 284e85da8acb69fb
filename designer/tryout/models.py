import uuid

from django.conf import settings
from django.db import models

from designer.accounts.models import Team
from designer.projects.models import Project


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"  # could not run at all: the error says why


class TryoutRun(models.Model):
    """One test connection: which models it called and each check's outcome. The credentials
    it ran with are never stored: they travel encrypted in the task message only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tryout_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_models = models.JSONField(default=list)  # what was asked for; empty: one of each type
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    checks = models.JSONField(default=list)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"test connection {self.pk} ({self.status})"

    @property
    def is_done(self) -> bool:
        return self.status in (Status.DONE, Status.FAILED)

    @property
    def passed(self) -> bool:
        return self.status == Status.DONE and all(check["ok"] for check in self.checks)


class OutboundRun(models.Model):
    """A run that calls a team's API, of any kind (test connection, discovery, chat), kept while
    the team's rate limit counts it. One table for every kind: this app cannot count the
    playground's runs (that app sits above it), and the budget is one."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["team", "created_at"])]

    def __str__(self) -> str:
        return f"outbound run of team {self.team_id} at {self.created_at}"
