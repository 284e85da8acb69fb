"""Credential forms agree with the generated code: the endpoint field defaults to the design's
base URL, and generated customizable models come with the model form their code reads."""

import ast

from designer.core.parse import parse_tree
from designer.core.render import render
from designer.core.validation import validate
from designer.core.yamlio import load_yaml

from .plugins import plugin_document, rendered

BASE_URL = "https://api.acme.example/v1"
PROVIDER_YAML = "provider/demo.yaml"


def provider_yaml(tree):
    return load_yaml(tree[PROVIDER_YAML], PROVIDER_YAML)


def fields(schema):
    return {f["variable"]: f for f in schema["credential_form_schemas"]}


def code_base_url(tree):
    for node in ast.parse(tree["models/common.py"]).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "BASE_URL":
            return ast.literal_eval(node.value)
    raise AssertionError("no BASE_URL")


def test_a_base_url_set_after_the_start_becomes_the_endpoint_fields_default():
    document = plugin_document()  # started without a base URL, as the project list does
    assert (
        "default" not in fields(document["provider"]["provider_credential_schema"])["endpoint_url"]
    )
    document["code"]["base_url"] = BASE_URL
    tree = rendered(document)
    endpoint = fields(provider_yaml(tree)["provider_credential_schema"])["endpoint_url"]
    assert endpoint["default"] == BASE_URL == code_base_url(tree)
    assert fields(provider_yaml(tree)["provider_credential_schema"])["api_key"]["type"] == (
        "secret-input"
    )


def test_an_older_endpoint_default_follows_the_base_url():
    document = plugin_document(base_url="https://old.example/v1")
    document["code"]["base_url"] = BASE_URL
    endpoint = fields(provider_yaml(rendered(document))["provider_credential_schema"])
    assert endpoint["endpoint_url"]["default"] == BASE_URL


def test_a_custom_api_keeps_the_fields_as_designed():
    document = plugin_document(api_style="custom", base_url="https://old.example/v1")
    document["code"]["base_url"] = BASE_URL
    endpoint = fields(provider_yaml(rendered(document))["provider_credential_schema"])
    assert endpoint["endpoint_url"]["default"] == "https://old.example/v1"


def test_generated_customizable_models_come_with_the_form_their_code_reads():
    document = plugin_document(base_url=BASE_URL)
    document["provider"]["configurate_methods"].append("customizable-model")
    assert validate(document).ok, validate(document).errors
    schema = provider_yaml(rendered(document))["model_credential_schema"]
    form = fields(schema)
    assert {"api_key", "endpoint_model_name", "mode", "context_size", "vision_support"} <= set(form)
    assert form["endpoint_url"]["default"] == BASE_URL
    assert schema["model"]["label"]["en_US"] == "Model name"


def test_a_designed_model_form_is_kept():
    document = plugin_document(base_url=BASE_URL)
    document["provider"]["configurate_methods"].append("customizable-model")
    own = {
        "model": {"label": {"en_US": "Deployment"}},
        "credential_form_schemas": [
            {"variable": "endpoint_url", "label": {"en_US": "URL"}, "type": "text-input"}
        ],
    }
    document["provider"]["model_credential_schema"] = own
    schema = provider_yaml(rendered(document))["model_credential_schema"]
    assert schema["model"]["label"]["en_US"] == "Deployment"
    assert list(fields(schema)) == ["endpoint_url"]
    assert fields(schema)["endpoint_url"]["default"] == BASE_URL


def test_the_completed_forms_read_back_and_render_the_same_bytes():
    document = plugin_document()
    document["code"]["base_url"] = BASE_URL
    document["provider"]["configurate_methods"].append("customizable-model")
    tree = rendered(document)
    assert render(parse_tree(tree)) == tree
