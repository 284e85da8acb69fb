from django.conf import settings
from django.db import models

from designer.accounts.models import Team


class LibraryModel(models.Model):
    """A model definition a team shares between its plugins (a design-spec model document)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="library_models")
    model_type = models.CharField(max_length=20)
    model_id = models.CharField(max_length=255)
    definition = models.JSONField()
    tags = models.CharField(max_length=255, blank=True)
    # What the definition cannot say: the catalog's cache and tiered prices, for instance.
    notes = models.TextField(blank=True)
    # Bumped on every save; a save based on an older version is refused (no lost updates).
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["model_type", "model_id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "model_type", "model_id"], name="one_per_id")
        ]

    def __str__(self):
        return f"{self.model_type} {self.model_id}"

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class Revision(models.Model):
    library_model = models.ForeignKey(
        LibraryModel, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["library_model", "number"], name="one_number")
        ]

    def __str__(self):
        return f"revision {self.number} of {self.library_model}"


class Catalog(models.Model):
    """A model catalog (LiteLLM's JSON format) loaded to replace the shipped snapshot: a
    team's own, or, with no team, the installation's for every team without one."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="catalog"
    )
    name = models.CharField(max_length=255)  # the file it was loaded from
    data = models.BinaryField()  # the JSON text, gzipped
    sha256 = models.CharField(max_length=64)
    entries = models.PositiveIntegerField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"catalog {self.name} ({self.entries} entries)"
