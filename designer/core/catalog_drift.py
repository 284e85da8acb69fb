"""Where a library definition imported from the catalog now differs from its catalog entry in
what the catalog knows better than the person (price, context size, features), and the
definition brought up to date with the entry, everything else kept as the person left it."""

from decimal import Decimal, InvalidOperation
from typing import Any

from .catalog import FEATURE_FLAGS

CATALOG_FEATURES = {name for names in FEATURE_FLAGS.values() for name in names}
PRICE_FIELDS = ("input", "output", "unit", "currency")


def same_value(a: Any, b: Any) -> bool:
    """Prices compare as numbers ("0.20" is "0.2"), anything else as it is."""
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return a == b


def catalog_features(definition: dict) -> list[str]:
    return [f for f in definition.get("features") or [] if f in CATALOG_FEATURES]


def drift(definition: dict, fresh: dict) -> list[tuple[str, Any, Any]]:
    """(what, the definition's value, the entry's value) for each difference; what the entry
    does not state is no difference."""
    rows = []
    pricing, fresh_pricing = definition.get("pricing") or {}, fresh.get("pricing") or {}
    for name in PRICE_FIELDS:
        if name in fresh_pricing and not same_value(pricing.get(name), fresh_pricing[name]):
            rows.append((f"pricing.{name}", pricing.get(name), fresh_pricing[name]))
    context = (definition.get("model_properties") or {}).get("context_size")
    fresh_context = (fresh.get("model_properties") or {}).get("context_size")
    if fresh_context is not None and context != fresh_context:
        rows.append(("context_size", context, fresh_context))
    if fresh.get("model_type") == "llm":
        have, stated = catalog_features(definition), fresh.get("features") or []
        if set(have) != set(stated):
            rows.append(("features", ", ".join(have), ", ".join(stated)))
    return rows


def updated(definition: dict, fresh: dict) -> dict:
    """``definition`` with the entry's price, context size and catalog features."""
    result = {**definition}
    if fresh.get("pricing"):
        result["pricing"] = {**(definition.get("pricing") or {}), **fresh["pricing"]}
    fresh_context = (fresh.get("model_properties") or {}).get("context_size")
    if fresh_context is not None:
        result["model_properties"] = {
            **(definition.get("model_properties") or {}),
            "context_size": fresh_context,
        }
    if fresh.get("model_type") == "llm":
        own = [f for f in definition.get("features") or [] if f not in CATALOG_FEATURES]
        result["features"] = (fresh.get("features") or []) + own
    return result
