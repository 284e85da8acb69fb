"""The JSON Schema of the design-spec document, published as docs/design-spec.schema.json."""

import json

from .spec import SPEC_VERSION, DesignSpec


def design_spec_schema() -> dict:
    schema = DesignSpec.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://dify-plugin-designer.local/design-spec/v{SPEC_VERSION}.schema.json",
        **schema,
    }


def design_spec_schema_json() -> str:
    return json.dumps(design_spec_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
