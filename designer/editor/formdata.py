"""Form data -> design-spec document, by field paths.

Every input is named by the path of the value it edits, the same path validation findings
carry (``models[0].parameter_rules[2].max``), with an optional type suffix (``:int``,
``:number``, ``:bool``, ``:tristate``, ``:list``, ``:picks``, ``:lines``, ``:auto``). So an error
lands beside the input that caused it with no mapping table. Lists the form edits as rows are named
in ``_lists``; each row says which old row it came from (``<list>[i]._origin``), so rows can
be added, removed and reordered while keys the form does not show (kept from an imported
plugin) survive.

A value that does not convert (``abc`` for a number) is kept as typed: the draft is saved and
validation reports it on its field.
"""

import copy
import math
import re
from collections.abc import Mapping
from typing import Any

from designer.core.fieldpath import MAX_FIELDS, PathError, format_path, parse_path, split_name
from designer.core.preview import is_within

_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")
CONTROL_PREFIX = "_"  # _lists, _version ...
ORIGIN = "_origin"


class FormError(ValueError):
    """A form post refused before anything changed; the message says why, plainly."""


def get_at(document: Any, path: list[str | int], default: Any = None) -> Any:
    node = document
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return default
    return node


def set_at(document: dict, path: list[str | int], value: Any) -> None:
    node = document
    for part, following in zip(path, path[1:], strict=False):
        empty = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append({} if isinstance(empty, dict) else [])
            if not isinstance(node[part], type(empty)):
                node[part] = empty
        elif not isinstance(node.get(part), type(empty)):
            node[part] = empty
        node = node[part]
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def remove_at(document: dict, path: list[str | int]) -> None:
    """Remove a key, then any dicts left empty above it (never list items)."""
    parents = [(document, None)]
    node = document
    for part in path[:-1]:
        node = get_at(node, [part])
        if node is None:
            return
        parents.append((node, part))
    if isinstance(node, dict):
        node.pop(path[-1], None)
    for depth in range(len(path) - 1, 0, -1):
        container = get_at(document, path[:depth])
        parent = get_at(document, path[: depth - 1])
        if isinstance(container, dict) and not container and isinstance(parent, dict):
            parent.pop(path[depth - 1], None)
        else:
            break


def convert(raw: list[str], kind: str) -> Any:
    value = raw[-1] if raw else ""
    if kind == "list":
        return [item for item in raw if item != ""]
    if kind == "picks":  # optional choices: none ticked leaves the key out
        return [item for item in raw if item != ""] or None
    if kind == "lines":
        return [line.strip() for line in value.splitlines() if line.strip()] or None
    if kind == "bool":
        return value in ("true", "on", "1")
    if kind == "tristate":  # yes / no / not set (a template's own default applies)
        return {"true": True, "false": False}.get(value)
    value = value.strip() if kind != "text" else value
    if value == "":
        return None
    if kind == "int":
        return whole_number(value)
    if kind == "number":
        return number(value)
    if kind == "auto":
        if value in ("true", "false"):
            return value == "true"
        return number(value)
    return value


def whole_number(value: str) -> Any:
    try:
        return int(value) if _INT.match(value) else value
    except ValueError:  # over Python's 4300 digits: kept as typed, like any non-number
        return value


def number(value: str) -> Any:
    if _INT.match(value):
        return whole_number(value)
    if _FLOAT.match(value) and math.isfinite(float(value)):
        return float(value)
    return value


def apply_form(document: Mapping, data, editable: tuple[str, ...], partial: bool = False) -> dict:
    """A new document: ``document`` with the form's values. ``data`` is a QueryDict-like
    object (``getlist``, ``keys``, in form order); only paths under ``editable`` prefixes
    (the section's own part of the spec) are taken, whatever else is posted.

    ``partial``: ``data`` holds only the fields changed since a save of the same form, whose
    rows are where they were (no ``_origin``): those fields are set and the rest kept.

    Raises FormError, before changing anything, for a name that is not a field path, too
    many fields, or a list index past the end of its list (the end itself appends)."""
    fields, origins, owned = posted_paths(data, editable)
    result = copy_editable(document, [parse_path(p) for p in editable])
    if partial:
        if origins:
            raise FormError("a save of the changed fields only cannot move rows")
        changes = fields
    else:
        named = [path for path, _, _ in fields] + list(origins)
        positions = {p: rebuild_list(result, p, named, origins) for p in owned}
        changes = [(renumbered(path, positions), kind, raw) for path, kind, raw in fields]
    check_indices(result, [path for path, _, _ in changes])
    for path, kind, raw in changes:
        value = convert(raw, kind)
        if value is None:
            remove_at(result, path)
        else:
            set_at(result, path, value)
    scope = [parse_path(p) for p in editable]
    if partial:  # only a list that holds a changed field can have an item left empty
        scope = [p for path, _, _ in changes for p in lists_along(path) if inside(p, scope)]
    drop_emptied_items(result, scope, set(owned))
    return result


def lists_along(path: list) -> list[list]:
    """The paths of the lists ``path`` goes through (``a.b[2].c[0]``: ``a.b`` and ``a.b[2].c``)."""
    return [path[:depth] for depth, part in enumerate(path) if isinstance(part, int)]


