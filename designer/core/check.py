"""Check a plugin folder, .zip, .difypkg or design spec: every finding, as CI would want them."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

from .archive import read_plugin_source
from .findings import Finding, error
from .parse import parse_tree
from .preflight import tree_findings
from .signing import SignatureError, verify_package
from .specfile import read_spec_document
from .validation import validate


def check_source(source: str | os.PathLike, public_keys: Sequence[bytes] = ()) -> list[Finding]:
    """Every finding of the plugin or spec at `source`; with public keys, a package's signature
    is checked too. Raises PluginSourceError when the source cannot be read at all."""
    path = Path(source)
    if path.is_file() and not zipfile.is_zipfile(path):
        return validate(read_spec_document(path)).findings
    files = read_plugin_source(path)
    findings = validate(parse_tree(files)).findings + tree_findings(files)
    if public_keys:
        findings += _signature_findings(path, public_keys)
    return findings


def _signature_findings(path: Path, public_keys: Sequence[bytes]) -> list[Finding]:
    if not path.is_file():
        return [error("signature", "only a .difypkg file carries a signature")]
    try:
        verify_package(path.read_bytes(), public_keys)
    except SignatureError as exc:
        return [error("signature", str(exc))]
    return []


def finding_line(finding: Finding) -> str:
    return f"{finding.level} {finding.path or '(spec)'}: {finding.message}"
