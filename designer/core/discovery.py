"""Model discovery: what an OpenAI-compatible API's ``GET {endpoint}/models`` lists, matched with
the team's library and the catalog, as models to add to a plugin.

Each listed id becomes a row: a library definition with that id is added by reference; else a
catalog entry gives context size, prices and features; else a minimal model names what is left to
fill in. The listing itself may say a type or a context size (Together, vLLM, Mistral, OpenRouter
do), which fills what the catalog leaves open.
"""

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .catalog import CatalogModel
from .errors import PluginSourceError
from .guarded_get import guarded_get
from .outbound import Allowed, OutboundRefused

MAX_LISTED = 2000  # more is not a model list a person picks from
MAX_ID_LENGTH = 255
MAX_ALTERNATIVES = 8
# Keys some APIs add to a listed model, by what they say.
CONTEXT_KEYS = ("context_length", "context_window", "max_model_len", "max_context_length")
LISTED_TYPES = {
    "chat": "llm",
    "language": "llm",
    "llm": "llm",
    "code": "llm",
    "text-generation": "llm",
    "embedding": "text-embedding",
    "embeddings": "text-embedding",
    "rerank": "rerank",
    "reranker": "rerank",
    "moderation": "moderation",
    "audio": "speech2text",
    "transcribe": "speech2text",
    "tts": "tts",
}
# Words in an id that say what kind of model it is, checked in order (default: llm).
ID_HINTS = (
    ("rerank", "rerank"),
    ("embed", "text-embedding"),
    ("moderation", "moderation"),
    ("whisper", "speech2text"),
    ("transcribe", "speech2text"),
    ("tts", "tts"),
)
MINIMAL_MISSING = {
    "llm": ["context size", "pricing", "features (tool calls, vision, ...)"],
    "text-embedding": ["context size", "max chunks", "pricing"],
    "rerank": ["context size", "pricing"],
    "tts": ["voices", "pricing"],
}


class DiscoveryError(PluginSourceError):
    """The API's answer is not a model list; the message says what it is instead."""


@dataclass(frozen=True)
class Listed:
    """One model as the API lists it."""

    id: str
    owned_by: str = ""
    model_type: str | None = None  # when the listing says it
    context_size: int | None = None  # when the listing says it


@dataclass
class Match:
    """A listed model and what the designer would add for it."""

    listed: Listed
    model_type: str
    source: str  # "library", "catalog" or "minimal"
    model: dict[str, Any]  # the design-spec model document to add
    library_pk: int | None = None
    catalog_key: str | None = None
    alternatives: list[str] = field(default_factory=list)  # other catalog keys that fit
    missing: list[str] = field(default_factory=list)  # what is left to fill in
    notes: list[str] = field(default_factory=list)
    in_plugin: bool = False

    @property
    def id(self) -> str:
        return self.listed.id


def models_url(endpoint: str) -> str:
    return f"{endpoint.rstrip('/')}/models"


