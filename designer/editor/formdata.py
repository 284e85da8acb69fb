"""Form data -> design-spec document, by field paths.

Every input is named by the path of the value it edits, the same path validation findings
carry (``models[0].parameter_rules[2].max``), with an optional type suffix (``:int``,
``:number``, ``:bool``, ``:tristate``, ``:list``, ``:lines``, ``:auto``). So an error lands
beside the input that caused it with no mapping table. Lists the form edits as rows are named
in ``_lists``; each row says which old row it came from (``<list>[i]._origin``), so rows can
be added, removed and reordered while keys the form does not show (kept from an imported
plugin) survive.

A value that does not convert (``abc`` for a number) is kept as typed: the draft is saved and
validation reports it on its field.
"""

import copy
import re
from collections.abc import Mapping
from typing import Any

from designer.core.preview import is_within

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")
CONTROL_PREFIX = "_"  # _lists, _version ...
ORIGIN = "_origin"


def parse_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for name, index in _TOKEN.findall(path):
        parts.append(int(index) if index else name)
    return parts


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
        return int(value) if _INT.match(value) else value
    if kind == "number":
        return number(value)
    if kind == "auto":
        if value in ("true", "false"):
            return value == "true"
        return number(value)
    return value


def number(value: str) -> Any:
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def split_name(name: str) -> tuple[str, str]:
    path, _, kind = name.partition(":")
    return path, kind or "str"


def apply_form(document: Mapping, data, editable: tuple[str, ...]) -> dict:
    """A new document: ``document`` with the form's values. ``data`` is a QueryDict-like
    object (``getlist``, ``keys``, in form order); only paths under ``editable`` prefixes
    (the section's own part of the spec) are taken, whatever else is posted."""
    result = copy_editable(document, editable)
    owned = [p for p in set(data.getlist("_lists")) if is_within(p, editable)]
    owned.sort(key=lambda p: len(parse_path(p)))
    positions = {list_path: rebuild_list(result, list_path, data) for list_path in owned}
    for name in data:
        if (
            name.startswith(CONTROL_PREFIX)
            or name.endswith(f".{ORIGIN}")
            or name == "csrfmiddlewaretoken"
        ):
            continue
        path_text, kind = split_name(name)
        if not is_within(path_text, editable):
            continue
        path = parse_path(renumbered(path_text, positions))
        value = convert(data.getlist(name), kind)
        if value is None:
            remove_at(result, path)
        else:
            set_at(result, path, value)
    drop_emptied_items(result, editable, set(owned))
    return result


def copy_editable(document: Mapping, editable: tuple[str, ...]) -> dict:
    """``document`` with its editable subtrees deep-copied and the containers above them
    copied shallowly: the rest is shared, so an edit of one model costs that model, not the
    plugin (and the shared parts keep their identity, which saving relies on)."""
    result = dict(document)
    for prefix in editable:
        path = parse_path(prefix)
        node = result
        for part in path[:-1]:
            child = get_at(node, [part])
            if not isinstance(child, (list, dict)):
                break
            node[part] = child = list(child) if isinstance(child, list) else dict(child)
            node = child
        else:
            last = get_at(node, path[-1:])
            if last is not None:
                node[path[-1]] = copy.deepcopy(last)
    return result


def leads_to(path: str, editable: tuple[str, ...]) -> bool:
    """``path`` is an editable prefix, inside one, or above one."""
    return is_within(path, editable) or any(is_within(p, (path,)) for p in editable)


def drop_emptied_items(node: Any, editable: tuple[str, ...], owned: set[str], path="") -> None:
    """Fixed slots left blank (a third option nobody filled) leave no empty item behind; rows
    of owned lists stay, since the form still shows them."""
    if isinstance(node, dict):
        for key, child in node.items():
            child_path = f"{path}.{key}" if path else key
            if leads_to(child_path, editable):
                drop_emptied_items(child, editable, owned, child_path)
    elif isinstance(node, list):
        if path not in owned and is_within(path, editable):
            node[:] = [item for item in node if item != {}]
        for i, child in enumerate(node):
            if leads_to(f"{path}[{i}]", editable):
                drop_emptied_items(child, editable, owned, f"{path}[{i}]")


def renumbered(path: str, positions: dict[str, dict[int, int]]) -> str:
    """``path`` with each owned list's row number replaced by the row's place in the list."""
    for list_path, places in positions.items():
        match = re.match(re.escape(list_path) + r"\[(\d+)\]", path)
        if match and int(match.group(1)) in places:
            path = f"{list_path}[{places[int(match.group(1))]}]{path[match.end() :]}"
    return path


def rebuild_list(document: dict, list_path: str, data) -> dict[int, int]:
    """Rows in the order the form numbered them, each starting from the old row it names;
    gives each submitted row number its place in the new list."""
    path = parse_path(list_path)
    old = get_at(document, path) or []
    prefix = re.compile(re.escape(list_path) + r"\[(\d+)\]")
    indices = sorted({int(m.group(1)) for name in data for m in [prefix.match(name)] if m})
    rows = []
    for index in indices:
        origin = data.get(f"{list_path}[{index}].{ORIGIN}", "")
        base = old[int(origin)] if _INT.match(origin) and int(origin) < len(old) else {}
        rows.append(copy.deepcopy(base) if isinstance(base, dict) else {})
    set_at(document, path, rows)
    return {index: place for place, index in enumerate(indices)}
