"""A design spec parsed part by part, each model and carried file once per content.

A keystroke changes one model of maybe 250; parsing and checking the other 249 again would make
its cost grow with the plugin. So each model is parsed and checked alone and remembered by the
digest of its content (its findings depend on nothing else), each carried file likewise, and only
the rest of the document (manifest, provider, ...) is parsed every time.

Cached objects are shared between reports: nothing may change them (the core never does; it
copies with ``model_copy`` where it needs a variant).
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..findings import Finding, field_path
from ..lru import Lru
from ..parts import canonical_json, content_digest, text_digest
from ..spec import CarriedFile, DesignSpec, Model
from .common import Rule, deduplicated, located_structure_findings
from .files import carried_size
from .models import model_findings

MAX_CACHED = 4096
# Findings are cached at the first model's path and moved to each model's own.
_FIRST = field_path("models", 0)
# pydantic reports structure errors in the order of the spec's fields.
_FIELD_ORDER = {name: i for i, name in enumerate(DesignSpec.model_fields)}


def model_digest(model_document: Mapping[str, Any]) -> str:
    """The cache key of a model: the digest of its content (the same as its stored part's)."""
    return content_digest(model_document)


_MODELS = Lru(MAX_CACHED)
_FILES = Lru(MAX_CACHED)
_LAYOUTS = Lru(64)


def clear_caches() -> None:
    _MODELS.clear()
    _FILES.clear()
    _LAYOUTS.clear()


@dataclass(frozen=True)
class CheckedModel:
    """One model document parsed and checked: the model (None when its structure is wrong) and
    its findings at the first model's path."""

    model: Model | None
    findings: tuple[Finding, ...]
    # The findings moved to each index asked for (a keystroke asks for the same ones again).
    at_index: dict[int, tuple[Finding, ...]] = field(default_factory=dict, compare=False)

    def findings_at(self, index: int) -> list[Finding]:
        if index == 0 or not self.findings:
            return list(self.findings)
        moved = self.at_index.get(index)
        if moved is None:
            prefix, tail = field_path("models", index), len(_FIRST)
            moved = tuple(
                Finding(f.level, prefix + f.path[tail:], f.message) for f in self.findings
            )
            self.at_index[index] = moved
        return list(moved)


def checked_models(documents: list, digests: Sequence[str] | None = None) -> list[CheckedModel]:
    """Each model document parsed and checked, from the cache when its content was seen."""
    keys = digests if digests is not None else [_plain_digest(d) for d in documents]
    checked = _MODELS.get_many(keys)
    for i, hit in enumerate(checked):
        if hit is None:
            checked[i] = _check_model(documents[i])
            if keys[i] is not None:
                _MODELS.put(keys[i], checked[i])
    return checked


def _plain_digest(document: Any) -> str | None:
    """The digest of a document that is plain JSON data, else None (not cached): YAML may give
    keys that are numbers or values that are dates, which JSON would make look like text."""
    try:
        text = canonical_json(document)
    except (TypeError, ValueError):
        return None
    if json.loads(text) != document:
        return None
    return text_digest(text)


def _check_model(document: Any) -> CheckedModel:
    try:
        model = Model.model_validate(document)
    except ValidationError as exc:
        located = located_structure_findings(exc, ("models", 0))
        return CheckedModel(None, tuple(finding for _, finding in located))
    return CheckedModel(model, tuple(model_findings(model, _FIRST)))


def checked_file(value: Any) -> CarriedFile | None:
    """A carried file parsed and checked once per content; None when it is not well formed
    (the whole document's parse then reports it)."""
    key = _file_key(value)
    if key is None:
        return None
    file = _FILES.get(key)
    if file is None:
        try:
            file = CarriedFile.model_validate(value)
        except ValidationError:
            return None
        _FILES.put(key, file)
    return file


def _file_key(value: Any) -> tuple[str, str] | None:
    if isinstance(value, dict) and len(value) == 1:
        [(kind, content)] = value.items()
        if kind in ("text", "base64") and isinstance(content, str):
            return kind, content
    return None


@dataclass
class ParsedDocument:
    """The spec (None when its structure is wrong), its structure errors, and each model's own
    findings in model order (of the models that parsed, when others did not).

    ``partial``: while only some models are wrong, the spec with the models that parsed, so the
    rest of the document is still checked (a price typed as "abc" must not hide a bad name)."""

    spec: DesignSpec | None
    structure: list[Finding]
    model_findings: list[Finding]
    partial: DesignSpec | None = None


def parse_document(
    document: Mapping[str, Any], model_digests: Sequence[str] | None = None
) -> ParsedDocument:
    models = document.get("models", [])
    if not isinstance(models, list):
        return _parse_whole(document)
    if model_digests is not None and len(model_digests) != len(models):
        raise ValueError("model_digests must have one digest per model")
    checked = checked_models(models, model_digests)
    carried = document.get("files")
    files, rest = _split_files(document)
    parsed_models = [c for c in checked if c.model is not None]
    own = [f for i, c in enumerate(checked) if c.model is not None for f in c.findings_at(i)]
    try:
        spec = DesignSpec.model_validate(rest)
    except ValidationError as exc:
        return ParsedDocument(None, _structure(located_structure_findings(exc), checked), own)
    # Attached after validation: the cached models and files are not validated again.
    spec.models = [c.model for c in parsed_models]  # type: ignore[misc]
    if files is not None:
        spec.files = {path: files[path] if path in files else spec.files[path] for path in carried}
    if len(parsed_models) < len(checked):
        return ParsedDocument(None, _structure([], checked), own, partial=spec)
    return ParsedDocument(spec, [], own)


def _parse_whole(document: Mapping[str, Any]) -> ParsedDocument:
    try:
        spec = DesignSpec.model_validate(document)
    except ValidationError as exc:
        located = located_structure_findings(exc)
        return ParsedDocument(None, deduplicated([f for _, f in located]), [])
    return ParsedDocument(spec, [], own_findings(spec))


def own_findings(spec: DesignSpec) -> list[Finding]:
    """Each model's own findings, checked now (for a spec built elsewhere)."""
    return [
        f for i, m in enumerate(spec.models) for f in model_findings(m, field_path("models", i))
    ]


def _split_files(document: Mapping[str, Any]) -> tuple[dict[str, CarriedFile] | None, dict]:
    """The carried files taken from the cache, and the document left to parse (with the
    models, and with the files that are not well formed, so the parse reports them)."""
    rest = {key: value for key, value in document.items() if key != "models"}
    carried = document.get("files")
    if not isinstance(carried, dict):
        return None, rest
    files, unchecked = {}, {}
    for path, value in carried.items():
        file = checked_file(value) if isinstance(path, str) else None
        if file is None:
            unchecked[path] = value
        else:
            files[path] = file
    rest["files"] = unchecked
    return files, rest


def _structure(
    located: list[tuple[str | int, Finding]], checked: list[CheckedModel]
) -> list[Finding]:
    """Structure errors of the document and of its models, in the order of the spec's fields."""
    for i, c in enumerate(checked):
        if c.model is None:
            located += [("models", finding) for finding in c.findings_at(i)]
    last = len(_FIELD_ORDER)  # keys the spec does not have come after its fields
    ranked = sorted(located, key=lambda item: _FIELD_ORDER.get(str(item[0]), last))
    return deduplicated([finding for _, finding in ranked])


def cross_model_findings(spec: DesignSpec, rules: Sequence[Rule]) -> list[Finding]:
    """The findings of the rules across models, once per layout (see ``layout_key``)."""
    key = layout_key(spec)
    findings = _LAYOUTS.get(key)
    if findings is None:
        findings = tuple(finding for rule in rules for finding in rule(spec))
        _LAYOUTS.put(key, findings)
    return list(findings)


def layout_key(spec: DesignSpec) -> tuple:
    """Everything the rules across models read: each model's type, id and file; the provider's
    model types, globs and file; the position lists; each carried file's path and size. A rule
    across models that reads anything else must add it here."""
    plugins = spec.manifest.plugins
    globs = spec.provider.models or {}
    return (
        tuple((m.model_type, m.model, m.path) for m in spec.models),
        tuple(spec.provider.supported_model_types),
        spec.provider.provider,
        tuple(plugins.models) if plugins is not None else None,
        tuple((d, g.position, tuple(g.predefined)) for d, g in globs.items())
        if spec.provider.models is not None
        else None,
        tuple((d, tuple(names)) for d, names in spec.positions.items())
        if spec.positions is not None
        else None,
        tuple((path, carried_size(file)) for path, file in spec.files.items()),
    )
