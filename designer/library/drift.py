"""Price drift: the team's definitions imported from the catalog whose price, context size or
features now differ from their entry in the team's catalog, and their one-click update (a new
revision, after which the plugins using them show "changed since last build")."""

from dataclasses import dataclass
from typing import Any

from designer.core.catalog_drift import drift, updated
from designer.library import catalogs, service
from designer.library.models import LibraryModel, Revision


@dataclass
class Drifted:
    item: LibraryModel
    key: str  # the catalog entry it was imported from
    rows: list[tuple[str, Any, Any]]  # (field, the definition's value, the catalog's)
    fresh: dict  # the entry as a definition


def catalog_keys(team) -> dict[int, str]:
    """Definition pk -> the catalog key of its newest revision imported from the catalog."""
    notes = Revision.objects.filter(
        library_model__team=team, note__startswith=service.CATALOG_NOTE
    ).order_by("library_model", "number")
    return {
        pk: note.removeprefix(service.CATALOG_NOTE)
        for pk, note in notes.values_list("library_model", "note")
    }


def drifted_definitions(team) -> list[Drifted]:
    keys = catalog_keys(team)
    items = LibraryModel.objects.filter(team=team, pk__in=keys)
    found = []
    for item in items:
        entry = catalogs.catalog_entry(team, keys[item.pk])
        rows = drift(item.definition, entry.model) if entry else []
        if rows:
            found.append(Drifted(item, keys[item.pk], rows, entry.model))
    return found


def update_from_catalog(item: LibraryModel, version: int, user) -> LibraryModel | None:
    """A new revision of ``item`` with its catalog entry's price, context size and features
    (None when it no longer drifts); service.Conflict when someone saved since ``version``."""
    key = catalog_keys(item.team_id).get(item.pk)
    entry = catalogs.catalog_entry(item.team_id, key) if key else None
    if entry is None or not drift(item.definition, entry.model):
        return None
    definition = updated(item.definition, entry.model)
    note = f"{service.CATALOG_NOTE}{key}"
    saved = service.save_definition(item, definition, version, user, note)
    LibraryModel.objects.filter(pk=item.pk).update(notes="\n".join(entry.notes))
    return saved
