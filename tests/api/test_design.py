"""GET /metadata and POST /render."""

import io
import json
import zipfile

import jsonschema
import pytest

from designer.core.sdk_check import load_tree_with_sdk
from designer.core.yamlio import dump_yaml
from tests.api.conftest import assert_problem
from tests.core.factories import plugin_document

pytestmark = pytest.mark.django_db


def test_metadata_lists_what_a_spec_may_say(anonymous):
    response = anonymous.get("/metadata")
    assert response.status_code == 200
    meta = response.json()
    assert {"model_type": "text-embedding", "directory": "text_embedding"} in meta["model_types"]
    assert "structured-output" in meta["features"]
    temperature = meta["parameter_templates"]["temperature"]
    assert (temperature["default"], temperature["min"], temperature["max"]) == (0.0, 0.0, 1.0)
    assert "secret-input" in meta["credential_form_types"]
    assert [s["name"] for s in meta["api_styles"]] == ["openai-compatible", "custom"]
    assert "zh_Hans" in meta["languages"]
    assert meta["limits"]["max_archive_bytes"] == 50 * 1024 * 1024
    assert meta["limits"]["rate_limit"]["requests"] > 0
    jsonschema.validate(plugin_document(), meta["design_spec_schema"])


def zip_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_json_spec_renders_into_the_source_zip(as_viewer):
    response = as_viewer.post_json("/render", plugin_document())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="demo-0.0.1.zip"'
    files = zip_files(response.content)
    assert "manifest.yaml" in files and "models/llm/demo-chat.yaml" in files


def test_a_yaml_spec_renders_into_the_difypkg(as_viewer):
    body = dump_yaml(plugin_document())
    response = as_viewer.post("/render?format=difypkg", data=body, content_type="application/yaml")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('demo-0.0.1.difypkg"')
    assert "manifest.yaml" in zip_files(response.content)


@pytest.mark.sdk
def test_the_rendered_plugin_loads_in_dify_sdk(as_viewer):
    response = as_viewer.post_json("/render", plugin_document())
    load = load_tree_with_sdk(zip_files(response.content))
    assert load.ok, load.error
    assert len(load.models) == 2


def test_a_spec_with_errors_gets_422_with_its_findings(as_viewer):
    body = assert_problem(as_viewer.post_json("/render", plugin_document(version="one")), 422)
    assert all(finding.keys() == {"level", "path", "message"} for finding in body["findings"])
    errors = [f["path"] for f in body["findings"] if f["level"] == "error"]
    assert "manifest.version" in errors


def test_a_structurally_broken_spec_gets_422(as_viewer):
    body = assert_problem(as_viewer.post_json("/render", {"spec_version": 1}), 422)
    assert {f["path"] for f in body["findings"]} >= {"manifest", "provider"}


def alias_bomb(levels: int = 9) -> bytes:
    """Each level refers ten times to the one before: 10**levels nodes once expanded."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]")
    return "\n".join(lines).encode()


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"", "application/json"),
        (b"{not json", "application/json"),
        (b"- a list\n- not a spec\n", "application/yaml"),
        (b"a: !!python/object/apply:os.system [echo]\n", "application/yaml"),
        (alias_bomb(), "application/yaml"),
    ],
    ids=["empty", "bad-json", "not-a-mapping", "python-tag", "alias-bomb"],
)
def test_unreadable_bodies_get_400(as_viewer, body, content_type):
    assert_problem(as_viewer.post("/render", data=body, content_type=content_type), 400)


def test_render_needs_a_token(anonymous):
    assert_problem(anonymous.post_json("/render", plugin_document()), 401)


def test_a_wrong_format_is_a_422(as_viewer):
    assert_problem(as_viewer.post_json("/render?format=tar", plugin_document()), 422)


def test_the_openapi_document_and_docs_are_served(anonymous):
    document = anonymous.get("/openapi.json").json()
    assert "/api/v1/projects/{project_id}/spec" in document["paths"]
    assert anonymous.get("/docs").status_code == 200


def test_unknown_addresses_and_a_too_large_body_are_problems(as_viewer, settings):
    assert_problem(as_viewer.get("/nothing/here"), 404)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    big = json.dumps({"padding": "x" * 200})
    assert_problem(as_viewer.post("/render", data=big, content_type="application/json"), 413)


def test_a_method_an_endpoint_lacks_is_a_405_problem(as_viewer):
    response = as_viewer.request("delete", "/projects")
    assert_problem(response, 405)
    assert "GET" in response["Allow"]