def inside(path: list, prefixes: list[list]) -> bool:
    return any(within(path, prefix) for prefix in prefixes)


def posted_paths(data, editable: tuple[str, ...]):
    """The form's fields in the section, parsed: (path, kind, values) in form order, each
    row's origin by the row's path, and the owned lists (shallowest first)."""
    count = sum(len(data.getlist(name)) for name in data)
    if count > MAX_FIELDS:
        raise FormError(f"the form sent {count} fields; at most {MAX_FIELDS} are taken")
    fields, origins = [], {}
    for name in data:
        if name.startswith(CONTROL_PREFIX) or name == "csrfmiddlewaretoken":
            continue
        path_text, kind = split_name(name)
        if not is_within(path_text, editable):
            continue
        path = parsed(path_text)
        if path[-1] == ORIGIN and kind == "str":
            origins[tuple(path[:-1])] = data.get(name, "")
        else:
            fields.append((path, kind, data.getlist(name)))
    lists = {tuple(parsed(p)) for p in data.getlist("_lists") if is_within(p, editable)}
    return fields, origins, sorted(lists, key=len)


def parsed(path_text: str) -> list[str | int]:
    try:
        return parse_path(path_text)
    except PathError as exc:
        shown = path_text if len(path_text) <= 60 else path_text[:60] + "..."
        raise FormError(f"“{shown}” is not a field name: {exc}") from None


def check_indices(document: dict, paths: list[list[str | int]]) -> None:
    """Each list index names an item of the list or the one after its end, counting the
    items the same form adds: a post cannot grow a list by more than it names."""
    indices: dict[tuple, set[int]] = {}
    for path in paths:
        for depth, part in enumerate(path):
            if isinstance(part, int):
                indices.setdefault(tuple(path[:depth]), set()).add(part)
    for list_path, wanted in indices.items():
        current = get_at(document, list(list_path))
        end = len(current) if isinstance(current, list) else 0
        for index in sorted(wanted):
            if index > end:
                where = format_path(*list_path)
                items = "1 item" if end == 1 else f"{end} items"
                raise FormError(f"{where}[{index}] is past the end of its list ({items})")
            end = max(end, index + 1)


def drop_emptied_items(node: Any, editable: list[list], owned: set[tuple], path=()) -> None:
    """Fixed slots left blank (a third option nobody filled) leave no empty item behind; rows
    of owned lists stay, since the form still shows them."""
    if isinstance(node, dict):
        for key, child in node.items():
            child_path = (*path, key)
            if any(within(child_path, p) or within(p, child_path) for p in editable):
                drop_emptied_items(child, editable, owned, child_path)
    elif isinstance(node, list):
        if path not in owned and any(within(path, p) for p in editable):
            node[:] = [item for item in node if item != {}]
        for i, child in enumerate(node):
            child_path = (*path, i)
            if any(within(child_path, p) or within(p, child_path) for p in editable):
                drop_emptied_items(child, editable, owned, child_path)


def copy_editable(document: Mapping, editable: list[list]) -> dict:
    """``document`` with its editable subtrees deep-copied and the containers above them
    copied shallowly: the rest is shared, so an edit of one model costs that model, not the
    plugin (and the shared parts keep their identity, which saving relies on)."""
    result = dict(document)
    for path in editable:
        node = result
        for part in path[:-1]:
            child = get_at(node, [part])
            if not isinstance(child, list | dict):
                break
            node[part] = child = list(child) if isinstance(child, list) else dict(child)
            node = child
        else:
            last = get_at(node, path[-1:])
            if last is not None:
                node[path[-1]] = copied_data(last)
    return result


def copied_data(value: Any) -> Any:
    """A copy of plain data (dicts, lists and scalars, as a stored document holds): a few times
    quicker than copy.deepcopy, which a keystroke would pay for every field of its model."""
    if isinstance(value, dict):
        return {key: copied_data(child) for key, child in value.items()}
    if isinstance(value, list):
        return [copied_data(child) for child in value]
    return value


def within(path, prefix) -> bool:
    return len(path) >= len(prefix) and list(path[: len(prefix)]) == list(prefix)


def renumbered(path: list, positions: dict[tuple, dict[int, int]]) -> list:
    """``path`` with each owned list's row number replaced by the row's place in the list."""
    path = list(path)
    for list_path, places in positions.items():
        depth = len(list_path)
        if len(path) > depth and within(path, list_path) and path[depth] in places:
            path[depth] = places[path[depth]]
    return path


def rebuild_list(document: dict, list_path: tuple, named: list, origins: dict) -> dict[int, int]:
    """Rows in the order the form numbered them, each starting from the old row it names;
    gives each submitted row number its place in the new list."""
    old = get_at(document, list(list_path)) or []
    depth = len(list_path)
    rows_named = [p for p in named if len(p) > depth and within(p, list_path)]
    indices = sorted({p[depth] for p in rows_named if isinstance(p[depth], int)})
    rows = []
    for index in indices:
        origin = row_number(origins.get((*list_path, index), ""))
        base = old[origin] if origin is not None and origin < len(old) else {}
        rows.append(copy.deepcopy(base) if isinstance(base, dict) else {})
    set_at(document, list(list_path), rows)
    return {index: place for place, index in enumerate(indices)}


def row_number(text: str) -> int | None:
    digits = text.strip()
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 6 else None
