"""Reading and saving a project's draft at the cost of the edit, not of the plugin.

The stored document is joined from cached parts (designer/projects/models.py) and shared, so a
keystroke neither parses nor copies the models it does not touch; the form copies what it edits
(designer/editor/formdata.py), and saving stores only the parts whose objects are new.
"""

from django.db.models import F, Q

from designer.core import parts
from designer.projects.models import Project, SpecPart, shared_document


def stored_document(project: Project) -> dict:
    """The project's document as saved, sharing cached parts: read it, never change it.
    Joined once per outline the instance holds (a keystroke asks for it twice: the form edits
    it, and the save finds the parts the edit still shares)."""
    joined = getattr(project, "_stored", None)
    if joined is None or joined[0] is not project.outline:
        joined = project._stored = (project.outline, shared_document(project.outline))
    return joined[1]


def outline_after_edit(project: Project, document: dict) -> dict:
    """The outline of ``document``, an edit of :func:`stored_document`: parts it still shares
    (the same objects) keep their digests; only new ones are hashed and stored."""
    outline, new_parts = parts.split(document, known=known_digests(project, document))
    SpecPart.store(new_parts)
    return outline


def known_digests(project: Project, document: dict) -> dict[int, tuple[object, str]]:
    """id() of each part object of the stored document -> (the object, its digest); holding
    the object keeps its id from being reused while the edit is split."""
    outline, stored = project.outline, stored_document(project)
    known: dict[int, tuple[object, str]] = {}

    def add(obj, digest):
        known[id(obj)] = (obj, digest)

    split_keys = outline.get(parts.OUTLINE_KEY) or []
    if "models" in split_keys:
        for model, digest in zip(stored["models"], outline["models"], strict=True):
            add(model, digest)
    if "files" in split_keys:
        for path, digest in outline["files"].items():
            add(stored["files"][path], digest)
    if "originals" in split_keys:
        add(stored["originals"], outline["originals"])
    return known


def save_draft(project: Project, document: dict, version: int, editor: str = "") -> bool:
    """Save if nobody else saved since ``version`` (the same ``editor`` page may have);
    False on a conflict, and nothing is overwritten."""
    return save_outline(project, outline_after_edit(project, document), version, editor)


def save_outline(project: Project, outline: dict, version: int, editor: str = "") -> bool:
    """:func:`save_draft` of a document whose outline (and parts) the caller already made."""
    if may_save_over(project, version, editor):
        # The row as loaded may be saved over: one UPDATE that holds only while nobody saved
        # since the load, and the instance follows it without reading the row back.
        saved = Project.objects.filter(pk=project.pk, version=project.version).update(
            outline=outline, version=project.version + 1, last_editor=editor
        )
        if saved:
            project.outline, project.last_editor = outline, editor
            project.version += 1
            project._document = None
            return True
    unchanged = Q(version=version) | (Q(last_editor=editor) & ~Q(last_editor=""))
    saved = Project.objects.filter(unchanged, pk=project.pk).update(
        outline=outline, version=F("version") + 1, last_editor=editor
    )
    if saved:
        project.refresh_from_db(fields=["outline", "version", "last_editor"])
    return bool(saved)


def may_save_over(project: Project, version: int, editor: str) -> bool:
    """A save based on ``version`` by the page ``editor`` does not conflict with the row as
    ``project`` holds it: nobody saved since that version, or this page saved last."""
    return project.version == version or (editor != "" and project.last_editor == editor)


def draft_digests(outline: dict, document: dict, effective: dict) -> list[str] | None:
    """The digest of each model of ``effective`` (``document`` with library references
    resolved), for validation's cache: the digests in ``document``'s outline where the model is
    the one ``document`` has, hashed afresh only where a reference was resolved."""
    digests = parts.model_digests(outline)
    effective_models = effective.get("models")
    if digests is None or not isinstance(effective_models, list):
        return None
    return [
        digest if resolved is own else parts.content_digest(resolved)
        for digest, own, resolved in zip(digests, document["models"], effective_models, strict=True)
    ]
