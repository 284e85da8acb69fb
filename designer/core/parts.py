"""A design-spec document as a small outline plus content-addressed parts.

A big plugin's document is mostly its models, carried files (icons as base64) and imported
originals (each YAML file's text). Kept whole in one row, every keystroke would rewrite all of
them. Split, the outline names each model and each carried file by the digest of its content,
and the originals as one part (they change only on import); a keystroke in one model writes
that model's new part and the outline, whatever the size of the plugin.

The outline is the document with:

- ``models``: a list of part digests, one per model, in order;
- ``files``: ``{path: digest}``;
- ``originals``: one digest (of the whole ``{path: original}`` mapping).

Parts are immutable: the same content always has the same digest, so they can be cached
anywhere and shared between projects. A value that is not of the expected shape (a draft may be
anything) stays in the outline as it is.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

OUTLINE_KEY = "parts_outline"  # marks an outline, so a document is never mistaken for one
PartLoader = Callable[[Iterable[str]], Mapping[str, Any]]


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def content_digest(data: Any) -> str:
    """sha256 of the canonical JSON of ``data``: equal content, equal digest."""
    return text_digest(canonical_json(data))


def split(
    document: Mapping[str, Any], known: Mapping[int, tuple[Any, str]] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(outline, parts) of ``document``; ``parts`` maps each digest to its content.

    ``known`` maps ``id(obj)`` to ``(obj, digest)`` for part objects whose digest is known (kept
    unchanged from a stored document): those are not hashed again nor returned as new parts.
    """
    outline = {key: value for key, value in document.items()}
    parts: dict[str, Any] = {}
    known = known or {}

    def part(data: Any) -> str:
        entry = known.get(id(data))
        if entry is not None and entry[0] is data:
            return entry[1]
        digest = content_digest(data)
        parts[digest] = data
        return digest

    split_keys = []
    models = document.get("models")
    if isinstance(models, list):
        outline["models"] = [part(model) for model in models]
        split_keys.append("models")
    files = document.get("files")
    if isinstance(files, dict):
        outline["files"] = {path: part(file) for path, file in files.items()}
        split_keys.append("files")
    originals = document.get("originals")
    if isinstance(originals, dict):
        outline["originals"] = part(originals)
        split_keys.append("originals")
    outline[OUTLINE_KEY] = split_keys
    return outline, parts


def digests_of(outline: Mapping[str, Any]) -> set[str]:
    """Every part digest the outline refers to."""
    split_keys = outline.get(OUTLINE_KEY) or []
    found: set[str] = set()
    if "models" in split_keys:
        found.update(outline["models"])
    if "files" in split_keys:
        found.update(outline["files"].values())
    if "originals" in split_keys:
        found.add(outline["originals"])
    return found


def join(outline: Mapping[str, Any], load: PartLoader) -> dict[str, Any]:
    """The document of ``outline``; ``load(digests)`` gives the parts' content. The document
    shares the parts' objects: treat it as read-only, or deep-copy what you change."""
    if OUTLINE_KEY not in outline:
        return dict(outline)  # stored before outlines existed: already a whole document
    split_keys = outline[OUTLINE_KEY]
    parts = load(digests_of(outline))
    document = {key: value for key, value in outline.items() if key != OUTLINE_KEY}
    if "models" in split_keys:
        document["models"] = [parts[digest] for digest in outline["models"]]
    if "files" in split_keys:
        document["files"] = {path: parts[d] for path, d in outline["files"].items()}
    if "originals" in split_keys:
        document["originals"] = parts[outline["originals"]]
    return document


def model_digests(outline: Mapping[str, Any]) -> list[str] | None:
    """The digests of the outline's models, in order (None when models were not split)."""
    if "models" in (outline.get(OUTLINE_KEY) or []):
        return list(outline["models"])
    return None
