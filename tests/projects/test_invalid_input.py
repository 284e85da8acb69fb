"""Invalid input of every field type: saved as typed (nothing lost) and reported on its field."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CREDENTIALS = "provider.provider_credential_schema.credential_form_schemas"
RULE = "models[0].parameter_rules[2]"


@pytest.mark.parametrize(
    ("section", "name", "value", "finding"),
    [
        ("plugin", "manifest.version", "one", "manifest.version"),  # text with a format
        ("plugin", "manifest.name", "Not Valid", "manifest.name"),
        ("plugin", "manifest.label.en_US", "", "manifest.label"),  # required text
        ("provider", "provider.background", "blue", "provider.background"),  # colour
        ("provider", "code.api_style", "soap", "code.api_style"),  # select off its list
        (
            "provider",
            "provider.supported_model_types:list",
            "chatbot",
            "provider.supported_model_types",
        ),
        ("provider", f"{CREDENTIALS}[0].type", "textbox", f"{CREDENTIALS}[0].type"),
        (
            "provider",
            f"{CREDENTIALS}[0].show_on[0].variable",
            "nope",
            f"{CREDENTIALS}[0].show_on[0]",
        ),
        (
            "model",
            "models[0].model_properties.context_size:int",
            "8k",
            "models[0].model_properties",
        ),
        ("model", f"{RULE}.max:number", "lots", f"{RULE}.max"),  # decimal number
        ("model", f"{RULE}.default:auto", "9999", f"{RULE}"),  # above max
        ("model", "models[0].features:list", "telepathy", "models[0].features"),
        ("model", "models[0].pricing.input", "cheap", "models[0].pricing.input"),
    ],
)
def test_bad_input_is_kept_and_reported_on_its_field(
    client, editor, project, section, name, value, finding
):
    client.force_login(editor)
    if section == "model":
        url = reverse("projects:save_model", args=[project.pk, 0])
    else:
        url = reverse("projects:save", args=[project.pk, section])
    body = client.post(url, {"_version": "1", name: value}).content.decode()
    assert f'"path": "{finding}' in body, body[-800:]
    project.refresh_from_db()
    assert project.version == 2  # the draft was saved as typed