def fetch_listing(
    endpoint: str, api_key: str | None, allowed: Allowed, *, timeout: float = 15.0
) -> list[Listed]:
    """The models the API lists for this key; DiscoveryError (or the guard's OutboundRefused)
    saying why not, never with the key in it."""
    url = models_url(endpoint)
    headers = {"Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    try:
        response = guarded_get(url, headers, allowed, timeout=timeout)
    except OutboundRefused as error:
        raise OutboundRefused(without(str(error), api_key)) from None
    except (OSError, ValueError) as error:
        raise DiscoveryError(without(f"the call to {url} failed: {error}", api_key)) from None
    if response.status != 200:
        said = provider_message(response.body)
        message = f"the API answered HTTP {response.status}" + (f": {said}" if said else "")
        raise DiscoveryError(without(message, api_key))
    return read_listing(response.body)


def provider_message(body: bytes) -> str:
    """The message of an OpenAI-style error answer (``{"error": {"message"}}``), short."""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    error = data.get("error") if isinstance(data, dict) else None
    message = error.get("message") if isinstance(error, dict) else error
    return " ".join(str(message).split())[:300] if message else ""


def without(text: str, secret: str | None) -> str:
    """``text`` with the secret blanked out, should an API have echoed it back."""
    return text.replace(secret, "***") if secret and len(secret) >= 4 else text


def read_listing(body: bytes | str) -> list[Listed]:
    """The models of an OpenAI-style list (``{"data": [...]}``, or a bare list as some APIs
    answer), in the API's order, each id once."""
    try:
        data = json.loads(body)
    except ValueError:
        raise DiscoveryError("the API did not answer with JSON") from None
    rows = data.get("data") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise DiscoveryError('the API answered JSON without a model list (no "data" list)')
    if len(rows) > MAX_LISTED:
        raise DiscoveryError(f"the API lists {len(rows)} models, more than {MAX_LISTED}")
    found: dict[str, Listed] = {}
    for row in rows:
        listed = listed_model(row)
        if listed is not None and listed.id not in found:
            found[listed.id] = listed
    return list(found.values())


def listed_model(row: Any) -> Listed | None:
    if not isinstance(row, dict) or not isinstance(row.get("id"), str):
        return None
    model_id = row["id"].strip()
    if not model_id or len(model_id) > MAX_ID_LENGTH or not model_id.isprintable():
        return None
    kind = row.get("type")
    context = next((row[k] for k in CONTEXT_KEYS if positive_int(row.get(k))), None)
    return Listed(
        id=model_id,
        owned_by=str(row.get("owned_by") or "")[:100],
        model_type=LISTED_TYPES.get(kind.lower()) if isinstance(kind, str) else None,
        context_size=context,
    )


def positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def guessed_type(listed: Listed) -> str:
    if listed.model_type:
        return listed.model_type
    lowered = listed.id.lower()
    return next((kind for word, kind in ID_HINTS if word in lowered), "llm")


class CatalogIndex:
    """Catalog entries by the id an API would list them under: the key without its provider
    (``deepseek/deepseek-chat`` is ``deepseek-chat``), compared without case, and by the last
    part of a path-like id (``meta-llama/Llama-3.1-8B`` is also ``llama-3.1-8b``)."""

    def __init__(self, entries: Iterable[CatalogModel]):
        self.by_id: dict[str, list[CatalogModel]] = {}
        self.by_tail: dict[str, list[CatalogModel]] = {}
        self.providers: set[str] = set()
        for entry in entries:
            model_id = str(entry.model["model"]).lower()
            self.by_id.setdefault(model_id, []).append(entry)
            self.by_tail.setdefault(model_id.rsplit("/", 1)[-1], []).append(entry)
            self.providers.add(entry.provider)

    def candidates(self, model_id: str, provider: str | None = None) -> list[CatalogModel]:
        """The entries that fit ``model_id``, best first: the exact id before the same last
        part, the endpoint's own provider first, then an entry whose key is the id itself
        (LiteLLM's first-party entries), then catalog order."""
        lowered = model_id.lower()
        exact = self.by_id.get(lowered, [])
        tail = [e for e in self.by_tail.get(lowered.rsplit("/", 1)[-1], []) if e not in exact]

        def rank(entry: CatalogModel) -> tuple[bool, bool]:
            return (entry.provider != provider, entry.key.lower() != lowered)

        return sorted(exact, key=rank) + sorted(tail, key=rank)

    def provider_for(self, endpoint: str | None) -> str | None:
        """The catalog provider the endpoint's host names (``api.deepseek.com``: deepseek;
        ``api.fireworks.ai``: fireworks_ai), if any."""
        host = (urlsplit(endpoint or "").hostname or "").lower()
        labels = set(host.split("."))
        for provider in sorted(self.providers):
            if provider in labels or provider.removesuffix("_ai") in labels:
                return provider
        return None


def match_models(
    listed: list[Listed],
    library: list[tuple[int, dict]],
    catalog: CatalogIndex,
    *,
    endpoint: str | None = None,
    present: set[tuple[str, str]] | None = None,
) -> list[Match]:
    """One Match per listed model. ``library`` is the team's (pk, definition) pairs,
    ``present`` the (model type, id) pairs the plugin already has."""
    provider = catalog.provider_for(endpoint)
    present = present or set()
    matches = []
    for item in listed:
        found = (
            library_match(item, library)
            or catalog_match(item, catalog, provider)
            or minimal_match(item)
        )
        found.in_plugin = (found.model_type, item.id) in present
        matches.append(found)
    return matches


def library_match(listed: Listed, library: list[tuple[int, dict]]) -> Match | None:
    same = [(pk, d) for pk, d in library if str(d.get("model", "")) == listed.id]
    same = same or [
        (pk, d) for pk, d in library if str(d.get("model", "")).lower() == listed.id.lower()
    ]
    if not same:
        return None
    wanted = guessed_type(listed)
    pk, definition = next(((pk, d) for pk, d in same if d.get("model_type") == wanted), same[0])
    model = {**copy.deepcopy(definition), "library": str(pk)}
    model_type = str(definition.get("model_type", ""))
    notes = (
        []
        if definition.get("model") == listed.id
        else [f"the library's id is {definition.get('model')}, the API lists {listed.id}"]
    )
    return Match(listed, model_type, "library", model, library_pk=pk, notes=notes)


def catalog_match(listed: Listed, catalog: CatalogIndex, provider: str | None) -> Match | None:
    candidates = catalog.candidates(listed.id, provider)
    if listed.model_type:
        candidates = [c for c in candidates if c.model_type == listed.model_type]
    if not candidates:
        return None
    return catalog_entry_match(listed, candidates[0], [c.key for c in candidates[1:]])


def catalog_entry_match(listed: Listed, entry: CatalogModel, alternatives: list[str]) -> Match:
    """``entry``'s model under the id the API lists (the catalog may spell it otherwise)."""
    model = copy.deepcopy(entry.model)
    model["model"] = listed.id
    model["label"] = {"en_US": listed.id}
    missing = list(entry.warnings)
    notes = []
    properties = model.setdefault("model_properties", {})
    if (
        listed.context_size
        and "context_size" not in properties
        and entry.model_type
        in (
            "llm",
            "text-embedding",
            "rerank",
        )
    ):
        properties["context_size"] = listed.context_size
        missing = [m for m in missing if "context size" not in m]
        notes.append("context size from the API's listing")
    return Match(
        listed,
        entry.model_type,
        "catalog",
        model,
        catalog_key=entry.key,
        alternatives=alternatives[:MAX_ALTERNATIVES],
        missing=missing,
        notes=notes,
    )


def minimal_match(listed: Listed) -> Match:
    model_type = guessed_type(listed)
    model: dict[str, Any] = {
        "model": listed.id,
        "label": {"en_US": listed.id},
        "model_type": model_type,
        "model_properties": {},
    }
    if model_type == "llm":
        model["model_properties"]["mode"] = "chat"
        model["parameter_rules"] = []
    missing = list(MINIMAL_MISSING.get(model_type, ["pricing"]))
    notes = [] if listed.model_type else [f"type guessed from the id: {model_type}"]
    if listed.context_size and model_type in ("llm", "text-embedding", "rerank"):
        model["model_properties"]["context_size"] = listed.context_size
        missing.remove("context size")
        notes.append("context size from the API's listing")
    return Match(listed, model_type, "minimal", model, missing=missing, notes=notes)


def with_catalog_entry(match: Match, entry: CatalogModel) -> Match:
    """``match`` made from another catalog entry the person chose among its alternatives."""
    others = [k for k in [match.catalog_key, *match.alternatives] if k and k != entry.key]
    chosen = catalog_entry_match(match.listed, entry, others)
    chosen.in_plugin = match.in_plugin
    return chosen
