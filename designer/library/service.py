"""Library definitions: saving with history and optimistic locking; references to them in a
design spec (``"library": "<pk>"`` on a model) and their resolution."""

import copy
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from designer.core.catalog import CatalogModel
from designer.library.models import LibraryModel, Revision

KEPT_ON_REFERENCE = ("library", "path")


class Conflict(Exception):
    """Someone saved the definition after the version this save started from."""

    def __init__(self, current: LibraryModel):
        super().__init__("the definition was changed by someone else")
        self.current = current


class DuplicateId(Exception):
    """Another definition of the team has the same model type and id."""

    def __init__(self, model_type: str, model_id: str):
        super().__init__(f"the library already has a {model_type} model named {model_id!r}")


def identity(definition: dict) -> tuple[str, str]:
    return str(definition.get("model_type", "")), str(definition.get("model", ""))


def check_unique(team, definition: dict, exclude_pk: int | None = None) -> None:
    model_type, model_id = identity(definition)
    taken = LibraryModel.objects.filter(team=team, model_type=model_type, model_id=model_id)
    if taken.exclude(pk=exclude_pk).exists():
        raise DuplicateId(model_type, model_id)


def free_model_id(team, model_type: str, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... whichever the team's library lacks."""
    taken = set(
        LibraryModel.objects.filter(team=team, model_type=model_type).values_list(
            "model_id", flat=True
        )
    )
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


def create_definition(team, definition: dict, user, tags: str = "", note: str = "created"):
    """A new library definition with its first revision; DuplicateId if its id is taken."""
    check_unique(team, definition)
    model_type, model_id = identity(definition)
    try:
        with transaction.atomic():
            item = LibraryModel.objects.create(
                team=team,
                model_type=model_type,
                model_id=model_id,
                definition=definition,
                tags=tags,
                updated_by=user,
            )
            Revision.objects.create(
                library_model=item, number=1, definition=definition, author=user, note=note
            )
    except IntegrityError:  # created by someone else since check_unique
        raise DuplicateId(model_type, model_id) from None
    return item


def save_definition(
    item: LibraryModel, definition: dict, version: int, user, note="edited", tags=None
):
    """Save a new revision if nobody saved since ``version``; else raise Conflict (or
    DuplicateId when the new type and id belong to another definition)."""
    check_unique(item.team_id, definition, exclude_pk=item.pk)
    model_type, model_id = identity(definition)
    changes = {"definition": definition, "model_type": model_type, "model_id": model_id}
    if tags is not None:
        changes["tags"] = tags
    try:
        with transaction.atomic():
            saved = LibraryModel.objects.filter(pk=item.pk, version=version).update(
                **changes, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
            )
            if not saved:
                raise Conflict(LibraryModel.objects.get(pk=item.pk))
            item.refresh_from_db()
            Revision.objects.create(
                library_model=item,
                number=item.version,
                definition=definition,
                author=user,
                note=note,
            )
    except IntegrityError:  # the id was taken by someone else since check_unique
        raise DuplicateId(model_type, model_id) from None
    return item


def referenced_ids(document: dict) -> set[int]:
    """The pks of the library definitions ``document``'s models use by reference."""
    refs = {str(m.get("library")) for m in models_of(document) if isinstance(m, dict)}
    return {int(ref) for ref in refs if ref.isdigit()}


def models_of(document: dict) -> list:
    models = document.get("models")
    return models if isinstance(models, list) else []


def resolve_library_refs(document: dict, team) -> dict:
    """``document`` with each referenced model's fields taken from the library's current
    definition of ``team`` (a team or its id; its ``library`` and ``path`` kept); references to
    missing definitions stay as they are, and validation reports nothing new for them. The
    result shares the parts it does not change with ``document``: read it, do not change it in
    place."""
    ids = {
        str(m.get("library"))
        for m in models_of(document)
        if isinstance(m, dict) and m.get("library")
    }
    if not ids:
        return document
    current = {
        str(item.pk): item.definition
        for item in LibraryModel.objects.filter(team=team, pk__in=[i for i in ids if i.isdigit()])
    }
    # Shallow copies: the models that are not references stay the caller's own objects, so
    # resolving costs the references, not the plugin (definitions are fresh from the query).
    models = list(models_of(document))
    for i, model in enumerate(models):
        definition = current.get(str(model.get("library"))) if isinstance(model, dict) else None
        if definition is not None:
            kept = {k: model[k] for k in KEPT_ON_REFERENCE if k in model}
            models[i] = {**definition, **kept}
    return {**document, "models": models}


def reference(item: LibraryModel) -> dict[str, Any]:
    """A project model that follows the library definition."""
    return {**copy.deepcopy(item.definition), "library": str(item.pk)}


CATALOG_NOTE = "catalog: "  # a revision's note naming the catalog entry it was imported from


def import_catalog_models(team, chosen: list[CatalogModel], user, update_duplicates: bool):
    """Add the chosen catalog models; duplicates (same type and id) are updated or skipped.
    Each definition's notes become the entry's cache and tiered prices."""
    definitions = [(entry.model, f"{CATALOG_NOTE}{entry.key}") for entry in chosen]
    added, updated, skipped = import_definitions(team, definitions, user, update_duplicates)
    notes = {identity(e.model): "\n".join(e.notes) for e in chosen}
    for item in added + updated:
        LibraryModel.objects.filter(pk=item.pk).update(
            notes=notes.get(identity(item.definition), "")
        )
    return added, updated, skipped


def import_definitions(team, definitions: list[tuple[dict, str]], user, update_duplicates: bool):
    """Add (definition, note) pairs; duplicates (same type and id) are updated or skipped."""
    added, updated, skipped = [], [], []
    for definition, note in definitions:
        model_type, model_id = identity(definition)
        existing = LibraryModel.objects.filter(
            team=team, model_type=model_type, model_id=model_id
        ).first()
        if existing is None:
            added.append(create_definition(team, definition, user, note=note))
        elif update_duplicates:
            updated.append(save_definition(existing, definition, existing.version, user, note))
        else:
            skipped.append(existing)
    return added, updated, skipped


def field_diff(old: Any, new: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """(field path, old value, new value) for every leaf that differs: a readable diff. A
    field only one side has is None on the other; named rows (parameter rules) are matched
    by name, so removing one rule does not show every later rule as changed."""
    if isinstance(old, dict | None) and isinstance(new, dict | None) and (old or new):
        old, new = old or {}, new or {}
        rows = []
        for key in list(old) + [k for k in new if k not in old]:
            child = f"{path}.{key}" if path else str(key)
            rows += field_diff(old.get(key), new.get(key), child)
        return rows
    if isinstance(old, list) and isinstance(new, list):
        if is_named(old) and is_named(new):
            return named_rows_diff(old, new, path)
        if len(old) == len(new):
            rows = []
            for i, (a, b) in enumerate(zip(old, new, strict=True)):
                rows += field_diff(a, b, f"{path}[{i}]")
            return rows
    return [] if old == new else [(path, readable(old), readable(new))]


def is_named(rows: list) -> bool:
    names = [r.get("name") for r in rows if isinstance(r, dict)]
    return (
        len(names) == len(rows)
        and all(isinstance(n, str) for n in names)
        and (len(set(names)) == len(names))
    )


def named_rows_diff(old: list, new: list, path: str) -> list[tuple[str, Any, Any]]:
    old_by, new_by = {r["name"]: r for r in old}, {r["name"]: r for r in new}
    rows = []
    for name in list(old_by) + [n for n in new_by if n not in old_by]:
        rows += field_diff(old_by.get(name), new_by.get(name), f"{path}[{name}]")
    old_order = [n for n in old_by if n in new_by]
    new_order = [n for n in new_by if n in old_by]
    if old_order != new_order:
        rows.append((f"{path} (order)", ", ".join(old_order), ", ".join(new_order)))
    return rows


def readable(value: Any) -> Any:
    """A list of plain values as one comma-separated line (features, options)."""
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(str(v) for v in value)
    return value


def catalog_key(item: LibraryModel) -> str | None:
    """The catalog entry the definition was last imported from, if it was."""
    notes = item.revisions.filter(note__startswith=CATALOG_NOTE).values_list("note", flat=True)
    note = notes.order_by("-number").first()
    return note.removeprefix(CATALOG_NOTE) if note else None
