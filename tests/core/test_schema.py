"""The published JSON Schema of the design spec is current and describes real documents."""

from pathlib import Path

import jsonschema
import pytest

from designer.core.parse import import_plugin
from designer.core.schema import design_spec_schema, design_spec_schema_json
from tests.core.factories import plugin_document

PUBLISHED = Path(__file__).resolve().parents[2] / "docs" / "design-spec.schema.json"
FIXTURES = Path("/work/shared/fixtures/dify-official-plugins")


def test_the_published_schema_is_current():
    assert PUBLISHED.read_text() == design_spec_schema_json(), (
        "run: python manage.py spec_schema --out docs/design-spec.schema.json"
    )


@pytest.mark.parametrize("name", ["anthropic", "jina", "openai", "openai_api_compatible"])
def test_imported_plugins_are_valid_against_the_schema(name):
    jsonschema.validate(import_plugin(FIXTURES / name).to_document(), design_spec_schema())


def test_a_designed_plugin_is_valid_against_the_schema():
    jsonschema.validate(plugin_document(), design_spec_schema())


@pytest.mark.parametrize(
    "change",
    [
        {"spec_version": 2},
        {"models": [{"model": "m", "model_type": "llm", "model_properties": {"moood": "chat"}}]},
        {"code": {"api_style": "soap"}},
        {"manifest": None},
    ],
)
def test_documents_with_a_wrong_structure_are_refused_by_the_schema(change):
    document = {**plugin_document(), **change}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, design_spec_schema())
