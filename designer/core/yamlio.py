"""YAML in and out: libyaml's safe loader, guarded against hostile input, and Dify's dump style."""

import json
from typing import Any

import yaml

from .errors import PluginSourceError
from .limits import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES
from .lru import Lru

DUMP_WIDTH = 4096

_OPENING_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSING_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_CLEARER_PROBLEMS = {"but found another document": "more than one YAML document"}


def load_yaml(
    data: bytes | str,
    name: str,
    *,
    max_bytes: int = MAX_YAML_BYTES,
    max_nodes: int = MAX_YAML_NODES,
) -> Any:
    """Load one YAML document with the safe loader; anything refused is a PluginSourceError.

    The limits default to those of one plugin file; a design spec holds a whole plugin and is
    read with the spec limits (``limits.MAX_SPEC_BYTES``, ``limits.MAX_SPEC_NODES``).
    """
    stream = _checked_bytes(data, name, max_bytes)
    try:
        _check_depth(stream, name)
        return _load_single(stream, name, max_nodes)
    except PluginSourceError:
        raise
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as exc:
        # ValueError: an implicit timestamp like 2024-13-45, an int longer than Python allows.
        raise PluginSourceError(_one_line(f"{name}: {_problem(exc, stream)}")) from None


def _checked_bytes(data: bytes | str, name: str, max_bytes: int) -> bytes:
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError:
            raise PluginSourceError(f"{name}: text with an unpaired surrogate") from None
    if len(data) > max_bytes:
        raise PluginSourceError(f"{name}: larger than {max_bytes // 2**20} MB")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PluginSourceError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    return data


def _check_depth(stream: bytes, name: str) -> None:
    # libyaml's composer recurses in C (a few ten thousand levels crash the process) and its
    # scanner is quadratic in flow depth, so nesting is checked on the flat event stream first.
    loader = yaml.CSafeLoader(stream)
    try:
        depth = 0
        while not isinstance(event := loader.get_event(), yaml.StreamEndEvent):
            if isinstance(event, _OPENING_EVENTS):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    line = event.start_mark.line + 1
                    raise PluginSourceError(
                        f"{name}: nested more than {MAX_YAML_DEPTH} levels deep (line {line})"
                    )
            elif isinstance(event, _CLOSING_EVENTS):
                depth -= 1
    finally:
        loader.dispose()


def _load_single(stream: bytes, name: str, max_nodes: int) -> Any:
    loader = yaml.CSafeLoader(stream)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_node_count(node, name, max_nodes)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_node_count(root: yaml.Node, name: str, max_nodes: int) -> None:
    """Refuse a billion-laughs document: count nodes as if every alias were a copy."""
    pending = [root]
    count = 0
    while pending:
        node = pending.pop()
        count += 1
        if count > max_nodes:
            raise PluginSourceError(
                f"{name}: more than {max_nodes} YAML nodes once aliases are expanded"
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                pending += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            pending += node.value


def _problem(exc: Exception, stream: bytes) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or exc.context or "invalid YAML"
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1})" if mark else ""
        return _CLEARER_PROBLEMS.get(problem, problem) + where
    if isinstance(exc, yaml.reader.ReaderError):
        line = stream.count(b"\n", 0, exc.position) + 1
        return f"{exc.reason} (line {line})"
    return str(exc) or type(exc).__name__


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def dump_yaml(data: Any) -> bytes:
    """UTF-8 YAML the way Dify writes it: block style, keys in order, long lines kept whole."""
    return yaml.dump(
        data,
        Dumper=yaml.CSafeDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=DUMP_WIDTH,
        encoding="utf-8",
    )


_PIECES = Lru(50_000)  # (key, value) as JSON -> its dumped lines


def dump_yaml_mapping(data: dict[str, Any]) -> bytes:
    """:func:`dump_yaml` of a mapping of JSON data, joined from the dump of each key (and of
    each item of a list under a key), kept from earlier dumps: a keystroke dumps again only
    the key or the list item it changed. In block style each top-level key's lines, and each
    item's under its key, do not depend on their neighbours (tests hold the two equal)."""
    if not data:
        return dump_yaml(data)
    try:
        pieces = [_key_piece(key, value) for key, value in data.items()]
    except TypeError:  # not JSON data: no key to cache it under
        return dump_yaml(data)
    return b"".join(pieces)


def _key_piece(key: str, value: Any) -> bytes:
    if isinstance(value, list) and value and len(key) <= 100:  # longer: a "? key" block
        items = [_cached_piece(key, [item]) for item in value]
        head = items[0].split(b"\n", 1)[0] + b"\n"  # "key:" once, then each item's lines
        return head + b"".join(item.split(b"\n", 1)[1] for item in items)
    return _cached_piece(key, value)


def _cached_piece(key: str, value: Any) -> bytes:
    cache_key = json.dumps([key, value], ensure_ascii=False)
    piece = _PIECES.get(cache_key)
    if piece is None:
        piece = dump_yaml({key: value})
        _PIECES.put(cache_key, piece)
    return piece
