"""Validation of a design spec: as strict as Dify's SDK and daemon together, plus warnings.

Errors are what would stop Dify from packaging, installing or loading the plugin; they block a
build. Warnings are likely mistakes Dify does not check (and the daemon's debug-only limits);
real plugins break some on purpose, so they never block.

Each rule is a small function that yields findings for one concern; the rules live in one module
per file of the plugin they check (manifest, provider, models, files) and share ``common``.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import PluginSourceError
from ..findings import Finding, Report, within
from ..limits import MAX_PACKAGE_BYTES
from ..preflight import PREFLIGHT_RULES
from ..render.pieces import piece_findings, skeleton_findings
from ..spec import DesignSpec
from .code import base_url, credential_roles
from .common import Rule, asset_exists, check_i18n, check_path, structure_findings
from .files import carried, model_files, positions
from .incremental import (
    ParsedDocument,
    clear_caches,
    cross_model_findings,
    model_digest,
    own_findings,
    parse_document,
)
from .manifest import (
    manifest_icons,
    manifest_identity,
    manifest_meta,
    manifest_plugins,
    manifest_privacy,
    manifest_resources,
    manifest_texts,
)
from .models import listed_model_types, model_findings, unique_model_ids
from .provider import (
    credential_forms,
    provider_icons,
    provider_identity,
    provider_layout,
    provider_methods,
)

# Rules of the spec as a whole, before each model's own findings (``model_findings``).
SPEC_RULES: list[Rule] = [
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
    base_url,
    credential_roles,
    provider_layout,
    *PREFLIGHT_RULES,
    piece_findings,
    skeleton_findings,
]
# Rules across models (and files), after each model's own findings; cached by what they read
# (``incremental.layout_key``), so a rule added here must read nothing else.
CROSS_MODEL_RULES: list[Rule] = [
    listed_model_types,
    unique_model_ids,
    model_files,
    positions,
    carried,
]
RULES: list[Rule] = [*SPEC_RULES, *CROSS_MODEL_RULES]

__all__ = [
    "CROSS_MODEL_RULES",
    "MAX_PACKAGE_BYTES",
    "RULES",
    "SPEC_RULES",
    "Report",
    "Rule",
    "asset_exists",
    "check_i18n",
    "check_path",
    "clear_caches",
    "load_spec",
    "model_digest",
    "model_findings",
    "structure_findings",
    "validate",
]


def validate(
    document: Mapping[str, Any] | DesignSpec, model_digests: Sequence[str] | None = None
) -> Report:
    """Check a design spec (a document or an already built spec) and report every finding.

    A document's models are parsed and checked once per content (see ``incremental``);
    ``model_digests``, one ``model_digest`` per model in order, saves hashing them again when
    the caller knows them; they are trusted as they are.
    """
    if isinstance(document, DesignSpec):
        spec = document
        own = own_findings(spec)
    else:
        parsed = parse_document(document, model_digests)
        if parsed.spec is None:
            return Report(None, parsed.structure + partial_findings(parsed))
        spec, own = parsed.spec, parsed.model_findings
    findings = [f for rule in SPEC_RULES for f in rule(spec)]
    findings += own
    findings += cross_model_findings(spec, CROSS_MODEL_RULES)
    return Report(spec, findings)


def partial_findings(parsed: ParsedDocument) -> list[Finding]:
    """While the structure is wrong somewhere, the findings of what still parsed: each parsed
    model's own, and the rules of the spec as a whole on the spec without the models that did
    not parse (their findings on models are left out: with a model missing, their indices and
    their view of the models would be wrong)."""
    findings = list(parsed.model_findings)
    if parsed.partial is not None:
        rules = (f for rule in SPEC_RULES for f in rule(parsed.partial))
        findings += [f for f in rules if not within(f.path, "models")]
    return findings


def load_spec(document: Mapping[str, Any]) -> DesignSpec:
    """The spec of a document with no errors, or PluginSourceError naming the first one."""
    report = validate(document)
    if not report.ok:
        first, count = report.errors[0], len(report.errors)
        more = f" (and {count - 1} more errors)" if count > 1 else ""
        raise PluginSourceError(f"{first.path or 'spec'}: {first.message}{more}")
    assert report.spec is not None
    return report.spec  # type: ignore[return-value]
