"""What changed between two design-spec documents, and the version bump that fits.

Patch: prices, labels, help and anything else that keeps what users rely on; minor: models,
features or parameter rules added; major: models, features or rules removed, or the credential
forms changed (existing installs must be reconfigured or lose what their apps use). Dify and
the Marketplace refuse a package whose version is already published, so every change bumps.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

Bump = Literal["patch", "minor", "major"]
CREDENTIAL_KEYS = ("provider_credential_schema", "model_credential_schema")
LEVELS: tuple[Bump, ...] = ("patch", "minor", "major")


@dataclass
class ModelChange:
    key: str  # "<model_type>/<model>"
    fields: list[str] = field(default_factory=list)  # changed fields, e.g. "pricing.input"
    features_added: list[str] = field(default_factory=list)
    features_removed: list[str] = field(default_factory=list)
    rules_added: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)


@dataclass
class SpecChanges:
    models_added: list[str] = field(default_factory=list)
    models_removed: list[str] = field(default_factory=list)
    models_changed: list[ModelChange] = field(default_factory=list)
    credentials_changed: bool = False
    other_changed: bool = False  # manifest, provider labels, code, carried files

    @property
    def empty(self) -> bool:
        return not (
            self.models_added
            or self.models_removed
            or self.models_changed
            or self.credentials_changed
            or self.other_changed
        )


def models_by_key(document: dict) -> dict[str, dict]:
    models = document.get("models") or []
    return {f"{m.get('model_type')}/{m.get('model')}": m for m in models if isinstance(m, dict)}


def names(items: Any, key: str | None = None) -> list[str]:
    if not isinstance(items, list):
        return []
    return [str(i.get(key) if key and isinstance(i, dict) else i) for i in items]


def model_change(key: str, old: dict, new: dict) -> ModelChange | None:
    change = ModelChange(key)
    old_features, new_features = names(old.get("features")), names(new.get("features"))
    change.features_added = [f for f in new_features if f not in old_features]
    change.features_removed = [f for f in old_features if f not in new_features]
    old_rules = names(old.get("parameter_rules"), "name")
    new_rules = names(new.get("parameter_rules"), "name")
    change.rules_added = [r for r in new_rules if r not in old_rules]
    change.rules_removed = [r for r in old_rules if r not in new_rules]
    ignored = {"features", "library", "path"}
    change.fields = changed_fields(old, new, ignored)
    if change.fields or change.features_added or change.features_removed:
        return change
    return None


def changed_fields(old: Any, new: Any, ignored: set[str] = frozenset(), path: str = "") -> list:
    """Dotted paths of the leaves that differ (lists compared whole)."""
    if isinstance(old, dict) and isinstance(new, dict):
        rows = []
        for key in list(old) + [k for k in new if k not in old]:
            if key in ignored:
                continue
            rows += changed_fields(old.get(key), new.get(key), set(), f"{path}{key}.")
        return rows
    return [] if old == new else [path.rstrip(".")]


def spec_changes(old: dict, new: dict) -> SpecChanges:
    changes = SpecChanges()
    old_models, new_models = models_by_key(old), models_by_key(new)
    changes.models_added = [k for k in new_models if k not in old_models]
    changes.models_removed = [k for k in old_models if k not in new_models]
    for key in (k for k in new_models if k in old_models):
        change = model_change(key, old_models[key], new_models[key])
        if change:
            changes.models_changed.append(change)
    old_provider, new_provider = old.get("provider") or {}, new.get("provider") or {}
    changes.credentials_changed = any(
        old_provider.get(k) != new_provider.get(k) for k in CREDENTIAL_KEYS
    )
    rest = ("code", "files", "positions")
    changes.other_changed = (
        any(old.get(k) != new.get(k) for k in rest)
        or bool(changed_fields(old.get("manifest") or {}, new.get("manifest") or {}, {"version"}))
        or bool(changed_fields(old_provider, new_provider, set(CREDENTIAL_KEYS)))
    )
    return changes


def suggested_bump(changes: SpecChanges) -> Bump | None:
    """The smallest bump that says what changed; None when nothing did."""
    if changes.empty:
        return None
    changed = changes.models_changed
    if (
        changes.models_removed
        or changes.credentials_changed
        or any(c.features_removed or c.rules_removed for c in changed)
    ):
        return "major"
    if changes.models_added or any(c.features_added or c.rules_added for c in changed):
        return "minor"
    return "patch"


def version_numbers(version: str) -> list[int]:
    """x.y.z of ``version`` (an optional -suffix dropped, missing or odd parts 0)."""
    core = str(version).split("-", 1)[0].split(".")
    return [int(p) if p.isdigit() else 0 for p in (core + ["0", "0", "0"])[:3]]


def bumped(version: str, bump: Bump) -> str:
    """``version`` (x.y.z, an optional -suffix dropped) raised by ``bump``."""
    numbers = version_numbers(version)
    level = LEVELS.index(bump)
    numbers[2 - level] += 1
    for lower in range(3 - level, 3):
        numbers[lower] = 0
    return ".".join(str(n) for n in numbers)


def file_changes(old: dict[str, bytes], new: dict[str, bytes]) -> dict[str, list[str]]:
    """Paths added, removed and changed between two rendered file trees."""
    return {
        "added": sorted(p for p in new if p not in old),
        "removed": sorted(p for p in old if p not in new),
        "changed": sorted(p for p in new if p in old and old[p] != new[p]),
    }


def changes_json(changes: SpecChanges) -> dict[str, Any]:
    return {
        "models_added": changes.models_added,
        "models_removed": changes.models_removed,
        "models_changed": [vars(c) for c in changes.models_changed],
        "credentials_changed": changes.credentials_changed,
        "suggested_bump": suggested_bump(changes),
    }


def manifest_version(document: dict) -> str:
    return str((document.get("manifest") or {}).get("version") or "0.0.0")


@dataclass(frozen=True)
class PendingBump:
    bump: Bump
    version: str  # the version the draft should have
    changes: SpecChanges


def pending_bump(built: dict, draft: dict) -> PendingBump | None:
    """The bump ``draft`` needs over the version ``built`` had: None when nothing changed or
    the draft's version is already at least the bumped one."""
    changes = spec_changes(built, draft)
    bump = suggested_bump(changes)
    if bump is None:
        return None
    target = bumped(manifest_version(built), bump)
    if version_numbers(manifest_version(draft)) >= version_numbers(target):
        return None
    return PendingBump(bump, target, changes)


