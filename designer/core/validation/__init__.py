"""Validation of a design spec: as strict as Dify's SDK and daemon together, plus warnings.

Errors are what would stop Dify from packaging, installing or loading the plugin; they block a
build. Warnings are likely mistakes Dify does not check (and the daemon's debug-only limits);
real plugins break some on purpose, so they never block.

Each rule is a small function that yields findings for one concern; the rules live in one module
per file of the plugin they check (manifest, provider, models, files) and share ``common``.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from ..errors import PluginSourceError
from ..findings import Finding, Report
from ..limits import MAX_PACKAGE_BYTES
from ..spec import DesignSpec
from .common import asset_exists, check_i18n, check_path, structure_findings
from .files import carried, model_files, positions
from .manifest import (
    manifest_icons,
    manifest_identity,
    manifest_meta,
    manifest_plugins,
    manifest_privacy,
    manifest_resources,
    manifest_texts,
)
from .models import model_entities, parameter_rules, pricing
from .provider import (
    credential_forms,
    provider_icons,
    provider_identity,
    provider_layout,
    provider_methods,
)

Rule = Callable[[DesignSpec], Iterable[Finding]]

RULES: list[Rule] = [
    manifest_identity,
    manifest_texts,
    manifest_icons,
    manifest_resources,
    manifest_plugins,
    manifest_meta,
    manifest_privacy,
    provider_identity,
    provider_icons,
    provider_methods,
    credential_forms,
    provider_layout,
    model_entities,
    parameter_rules,
    pricing,
    model_files,
    positions,
    carried,
]

__all__ = [
    "MAX_PACKAGE_BYTES",
    "RULES",
    "Report",
    "Rule",
    "asset_exists",
    "check_i18n",
    "check_path",
    "load_spec",
    "structure_findings",
    "validate",
]


def validate(document: Mapping[str, Any] | DesignSpec) -> Report:
    """Check a design spec (a document or an already built spec) and report every finding."""
    if isinstance(document, DesignSpec):
        spec = document
    else:
        try:
            spec = DesignSpec.model_validate(document)
        except ValidationError as exc:
            return Report(None, structure_findings(exc))
    findings = [finding for rule in RULES for finding in rule(spec)]
    return Report(spec, findings)


def load_spec(document: Mapping[str, Any]) -> DesignSpec:
    """The spec of a document with no errors, or PluginSourceError naming the first one."""
    report = validate(document)
    if not report.ok:
        first, count = report.errors[0], len(report.errors)
        more = f" (and {count - 1} more errors)" if count > 1 else ""
        raise PluginSourceError(f"{first.path or 'spec'}: {first.message}{more}")
    assert report.spec is not None
    return report.spec  # type: ignore[return-value]
