"""The one pipeline: validate -> render -> verify -> package, each step only when asked."""

import io
import zipfile

import pytest

from designer.core.archive import zip_tree
from designer.core.package import packaged_files
from designer.core.pipeline import PipelineError, run_pipeline
from tests.core.factories import plugin_document


def run(document, **options):
    steps = []
    result = run_pipeline(document, on_step=steps.append, **options)
    return result, steps


def names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_rendering_only_gives_the_report_and_the_files():
    result, steps = run(plugin_document())
    assert steps == ["validate", "render"]
    assert result.report.ok and "manifest.yaml" in result.files
    assert (result.source_zip, result.difypkg, result.verification) == (None, None, None)


def test_rendering_only_does_not_stop_at_errors_so_review_can_show_the_draft():
    result, _ = run(plugin_document(version="1.0"))
    assert [f.path for f in result.report.errors] == ["manifest.version"]
    assert "manifest.yaml" in result.files


def test_a_draft_whose_structure_does_not_hold_renders_nothing():
    document = plugin_document()
    document["models"][0]["model_properties"]["context_size"] = "lots"
    result, steps = run(document)
    assert result.report.spec is None and result.files == {}
    assert steps == ["validate"]


def test_packaging_gives_the_source_zip_and_the_difypkg():
    result, steps = run(plugin_document(), package=True)
    assert steps == ["validate", "render", "package"]
    assert result.source_zip == zip_tree(result.files)
    assert names(result.difypkg) == list(packaged_files(result.files))


def test_errors_stop_anything_made_for_dify_naming_the_field():
    with pytest.raises(PipelineError) as raised:
        run(plugin_document(version="1.0"), package=True)
    assert raised.value.step == "validate"
    assert "manifest.version" in str(raised.value)
    assert raised.value.report.errors


def test_verifying_loads_the_plugin_with_difys_sdk_before_packaging():
    result, steps = run(plugin_document(), verify=True, package=True)
    assert steps == ["validate", "render", "verify", "package"]
    assert result.verification.ok and len(result.verification.models) == 2
    assert result.difypkg is not None


def test_the_sdk_checks_what_goes_into_the_package_and_a_failure_says_so():
    # The provider's code is left out of the package by .difyignore: the source folder would
    # load, the installed package would not.
    document = plugin_document()
    document["files"][".difyignore"] = {"text": "provider/*.py\n"}
    steps = []
    with pytest.raises(PipelineError) as raised:
        run_pipeline(document, verify=True, package=True, on_step=steps.append)
    assert raised.value.step == "verify"
    assert str(raised.value).startswith("Dify's SDK cannot load the plugin: ")
    assert steps == ["validate", "render", "verify"]  # nothing packaged