CHANGELOG_TITLE = "# Changelog\n"


def first_changelog(version: str) -> str:
    """The generated CHANGELOG.md of a plugin nobody has bumped yet."""
    return f"{CHANGELOG_TITLE}\n## {version}\n\n- First release.\n"


def changelog_lines(changes: SpecChanges) -> list[str]:
    """What changed, one line each, in the words a plugin's users read."""
    lines = [f"Added model {key}." for key in changes.models_added]
    lines += [f"Removed model {key}." for key in changes.models_removed]
    for change in changes.models_changed:
        parts = []
        if change.features_added:
            parts.append(f"features added: {', '.join(change.features_added)}")
        if change.features_removed:
            parts.append(f"features removed: {', '.join(change.features_removed)}")
        if change.rules_added:
            parts.append(f"parameters added: {', '.join(change.rules_added)}")
        if change.rules_removed:
            parts.append(f"parameters removed: {', '.join(change.rules_removed)}")
        fields = [f for f in change.fields if f != "parameter_rules"]
        if fields:
            parts.append(f"changed {', '.join(fields)}")
        lines.append(f"{change.key}: {'; '.join(parts) or 'parameters changed'}.")
    if changes.credentials_changed:
        lines.append("The credentials asked for changed: enter them again.")
    if changes.other_changed:
        lines.append("Other improvements.")
    return lines


def changelog_entry(version: str, changes: SpecChanges) -> str:
    body = "".join(f"- {line}\n" for line in changelog_lines(changes))
    return f"## {version}\n\n{body}"


def with_entry(changelog: str, entry: str) -> str:
    """``changelog`` with ``entry`` as its newest section (after its title, if it has one)."""
    text = changelog.strip("\n")
    if text.startswith(CHANGELOG_TITLE.strip()):
        rest = text[len(CHANGELOG_TITLE.strip()) :].strip("\n")
        return f"{CHANGELOG_TITLE}\n{entry.strip()}\n" + (f"\n{rest}\n" if rest else "")
    return f"{CHANGELOG_TITLE}\n{entry.strip()}\n" + (f"\n{text}\n" if text else "")
