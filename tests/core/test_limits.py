"""The core's limits: one YAML file of a plugin is bounded, a design spec only by the package."""

import pytest

from designer.core import archive, limits, package, yamlio
from designer.core.errors import PluginSourceError
from designer.core.package import difypkg_bytes
from designer.core.render import render
from designer.core.specfile import read_spec_document, spec_yaml
from designer.core.validation import load_spec, validate

from .factories import plugin_document


def test_every_module_uses_the_one_package_limit():
    assert archive.MAX_TOTAL_BYTES == package.MAX_PACKAGE_BYTES == limits.MAX_PACKAGE_BYTES
    assert yamlio.MAX_YAML_BYTES == limits.MAX_YAML_BYTES


def big_spec_document(size: int) -> dict:
    document = plugin_document()
    document["files"]["docs/notes.md"] = {"text": "x" * size}
    return document


def test_a_spec_larger_than_one_yaml_file_may_be_is_read_and_builds(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_bytes(spec_yaml(load_spec(big_spec_document(3 * limits.MAX_YAML_BYTES))))
    assert path.stat().st_size > limits.MAX_YAML_BYTES
    report = validate(read_spec_document(path))
    assert report.ok, report.errors
    files = render(report.spec)
    assert len(files["docs/notes.md"]) == 3 * limits.MAX_YAML_BYTES
    assert difypkg_bytes(files)


def test_a_spec_beyond_the_spec_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_bytes(b"a: " + b"x" * limits.MAX_SPEC_BYTES + b"\n")
    with pytest.raises(PluginSourceError, match=r"^spec.yaml: larger than 100 MB$"):
        read_spec_document(path)


def test_one_yaml_file_of_a_plugin_keeps_its_own_limit():
    data = b"a: " + b"x" * limits.MAX_YAML_BYTES + b"\n"
    with pytest.raises(PluginSourceError, match="larger than 2 MB"):
        yamlio.load_yaml(data, "models/llm/big.yaml")
    assert yamlio.load_yaml(data, "spec.yaml", max_bytes=limits.MAX_SPEC_BYTES)["a"]
