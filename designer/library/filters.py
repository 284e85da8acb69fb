"""The library's filters (type, feature, context size, input price, currency, tag,
deprecation, the plugin using it), as the list, the export and a plugin's pick page apply
them to a query string."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages

from designer.core.catalog import MODE_TYPES
from designer.library.models import LibraryModel
from designer.library.uses import Plugin

MODEL_TYPES = sorted(set(MODE_TYPES.values()))


NUMBER_FILTERS = {
    "context_min": "Context ≥",
    "context_max": "Context ≤",
    "price_min": "Input price ≥",
    "price_max": "Input price ≤",
}


def number(text: str) -> Decimal | None:
    """A finite decimal, or None (empty, not a number, NaN or infinite)."""
    try:
        value = Decimal(text) if text else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() else None


def checked_filters(query) -> tuple[dict, list[str]]:
    """The filters with the number ones that are not numbers left out, and a note on each."""
    kept = {key: query.get(key, "") for key in query}
    notes = []
    for key, label in NUMBER_FILTERS.items():
        text = kept.get(key, "").strip()
        if text and number(text) is None:
            kept.pop(key)
            shown = text if len(text) <= 20 else text[:20] + "..."
            notes.append(f"Filter “{label}” ignored: “{shown}” is not a number.")
    return kept, notes


def shown_filters(request) -> dict:
    """The filters for a page, each one ignored shown as a warning above it."""
    query, notes = checked_filters(request.GET)
    for note in notes:
        messages.warning(request, note)
    return query


def matches(item: LibraryModel, query, used: dict[int, set[str]]) -> bool:
    definition = item.definition
    properties = definition.get("model_properties") or {}
    pricing = definition.get("pricing") or {}
    context = properties.get("context_size")
    price = number(str(pricing.get("input", "")))
    checks = [
        not query.get("q") or query["q"].lower() in f"{item.model_id} {item.tags}".lower(),
        not query.get("type") or item.model_type == query["type"],
        not query.get("feature") or query["feature"] in (definition.get("features") or []),
        not query.get("tag") or query["tag"] in item.tag_list,
        not query.get("currency") or pricing.get("currency") == query["currency"],
        not query.get("deprecated")
        or bool(definition.get("deprecated")) == (query["deprecated"] == "yes"),
        used_by_matches(item, query.get("used", ""), used),
    ]
    low, high = number(query.get("context_min", "")), number(query.get("context_max", ""))
    if low is not None or high is not None:
        checks.append(
            isinstance(context, int)
            and (low is None or context >= low)
            and (high is None or context <= high)
        )
    cheapest, dearest = number(query.get("price_min", "")), number(query.get("price_max", ""))
    if cheapest is not None or dearest is not None:
        checks.append(
            price is not None
            and (cheapest is None or price >= cheapest)
            and (dearest is None or price <= dearest)
        )
    return all(checks)


def used_by_matches(item: LibraryModel, wanted: str, used: dict[int, set[str]]) -> bool:
    """``wanted``: "" (any), "yes", "no", or a plugin's key (used by that plugin)."""
    users = used.get(item.pk, set())
    if wanted in ("", "yes", "no"):
        return not wanted or bool(users) == (wanted == "yes")
    return wanted in users


def used_keys(users: dict[int, list[Plugin]]) -> dict[int, set[str]]:
    """Definition pk -> the keys of the plugins using it, as :func:`matches` takes them."""
    return {pk: {p.key for p in plugins} for pk, plugins in users.items()}
