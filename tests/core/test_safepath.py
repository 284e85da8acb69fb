"""One safe-path rule: whatever validation accepts zips and writes, whatever it refuses does not."""

import pytest

from designer.core.archive import write_tree, zip_tree
from designer.core.errors import PluginSourceError
from designer.core.findings import field_path
from designer.core.safepath import path_problem
from designer.core.validation import validate

from .factories import plugin_document

SAFE = [
    "README.md",
    "docs/a b.md",
    "docs/gpt-4o:latest.yaml",
    "_assets/icon.svg",
    ".difyignore",
    "a/.hidden/b",
    "a/..b/c",
    "...",
    "é/ü.txt",
]
UNSAFE = [
    "",
    "/etc/passwd",
    "C:/x",
    "c:x",
    "..",
    "../x",
    "a/../b",
    "a/./b",
    "./a",
    ".",
    "a//b",
    "a/",
    "a\\b",
    "a\x00b",
    "a\nb",
    "a\x1fb",
    "a\x7fb",
    "a\x85b",
    "a\ud800b",
]


def validation_refuses(path: str) -> bool:
    document = plugin_document()
    document["files"][path] = {"text": "x"}
    findings = validate(document).at(field_path("files", path))
    return any("not a safe path" in f.message for f in findings)


def zipping_refuses(path: str) -> bool:
    try:
        zip_tree({path: b"x"})
    except PluginSourceError:
        return True
    return False


def writing_refuses(path: str, tmp_path) -> bool:
    try:
        write_tree({path: b"x"}, tmp_path / "out")
    except PluginSourceError:
        return True
    return False


@pytest.mark.parametrize("path", SAFE + UNSAFE)
def test_validation_zipping_and_writing_agree(path, tmp_path):
    refused = path in UNSAFE
    assert (path_problem(path) is not None) == refused
    assert validation_refuses(path) == refused
    assert zipping_refuses(path) == refused
    assert writing_refuses(path, tmp_path) == refused


def test_the_reason_is_in_the_finding():
    document = plugin_document()
    document["files"]["a//b"] = {"text": "x"}
    [finding] = validate(document).at('files["a//b"]')
    assert finding.message.endswith("it has an empty segment ('//')")
