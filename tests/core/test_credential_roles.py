"""Which credential fields the generated code reads, and the checks that they exist."""

import pytest

from designer.core.credential_roles import api_key_variable, endpoint_variable
from designer.core.render import render
from designer.core.validation import validate
from designer.core.yamlio import load_yaml
from tests.core.factories import plugin_document

BASE_URL = "https://api.acme.example/v1"


def provider_fields(document):
    return document["provider"]["provider_credential_schema"]["credential_form_schemas"]


def rename(document, old, new):
    for field in provider_fields(document):
        if field["variable"] == old:
            field["variable"] = new
    return document


def findings(document, path):
    return [(f.level, f.message) for f in validate(document).findings if f.path == path]


def test_the_starter_reads_the_conventional_fields():
    spec = validate(plugin_document()).spec
    assert (api_key_variable(spec), endpoint_variable(spec)) == ("api_key", "endpoint_url")


def test_the_only_secret_field_is_the_key_when_none_is_named():
    spec = validate(rename(plugin_document(), "api_key", "token")).spec
    assert api_key_variable(spec) == "token"


def test_a_named_field_is_read_whatever_else_the_forms_hold():
    document = rename(plugin_document(), "endpoint_url", "base_url")
    document["code"]["endpoint_field"] = "base_url"
    document["code"]["api_key_field"] = "api_key"
    report = validate(document)
    assert report.ok, report.errors
    assert endpoint_variable(report.spec) == "base_url"


def test_a_named_field_that_does_not_exist_is_an_error():
    document = plugin_document()
    document["code"]["api_key_field"] = "nimbus_api_key"
    document["code"]["endpoint_field"] = "base_url"
    assert findings(document, "code.api_key_field") == [
        ("error", "no credential field 'nimbus_api_key': name a field of the forms")
    ]
    assert findings(document, "code.endpoint_field") == [
        ("error", "no credential field 'base_url': name a field of the forms")
    ]


def test_an_openai_compatible_design_without_a_secret_field_is_an_error():
    document = plugin_document()
    fields = provider_fields(document)
    fields[:] = [f for f in fields if f["type"] != "secret-input"]
    assert [level for level, _ in findings(document, "code.api_key_field")] == ["error"]


def test_an_endpoint_field_is_needed_only_without_a_base_url():
    document = rename(plugin_document(), "endpoint_url", "url")
    assert [level for level, _ in findings(document, "code.endpoint_field")] == ["error"]
    document["code"]["base_url"] = BASE_URL
    assert findings(document, "code.endpoint_field") == []


def test_a_key_field_shown_in_clear_is_a_warning():
    document = plugin_document()
    document["code"]["api_key_field"] = "endpoint_url"
    document["code"]["endpoint_field"] = "api_key"
    assert [level for level, _ in findings(document, "code.api_key_field")] == ["warning"]


def test_the_key_and_the_endpoint_cannot_be_one_field():
    document = plugin_document()
    document["code"]["endpoint_field"] = "api_key"
    assert ("error", "the endpoint cannot be the same field as the API key") in findings(
        document, "code.endpoint_field"
    )


def test_a_custom_api_skeleton_needs_no_endpoint():
    document = rename(plugin_document(), "endpoint_url", "url")
    document["code"]["api_style"] = "custom"
    assert findings(document, "code.endpoint_field") == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://api.example.com", "must start with http:// or https://"),
        ("api.example.com/v1", "must start with http:// or https://"),
        ("https:///v1", "has no host, as in https://api.example.com/v1"),
        ("https://api.example.com:port/v1", "is not a URL (Port could not be cast to integer"),
    ],
)
def test_a_base_url_needs_an_http_scheme_and_a_host(url, message):
    document = plugin_document()
    document["code"]["base_url"] = url
    (level, text), *_ = findings(document, "code.base_url")
    assert level == "error" and text.startswith(message), text


def test_a_good_base_url_passes():
    document = plugin_document()
    document["code"]["base_url"] = "http://127.0.0.1:8000/v1"
    assert findings(document, "code.base_url") == []


def test_the_generated_model_form_names_the_fields_as_the_code_reads_them():
    document = rename(rename(plugin_document(), "api_key", "nimbus_api_key"), "endpoint_url", "u")
    document["code"].update(api_key_field="nimbus_api_key", endpoint_field="u", base_url=BASE_URL)
    document["provider"]["configurate_methods"].append("customizable-model")
    report = validate(document)
    assert report.ok, report.errors
    provider = load_yaml(render(report.spec)["provider/demo.yaml"], "provider/demo.yaml")
    fields = {
        f["variable"]: f for f in provider["model_credential_schema"]["credential_form_schemas"]
    }
    assert fields["nimbus_api_key"]["type"] == "secret-input"
    assert fields["u"]["default"] == BASE_URL
    assert "api_key" not in fields and "endpoint_url" not in fields
