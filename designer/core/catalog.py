"""Model definitions from LiteLLM's public price and context-window catalog (MIT).

Each catalog entry becomes a design-spec model document. Prices are read from the JSON text as
decimals and scaled exactly (2e-07 per token is 0.2 per 1M tokens, never 0.19999...); an entry
without a price or a context size imports with a warning saying so, never as zero.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import PluginSourceError
from .findings import Finding, warning

MODE_TYPES = {
    "chat": "llm",
    "responses": "llm",
    "completion": "llm",
    "embedding": "text-embedding",
    "rerank": "rerank",
    "audio_transcription": "speech2text",
    "audio_speech": "tts",
    "moderation": "moderation",
}
# supports_* flag -> Dify features (llm only)
FEATURE_FLAGS = {
    "supports_function_calling": ["tool-call", "stream-tool-call"],
    "supports_parallel_function_calling": ["multi-tool-call"],
    "supports_vision": ["vision"],
    "supports_pdf_input": ["document"],
    "supports_audio_input": ["audio"],
    "supports_video_input": ["video"],
    "supports_response_schema": ["structured-output"],
    "supports_reasoning": ["agent-thought"],
}
PER_MILLION = Decimal(1_000_000)
UNIT = "0.000001"
NOT_MODELS = {"sample_spec"}


@dataclass
class CatalogModel:
    key: str  # the catalog's own key
    provider: str  # litellm_provider
    model: dict[str, Any]  # a design-spec model document
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # prices Dify has no field for

    @property
    def model_type(self) -> str:
        return self.model["model_type"]


NUMBER_FIELDS = (
    "input_cost_per_token",
    "output_cost_per_token",
    "max_input_tokens",
    "max_output_tokens",
)


def checked_catalog(text: str | bytes) -> dict[str, Any]:
    """A catalog someone loads, refused with one line saying why when it is not one: not
    JSON, not an object of entries, no entry Dify has a model type for, or a price or token
    count that is not a number."""
    data = read_catalog(text)
    usable = 0
    for key, entry in data.items():
        if key in NOT_MODELS:
            continue
        if not isinstance(entry, dict):
            raise PluginSourceError(f"the catalog entry {key!r} is not an object")
        if MODE_TYPES.get(str(entry.get("mode"))) is None:
            continue
        usable += 1
        for name in NUMBER_FIELDS:
            value = entry.get(name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | Decimal)
            ):
                raise PluginSourceError(
                    f"the catalog entry {key!r} has a {name} that is not a number"
                )
    if not usable:
        kinds = ", ".join(MODE_TYPES)
        raise PluginSourceError(f"no entry of the catalog has a mode Dify has models for ({kinds})")
    return data


def read_catalog(text: str | bytes) -> dict[str, Any]:
    try:
        data = json.loads(text, parse_float=Decimal)
    except ValueError as exc:
        raise PluginSourceError(f"the catalog is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise PluginSourceError("the catalog must map model names to their details")
    return data


def catalog_models(
    data: dict[str, Any],
    *,
    providers: set[str] | None = None,
    model_types: set[str] | None = None,
    today: date | None = None,
) -> list[CatalogModel]:
    """Every entry that maps to a Dify model type, optionally filtered, in catalog order."""
    today = today or date.today()
    found = []
    for key, entry in data.items():
        if key in NOT_MODELS or not isinstance(entry, dict):
            continue
        model_type = MODE_TYPES.get(str(entry.get("mode")))
        provider = str(entry.get("litellm_provider", ""))
        if model_type is None or (providers and provider not in providers):
            continue
        if model_types and model_type not in model_types:
            continue
        found.append(to_model(key, provider, model_type, entry, today))
    return found


def ranked_by_search(models: list[CatalogModel], query: str) -> list[CatalogModel]:
    """The models whose key or id contains ``query`` (any case): exact matches first, then
    those starting with it, then the rest; within each, a match of the catalog key itself
    (``gpt-4o`` before ``azure/gpt-4o``) and shorter keys first, else catalog order."""
    query = query.lower()

    def kind(name: str) -> int:
        return 0 if name == query else 1 if name.startswith(query) else 2

    ranked = []
    for i, model in enumerate(models):
        key, model_id = model.key.lower(), str(model.model.get("model", "")).lower()
        if query in key or query in model_id:
            ranked.append(((min(kind(key), kind(model_id)), kind(key), len(key), i), model))
    return [model for _, model in sorted(ranked, key=lambda item: item[0])]


def to_model(key: str, provider: str, model_type: str, entry: dict, today: date) -> CatalogModel:
    model_id = key.removeprefix(f"{provider}/") if provider else key
    model: dict[str, Any] = {
        "model": model_id,
        "label": {"en_US": model_id},
        "model_type": model_type,
        "model_properties": {},
    }
    warnings: list[str] = []
    # Not the legacy max_tokens: LiteLLM sets it to the output limit when it knows one.
    context = whole_number(entry.get("max_input_tokens"))
    if model_type == "llm":
        model["features"] = features(entry)
        model["model_properties"]["mode"] = (
            "completion" if entry.get("mode") == "completion" else "chat"
        )
        model["parameter_rules"] = llm_rules(whole_number(entry.get("max_output_tokens")), context)
    if model_type in ("llm", "text-embedding", "rerank"):
        if context:
            model["model_properties"]["context_size"] = context
        else:
            warnings.append("the catalog gives no context size: none imported, set it yourself")
    if model_type == "text-embedding":
        model["model_properties"]["max_chunks"] = 1
        warnings.append("the catalog gives no batch size: max_chunks is set to 1")
    pricing, price_warning = token_pricing(entry, model_type)
    if pricing:
        model["pricing"] = pricing
    if price_warning:
        warnings.append(price_warning)
    if is_past(entry.get("deprecation_date"), today):
        model["deprecated"] = True
    return CatalogModel(key, provider, model, warnings, price_notes(entry))


# Cache reads and writes, and the prices above a prompt size: Dify prices a model with one
# input and one output price, so these are kept as the definition's notes.
NOTED_PRICE = re.compile(
    r"^(?:input_cost_per_token|output_cost_per_token|cache_read_input_token_cost"
    r"|cache_creation_input_token_cost)(?:_above_\w+)?$"
)
PRICED_BY_DIFY = ("input_cost_per_token", "output_cost_per_token")


def price_notes(entry: dict) -> list[str]:
    """``key: price USD per 1M tokens`` for each cache and tiered price of ``entry``."""
    notes = []
    for key, value in entry.items():
        price = per_million(value) if isinstance(value, int | float | Decimal) else None
        if key not in PRICED_BY_DIFY and NOTED_PRICE.match(key) and price is not None:
            notes.append(f"{key}: {price} USD per 1M tokens")
    return notes


# The flags a definition's features must agree with (vision, tool calling, structured output,
# audio, video, document): Dify trusts the features, the catalog says what the model takes.
CHECKED_FLAGS = (
    "supports_vision",
    "supports_function_calling",
    "supports_response_schema",
    "supports_audio_input",
    "supports_video_input",
    "supports_pdf_input",
)


def flag_disagreements(definition: dict, entry: dict, where: str) -> list[Finding]:
    """Warnings on ``where`` (the definition's features) for each checked flag the catalog
    entry states and the definition's features contradict."""
    if definition.get("model_type") != "llm":
        return []
    have = set(definition.get("features") or [])
    found = []
    for flag in CHECKED_FLAGS:
        names = FEATURE_FLAGS[flag]
        stated = entry.get(flag)
        if stated is True and not have.intersection(names):
            found.append(warning(where, f"the catalog says the model supports {names[0]} ({flag})"))
        elif stated is False and have.intersection(names):
            found.append(warning(where, f"the catalog says the model has no {names[0]} ({flag})"))
    return found


def features(entry: dict) -> list[str]:
    chosen: list[str] = []
    for flag, names in FEATURE_FLAGS.items():
        if entry.get(flag) is True:
            chosen += [n for n in names if n not in chosen]
    return chosen


def llm_rules(max_output: int | None, context: int | None) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = [
        {"name": "temperature", "use_template": "temperature"},
        {"name": "top_p", "use_template": "top_p"},
    ]
    limit = max_output or context
    if limit:
        rules.append(
            {
                "name": "max_tokens",
                "use_template": "max_tokens",
                "default": min(4096, limit),
                "min": 1,
                "max": limit,
            }
        )
    return rules


def token_pricing(entry: dict, model_type: str) -> tuple[dict | None, str | None]:
    price_in = per_million(entry.get("input_cost_per_token"))
    price_out = per_million(entry.get("output_cost_per_token"))
    if price_in is None:
        other = [
            k for k in entry if k.startswith("input_cost_per_") and k != "input_cost_per_token"
        ]
        if other:
            return (
                None,
                f"priced per {other[0].removeprefix('input_cost_per_')}, not per token: "
                "no pricing imported",
            )
        return None, "the catalog gives no price: no pricing imported"
    pricing = {"input": price_in, "unit": UNIT, "currency": "USD"}
    if model_type != "llm":
        return pricing, None
    if price_out is None:
        return pricing, "the catalog gives no output price: only the input price imported"
    pricing["output"] = price_out
    return pricing, None


def per_million(value: Any) -> str | None:
    """A per-token price as an exact decimal string per 1M tokens."""
    if value is None or isinstance(value, bool):
        return None
    try:
        price = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        return None
    scaled = (price * PER_MILLION).normalize()
    return format(scaled, "f")


def whole_number(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def is_past(value: Any, today: date) -> bool:
    try:
        return date.fromisoformat(str(value)) < today
    except ValueError:
        return False
