import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models

from designer.accounts.models import Team
from designer.core import parts
from designer.core.lru import Lru

PART_CACHE_SIZE = 20_000  # parts kept parsed in each process (a 250-model plugin has ~260)


class SpecPart(models.Model):
    """One immutable piece of some project's design spec (a model, a carried file, the imported
    originals), stored once under the digest of its content and shared by every project that
    has it. See designer/core/parts.py. Nothing deletes parts: besides the projects' outlines,
    the outlines kept to undo a change (``UndoableChange``) name them, and a clean-up of parts
    would have to keep theirs too."""

    digest = models.CharField(max_length=64, primary_key=True)
    data = models.JSONField()

    cache = Lru(PART_CACHE_SIZE)

    def __str__(self):
        return self.digest

    @classmethod
    def load(cls, digests: Iterable[str]) -> dict[str, Any]:
        """The parts' content, shared with the cache (read-only)."""
        digests = list(digests)
        cached = cls.cache.get_many(digests)
        found = {d: v for d, v in zip(digests, cached, strict=True) if v is not None}
        missing = set(digests) - found.keys()
        if missing:
            loaded = dict(cls.objects.filter(digest__in=missing).values_list("digest", "data"))
            lost = missing - loaded.keys()
            if lost:
                raise LookupError(f"design-spec parts missing from the database: {sorted(lost)}")
            cls.cache.put_many(loaded)
            found.update(loaded)
        return found

    @classmethod
    def store(cls, new_parts: dict[str, Any]) -> None:
        """Write the parts the database does not hold yet (content-addressed: an existing one
        is the same, and the insert skips it). The database is asked, not the cache: a
        rolled-back transaction may have lost parts the cache still holds."""
        if not new_parts:
            return
        missing = new_parts
        if len(new_parts) > 1:  # a whole document: send only the parts the database lacks
            stored = set(cls.objects.filter(digest__in=new_parts).values_list("digest", flat=True))
            missing = {d: data for d, data in new_parts.items() if d not in stored}
        cls.objects.bulk_create(
            [cls(digest=d, data=data) for d, data in missing.items()], ignore_conflicts=True
        )
        # The cache gets copies: the caller's objects stay the caller's to change.
        cls.cache.put_many(json.loads(json.dumps(new_parts)))


def outline_of(document: dict) -> dict:
    """Store ``document``'s parts; give the outline that names them."""
    outline, new_parts = parts.split(document)
    SpecPart.store(new_parts)
    return outline


def shared_document(outline: dict) -> dict:
    """The document of ``outline``, sharing cached parts: read it, never change it."""
    return parts.join(outline, SpecPart.load)


def own_document(outline: dict) -> dict:
    """The document of ``outline`` as a fresh copy, free to change."""
    return json.loads(json.dumps(shared_document(outline)))


class Project(models.Model):
    """One plugin being designed. Its design-spec document is saved as the forms leave it, valid
    or not, so nothing typed is ever lost. ``outline`` is that document with its models, files
    and originals replaced by the digests of their parts (``SpecPart``), so a keystroke writes
    the part it changed and the outline, not the whole plugin. ``spec`` gives the whole
    document (this instance's copy: changes to it are saved by ``save()``) and takes a new one."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=100)
    outline = models.JSONField(default=dict)
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

    def save(self, *args, **kwargs):
        if getattr(self, "_document", None) is not None:
            self.outline = outline_of(self._document)
        super().save(*args, **kwargs)

    def refresh_from_db(self, *args, **kwargs):
        self._document = None
        super().refresh_from_db(*args, **kwargs)

    @property
    def spec(self) -> dict:
        if getattr(self, "_document", None) is None:
            self._document = own_document(self.outline)
        return self._document

    @spec.setter
    def spec(self, document: dict) -> None:
        self._document = document


class UndoableChange(models.Model):
    """A one-click change to a project (a bulk edit of its models, a model deleted, an icon
    uploaded ...) that can be undone: the outline from before it, which names parts that are
    never deleted, so restoring it is one save. It can be undone while the project is still at
    the ``version`` the change led to; the last ``designer.projects.undo.KEPT`` of a project
    are kept."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="undoable_changes")
    outline = models.JSONField()  # the project's outline before the change
    version = models.PositiveIntegerField()  # the project's version the change saved
    message = models.CharField(max_length=500)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.message

    @property
    def message_tag(self) -> str:
        """The tag of the success message that offers to undo this change."""
        return f"undo-{self.pk}"
