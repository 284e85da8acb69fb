"""One change to many models at once (the Models page's bulk edits), as one new document.

The document given is read-only (it may share its models with a cache): the result is a new
document sharing every model it does not change, so saving it writes only the changed models.
A model that follows a library definition takes its fields from the library; edits of its
fields are left to the library and said so, while moving and deleting apply to it too.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import layout
from .model_list import number
from .spec import FEATURES, PARAMETER_TEMPLATES
from .validation.models import PRICE_UNITS

MAX_CURRENCY = 10
MOVES = ("up", "down", "top", "bottom")


class BulkEditError(ValueError):
    """The edit asked for cannot be made (an unknown feature, nothing selected...)."""


@dataclass(frozen=True)
class BulkEdit:
    document: dict[str, Any]
    message: str  # what changed, for the person who asked


def bulk_edit(
    document: Mapping[str, Any], indices: Sequence[int], action: str, options: Mapping[str, str]
) -> BulkEdit:
    """Apply ``action`` (see ``ACTIONS``) to the models at ``indices``."""
    models = document.get("models")
    if not isinstance(models, list):
        raise BulkEditError("the spec's models are not a list")
    chosen = sorted({i for i in indices if 0 <= i < len(models) and isinstance(models[i], dict)})
    if not chosen:
        raise BulkEditError("select at least one model")
    if action not in ACTIONS:
        raise BulkEditError("choose what to do with the selected models")
    return ACTIONS[action](dict(document), chosen, options)


# --- edits of each model's fields ------------------------------------------------------------

ModelChange = Callable[[dict], dict | None]  # the changed copy, or None when already so


def change_each(
    document: dict, indices: list[int], change: ModelChange, done: str, unchanged: str
) -> BulkEdit:
    """``change`` applied to each own model; the message counts each outcome."""
    models = list(document["models"])
    changed = same = followed = 0
    for i in indices:
        if models[i].get("library"):
            followed += 1
            continue
        new = change(models[i])
        if new is None:
            same += 1
        else:
            models[i], changed = new, changed + 1
    document["models"] = models
    parts = [f"{done} {plural(changed, 'model')}"]
    if same:
        parts.append(f"{plural(same, 'model')} {unchanged}")
    if followed:
        follow = "follows" if followed == 1 else "follow"
        parts.append(f"{plural(followed, 'model')} {follow} the library: edit it there")
    return BulkEdit(document, "; ".join(parts) + ".")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def chosen_feature(options: Mapping[str, str]) -> str:
    feature = options.get("feature", "")
    if feature not in FEATURES:
        raise BulkEditError("choose a feature")
    return feature


def features_of(model: dict) -> list:
    features = model.get("features")
    return list(features) if isinstance(features, list) else []


def add_feature(document, indices, options) -> BulkEdit:
    feature = chosen_feature(options)

    def add(model):
        features = features_of(model)
        return None if feature in features else {**model, "features": [*features, feature]}

    return change_each(document, indices, add, f"Added {feature} to", "already had it")


def remove_feature(document, indices, options) -> BulkEdit:
    feature = chosen_feature(options)

    def remove(model):
        features = features_of(model)
        if feature not in features:
            return None
        return {**model, "features": [f for f in features if f != feature]}

    return change_each(document, indices, remove, f"Removed {feature} from", "did not have it")


def clear_features(document, indices, options) -> BulkEdit:
    def clear(model):
        if not features_of(model):
            return None
        return {k: v for k, v in model.items() if k != "features"}

    return change_each(document, indices, clear, "Cleared the features of", "had none")


def chosen_template(options: Mapping[str, str]) -> str:
    template = options.get("template", "")
    if template not in PARAMETER_TEMPLATES:
        raise BulkEditError("choose a parameter template")
    return template


def rules_of(model: dict) -> list | None:
    """The model's parameter rules; None for a type without them (only llm has rules)."""
    if model.get("model_type") != "llm":
        return None
    rules = model.get("parameter_rules")
    return list(rules) if isinstance(rules, list) else []


def rule_name(rule: Any) -> Any:
    return rule.get("name") if isinstance(rule, dict) else None


def add_rule(document, indices, options) -> BulkEdit:
    template = chosen_template(options)
    rule = {"name": template, "use_template": template}

    def add(model):
        rules = rules_of(model)
        if rules is None or any(rule_name(r) == template for r in rules):
            return None
        return {**model, "parameter_rules": [*rules, dict(rule)]}

    unchanged = "already had it or are not llm models"
    return change_each(document, indices, add, f"Added the rule {template} to", unchanged)


def replace_rule(document, indices, options) -> BulkEdit:
    """The template's rule in place of the model's rule of that name (added if it had none)."""
    template = chosen_template(options)
    rule = {"name": template, "use_template": template}

    def replace(model):
        rules = rules_of(model)
        if rules is None:
            return None
        names = [rule_name(r) for r in rules]
        if template in names:
            if rules[names.index(template)] == rule:
                return None
            rules[names.index(template)] = dict(rule)
        else:
            rules.append(dict(rule))
        return {**model, "parameter_rules": rules}

    unchanged = "already had it from the template or are not llm models"
    return change_each(document, indices, replace, f"Set the rule {template} on", unchanged)


