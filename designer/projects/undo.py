"""Undo of one-click changes: each keeps the project's outline from before it (parts are never
deleted, so that is all a restore needs), and undoing it saves that outline back, only while
nobody has saved the project since the change (an undo never loses anyone's edits).

Undoing the last change makes the one before it the last again when it came right before: the
draft is then as that change left it, so it can be undone in turn.
"""

from django.contrib import messages
from django.db import transaction

from designer.core.parts import digests_of
from designer.projects.drafts import save_draft, save_outline
from designer.projects.models import Project, SpecPart, UndoableChange

KEPT = 10  # changes kept per project


def save_undoable(request, project: Project, document: dict, message: str) -> bool:
    """Save ``document``, a one-click change of ``project`` as loaded, keep what it replaces
    and say ``message`` with an Undo button. False (nothing saved, nothing said) when someone
    saved the project since it was loaded."""
    before = project.outline
    with transaction.atomic():
        if not save_draft(project, document, project.version):
            return False
        change = UndoableChange.objects.create(
            project=project,
            outline=before,
            version=project.version,
            message=message[:500],
            made_by=request.user,
        )
        kept = project.undoable_changes.order_by("-pk").values_list("pk", flat=True)[:KEPT]
        project.undoable_changes.exclude(pk__in=list(kept)).delete()
    messages.success(request, message, extra_tags=change.message_tag)
    return True


def last_change(project: Project) -> UndoableChange | None:
    """The change that can be undone now: the one that saved the project's current version."""
    changes = project.undoable_changes.filter(version=project.version).select_related("made_by")
    return changes.order_by("-pk").first()


class NotUndone(Exception):
    """Why a change was not undone (nothing was changed)."""


def undo(project: Project, change_pk: int) -> str:
    """Restore the outline from before change ``change_pk``; the change's message, or
    NotUndone."""
    change = project.undoable_changes.filter(pk=change_pk).first()
    if change is None:
        raise NotUndone("that change was undone already or is no longer kept")
    if change.version != project.version:
        raise NotUndone(
            f"the project was saved after “{change.message}”, so undoing it would lose those "
            "edits; change it back by hand"
        )
    digests = digests_of(change.outline)
    if SpecPart.objects.filter(digest__in=digests).count() != len(digests):
        raise NotUndone("parts of the draft from before that change are missing")
    with transaction.atomic():
        if not save_outline(project, change.outline, change.version):
            raise NotUndone("someone saved this project at the same time")
        # The change before it, if it came right before, left the draft as it is now.
        project.undoable_changes.filter(version=change.version - 1).update(version=project.version)
        change.delete()
    return change.message
