"""A plugin's models as the Models page lists them: one row per model with its findings count,
searched, filtered and sorted by what a query string asks.

A big plugin has about 250 models; everything here is one pass over them (the findings come
from a validation the caller has already run, with its per-model cache).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .findings import Finding

_MODEL_INDEX = re.compile(r"models\[(\d+)\]")
SORTS = {
    "position": "Position",
    "id": "Id",
    "type": "Type",
    "context": "Context size",
    "price": "Input price",
}


@dataclass(frozen=True)
class ModelRow:
    index: int  # in the spec's list of models
    model: dict  # the model as built (a library reference resolved)
    library: str  # the library definition it follows, or ""
    errors: int
    warnings: int

    @property
    def model_id(self) -> str:
        return str(self.model.get("model", ""))

    @property
    def label(self) -> str:
        label = self.model.get("label")
        return str(label.get("en_US") or "") if isinstance(label, dict) else ""

    @property
    def model_type(self) -> str:
        return str(self.model.get("model_type", ""))

    @property
    def features(self) -> list[str]:
        features = self.model.get("features")
        return [str(f) for f in features] if isinstance(features, list) else []

    @property
    def context_size(self) -> int | None:
        properties = self.model.get("model_properties")
        size = properties.get("context_size") if isinstance(properties, dict) else None
        return size if isinstance(size, int) and not isinstance(size, bool) else None

    @property
    def pricing(self) -> dict:
        pricing = self.model.get("pricing")
        return pricing if isinstance(pricing, dict) else {}

    @property
    def input_price(self) -> Decimal | None:
        return number(str(self.pricing.get("input", "")))

    @property
    def deprecated(self) -> bool:
        return bool(self.model.get("deprecated"))

    def cells(self) -> dict[str, Any]:
        """What the page shows of the row, as a plain mapping (a template reads a mapping's
        keys at once; an object's attributes only after a failed key lookup each)."""
        pricing = self.pricing
        price = ""
        if pricing:
            output = pricing.get("output")
            price = f"{pricing.get('input', '')}{'' if output is None else f' / {output}'}"
            price = f"{price} {pricing.get('currency', '')}".strip()
        context = self.context_size
        return {
            "index": self.index,
            "model_id": self.model_id,
            "label": self.label if self.label != self.model_id else "",
            "model_type": self.model_type,
            "features": ", ".join(self.features),
            "context_size": "" if context is None else context,
            "price": price,
            "library": self.library,
            "deprecated": self.deprecated,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def number(text: str) -> Decimal | None:
    """A finite decimal, or None (empty, not a number, NaN or infinite)."""
    try:
        value = Decimal(text.strip()) if text.strip() else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() else None


def findings_per_model(findings: Iterable[Finding]) -> dict[int, tuple[int, int]]:
    """Model index -> (errors, warnings) of the findings on that model's fields."""
    counts: dict[int, list[int]] = {}
    for finding in findings:
        match = _MODEL_INDEX.match(finding.path)
        if match and finding.path[match.end() : match.end() + 1] in ("", ".", "["):
            count = counts.setdefault(int(match.group(1)), [0, 0])
            count[0 if finding.level == "error" else 1] += 1
    return {index: (errors, warnings) for index, (errors, warnings) in counts.items()}


def model_rows(stored: list, built: list, findings: Iterable[Finding]) -> list[ModelRow]:
    """A row per model: ``stored`` models as the spec has them, ``built`` with references
    resolved (the same length)."""
    counts = findings_per_model(findings)
    rows = []
    for index, (own, model) in enumerate(zip(stored, built, strict=True)):
        if not isinstance(model, dict):
            continue
        library = str(own.get("library") or "") if isinstance(own, dict) else ""
        errors, warnings = counts.get(index, (0, 0))
        rows.append(ModelRow(index, model, library, errors, warnings))
    return rows


@dataclass(frozen=True)
class ModelQuery:
    """What the page's filter form asks; every field empty shows every model by position."""

    q: str = ""
    type: str = ""
    feature: str = ""
    findings: str = ""  # "", "errors", "warnings" (errors or warnings), "none"
    deprecated: str = ""  # "", "yes", "no"
    library: str = ""  # "", "yes", "no"
    context_min: Decimal | None = None
    context_max: Decimal | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sort: str = "position"
    descending: bool = False

    @classmethod
    def of(cls, query: Mapping[str, Any]) -> "ModelQuery":
        def text(key: str) -> str:
            return str(query.get(key) or "").strip()[:200]

        sort = text("sort")
        return cls(
            q=text("q").lower(),
            type=text("type"),
            feature=text("feature"),
            findings=text("findings"),
            deprecated=text("deprecated"),
            library=text("library"),
            context_min=number(text("context_min")),
            context_max=number(text("context_max")),
            price_min=number(text("price_min")),
            price_max=number(text("price_max")),
            sort=sort if sort in SORTS else "position",
            descending=text("order") == "desc",
        )


def shown_rows(rows: list[ModelRow], query: ModelQuery) -> list[ModelRow]:
    """The rows the query keeps, in its order (models without the sorted value last)."""
    kept = [row for row in rows if matches(row, query)]
    if query.sort == "position":
        return kept[::-1] if query.descending else kept
    key = SORT_KEYS[query.sort]
    having = [row for row in kept if key(row) is not None]
    lacking = [row for row in kept if key(row) is None]
    return sorted(having, key=key, reverse=query.descending) + lacking


SORT_KEYS = {
    "id": lambda row: row.model_id.lower(),
    "type": lambda row: row.model_type,
    "context": lambda row: row.context_size,
    "price": lambda row: row.input_price,
}


def matches(row: ModelRow, query: ModelQuery) -> bool:
    return (
        (not query.q or query.q in f"{row.model_id}\n{row.label}".lower())
        and (not query.type or row.model_type == query.type)
        and (not query.feature or query.feature in row.features)
        and _findings_match(row, query.findings)
        and _yes_no(query.deprecated, row.deprecated)
        and _yes_no(query.library, bool(row.library))
        and _within(row.context_size, query.context_min, query.context_max)
        and _within(row.input_price, query.price_min, query.price_max)
    )


def _findings_match(row: ModelRow, wanted: str) -> bool:
    if wanted == "errors":
        return row.errors > 0
    if wanted == "warnings":
        return row.errors + row.warnings > 0
    if wanted == "none":
        return row.errors + row.warnings == 0
    return True


def _yes_no(wanted: str, value: bool) -> bool:
    return wanted not in ("yes", "no") or value == (wanted == "yes")


def _within(value, low: Decimal | None, high: Decimal | None) -> bool:
    if low is None and high is None:
        return True
    return value is not None and (low is None or value >= low) and (high is None or value <= high)