def remove_rule(document, indices, options) -> BulkEdit:
    template = chosen_template(options)

    def remove(model):
        rules = rules_of(model)
        if not rules or template not in [rule_name(r) for r in rules]:
            return None
        return {**model, "parameter_rules": [r for r in rules if rule_name(r) != template]}

    return change_each(document, indices, remove, f"Removed the rule {template} from", "had none")


def set_pricing(document, indices, options) -> BulkEdit:
    currency = options.get("currency", "").strip().upper()
    unit = options.get("unit", "")
    if unit and number(unit) not in PRICE_UNITS:
        raise BulkEditError("choose a price unit")
    if len(currency) > MAX_CURRENCY or not currency.isalpha() and currency:
        raise BulkEditError("a currency is a code of letters, such as USD or RMB")
    if not currency and not unit:
        raise BulkEditError("give a currency, a price unit or both")
    wanted = {**({"currency": currency} if currency else {}), **({"unit": unit} if unit else {})}

    def price(model):
        pricing = model.get("pricing")
        if not isinstance(pricing, dict) or all(pricing.get(k) == v for k, v in wanted.items()):
            return None
        return {**model, "pricing": {**pricing, **wanted}}

    said = " and ".join(f"{key} {value}" for key, value in wanted.items())
    unchanged = "had it already or have no pricing"
    return change_each(document, indices, price, f"Set the pricing {said} of", unchanged)


def deprecate(document, indices, options) -> BulkEdit:
    def mark(model):
        return None if model.get("deprecated") is True else {**model, "deprecated": True}

    return change_each(document, indices, mark, "Marked as deprecated", "deprecated already")


def undeprecate(document, indices, options) -> BulkEdit:
    def unmark(model):
        if "deprecated" not in model:
            return None
        return {k: v for k, v in model.items() if k != "deprecated"}

    return change_each(document, indices, unmark, "Marked as current", "not deprecated")


# --- order and deletion ------------------------------------------------------------------------


def move(document, indices, options) -> BulkEdit:
    """The selected models one place up or down, or to the top or bottom, among the models of
    their type (Dify orders models within each type)."""
    direction = options.get("direction", "")
    if direction not in MOVES:
        raise BulkEditError("choose where to move the models")
    models = list(document["models"])
    selected = set(indices)
    moved_types = []
    for model_type in dict.fromkeys(str(models[i].get("model_type")) for i in indices):
        slots = [i for i, m in enumerate(models) if type_of(m) == model_type]
        order = reordered(slots, selected, direction)
        if order != slots:
            moved = [models[i] for i in order]
            for slot, model in zip(slots, moved, strict=True):
                models[slot] = model
            moved_types.append(model_type)
    document["models"] = models
    for model_type in moved_types:
        keep_positions_in_model_order(document, model_type)
    where = {"up": "one place up", "down": "one place down"}.get(direction, f"to the {direction}")
    if not moved_types:
        return BulkEdit(document, f"The selected models cannot move {where}.")
    return BulkEdit(document, f"Moved {plural(len(indices), 'model')} {where}.")


def type_of(model: Any) -> str | None:
    return str(model.get("model_type")) if isinstance(model, dict) else None


def reordered(slots: list[int], selected: set[int], direction: str) -> list[int]:
    """``slots`` (model indices of one type, in order) with the selected ones moved."""
    if direction == "top":
        return [i for i in slots if i in selected] + [i for i in slots if i not in selected]
    if direction == "bottom":
        return [i for i in slots if i not in selected] + [i for i in slots if i in selected]
    order = list(slots) if direction == "up" else list(reversed(slots))
    for place in range(1, len(order)):
        if order[place] in selected and order[place - 1] not in selected:
            order[place - 1], order[place] = order[place], order[place - 1]
    return order if direction == "up" else list(reversed(order))


def keep_positions_in_model_order(document: dict, model_type: str) -> None:
    """An imported position list for this type follows the new order of its models."""
    positions = document.get("positions")
    directory = layout.type_dir(str(model_type))
    if isinstance(positions, dict) and isinstance(positions.get(directory), list):
        ids = [m.get("model") for m in document["models"] if type_of(m) == model_type]
        listed = [i for i in ids if i in positions[directory]]
        document["positions"] = {
            **positions,
            directory: listed + [i for i in positions[directory] if i not in listed],
        }


def delete(document, indices, options) -> BulkEdit:
    selected = set(indices)
    models = document["models"]
    document["models"] = [m for i, m in enumerate(models) if i not in selected]
    names = ", ".join(str(models[i].get("model")) for i in indices[:5])
    more = f" and {len(indices) - 5} more" if len(indices) > 5 else ""
    return BulkEdit(document, f"Deleted {plural(len(indices), 'model')}: {names}{more}.")


ACTIONS: dict[str, Callable[[dict, list[int], Mapping[str, str]], BulkEdit]] = {
    "add-feature": add_feature,
    "remove-feature": remove_feature,
    "clear-features": clear_features,
    "add-rule": add_rule,
    "replace-rule": replace_rule,
    "remove-rule": remove_rule,
    "set-pricing": set_pricing,
    "deprecate": deprecate,
    "undeprecate": undeprecate,
    "delete": delete,
}
for _direction in MOVES:
    ACTIONS[f"move-{_direction}"] = lambda document, indices, options, d=_direction: move(
        document, indices, {**options, "direction": d}
    )
