from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from designer.projects.models import Project


class Run(models.Model):
    """A discovery of an API's models or one playground chat, as the worker reports it.

    Never holds credentials: they go to the worker sealed in the task's message and live in its
    memory only. ``request`` is what was asked (the chat's messages, the endpoint without any
    user part); ``events`` what came back (the chat's events, or the listed models)."""

    class Kind(models.TextChoices):
        DISCOVERY = "discovery"
        CHAT = "chat"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="playground_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    model = models.CharField(max_length=255, blank=True)  # the chat's model id
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, related_name="+")
    request = models.JSONField(default=dict)
    events = models.JSONField(default=list)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} run {self.pk} of {self.project}"

    # A run no worker finished by then (the worker died, none is running) is shown as stopped:
    # the page stops polling. A queued run's sealed credentials expire after 10 minutes.
    STALE_AFTER = {Status.QUEUED: timedelta(minutes=10), Status.RUNNING: timedelta(minutes=3)}

    @property
    def is_stale(self) -> bool:
        limit = self.STALE_AFTER.get(self.status)
        return limit is not None and timezone.now() - self.updated_at > limit

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED) or self.is_stale
