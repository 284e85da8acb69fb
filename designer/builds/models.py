from django.conf import settings
from django.db import models
from django.utils import timezone

from designer.core.package import package_file_name
from designer.projects.models import Project

STEPS = ("render", "verify", "package", "store")


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class BuildQuerySet(models.QuerySet):
    def last_succeeded(self):
        """The newest successful build (of a project: ``project.builds.last_succeeded()``)."""
        return self.filter(status=Status.SUCCEEDED).order_by("-created_at", "-id").first()


class Build(models.Model):
    """One request to build a project: the exact spec it built, how far it got, what it made."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="builds")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    snapshot = models.JSONField()  # the design-spec document as it was built
    # An offline package: the dependencies' wheels inside, installed with no package index.
    offline = models.BooleanField(default=False)
    spec_sha256 = models.CharField(max_length=64, db_index=True)
    plugin_version = models.CharField(max_length=40, blank=True)
    renderer = models.CharField(max_length=64, blank=True)  # fingerprint of the core that built it
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=10, blank=True)  # the step running or last reached
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)  # hostname of the worker running it
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list)
    verification = models.JSONField(null=True, blank=True)  # what the SDK saw
    # What changed since the project's previous successful build (designer/builds/changes.py);
    # None for its first, and for a build that did not succeed.
    changes = models.JSONField(null=True, blank=True)
    reused_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    zip_name = models.CharField(max_length=200, blank=True)
    zip_size = models.PositiveBigIntegerField(null=True, blank=True)
    zip_sha256 = models.CharField(max_length=64, blank=True)
    package_name = models.CharField(max_length=200, blank=True)
    package_size = models.PositiveBigIntegerField(null=True, blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = BuildQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"build {self.pk} of {self.project} ({self.status})"

    @property
    def is_done(self) -> bool:
        return self.status in (Status.SUCCEEDED, Status.FAILED)

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def progress(self) -> int:
        """Percent done: each finished step counts a quarter."""
        if self.status == Status.SUCCEEDED:
            return 100
        if not self.step:
            return 0
        return 100 * STEPS.index(self.step) // len(STEPS)

    @property
    def steps(self) -> list[tuple[str, str]]:
        """(step, state) with state done / running / failed / waiting."""
        reached = STEPS.index(self.step) if self.step else -1
        states = []
        for i, step in enumerate(STEPS):
            if self.status == Status.SUCCEEDED or i < reached:
                state = "done"
            elif i == reached:
                state = {Status.FAILED: "failed", Status.RUNNING: "running"}.get(
                    self.status, "waiting"
                )
            else:
                state = "waiting"
            states.append((step, state))
        return states

    def artifact_name(self, kind: str) -> str:
        return {"zip": self.zip_name, "difypkg": self.package_name}[kind]

    def download_name(self, kind: str) -> str:
        name = (self.snapshot.get("manifest") or {}).get("name") or "plugin"
        package = package_file_name(name, self.plugin_version or "build")
        return package if kind == "difypkg" else package.removesuffix(".difypkg") + f".{kind}"


class WorkerHeartbeat(models.Model):
    """A worker connected to the broker writes its row every few seconds; /healthz reads the age,
    so a health check costs one query instead of a broadcast that waits for answers."""

    hostname = models.CharField(max_length=200, unique=True)
    pid = models.PositiveIntegerField(default=0)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.hostname} (seen {self.seen_at:%H:%M:%S})"
