"""Test connection, Discover models and the chat box ask for the credentials with the same inputs
(one template, tryout/panel.html#credential_fields), each form with its own ids."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from designer.projects.models import Project
from tests.core.factories import llm_model, plugin_document

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def project(team):
    document = plugin_document([llm_model()])
    fields = document["provider"]["provider_credential_schema"]["credential_form_schemas"]
    fields += [
        {
            "variable": "region",
            "label": {"en_US": "Region"},
            "type": "select",
            "required": True,
            "default": "eu",
            "options": [
                {"value": "us", "label": {"en_US": "US"}},
                {"value": "eu", "label": {"en_US": "Europe"}},
            ],
        },
        {"variable": "api_version", "label": {"en_US": "API version"}, "type": "text-input"},
    ]
    fields[1]["default"] = "https://api.example.com/v1"  # endpoint_url: a design's default
    return Project.objects.create(team=team, name="Demo", spec=document)


class CredentialInputs(HTMLParser):
    """Each credential input's tag and attributes, its id replaced by its label's text."""

    def __init__(self, html: str):
        super().__init__()
        self.labels: dict[str, str] = {}
        self.inputs: list[tuple[str, dict]] = []
        self.label_for = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.label_for = attrs["for"]
            self.labels[self.label_for] = ""
        elif tag in ("input", "select") and attrs.get("name", "").startswith("credential-"):
            self.inputs.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_for = None

    def handle_data(self, data):
        if self.label_for:
            self.labels[self.label_for] += data

    def labelled(self) -> list[tuple[str, str, dict]]:
        return [
            (tag, self.labels[attrs["id"]], {k: v for k, v in attrs.items() if k != "id"})
            for tag, attrs in self.inputs
        ]


def test_the_three_forms_ask_with_the_same_inputs(client, editor, project):
    client.force_login(editor)
    pages = [
        client.get(reverse("tryout:panel", args=[project.pk]), **HX),
        client.get(reverse("playground:discover", args=[project.pk])),
        client.get(reverse("projects:model", args=[project.pk, 0])),
    ]
    forms = [CredentialInputs(page.content.decode()) for page in pages]
    assert forms[0].labelled() == [
        ("input", "API Key *", {"type": "password", "name": "credential-api_key",
                                "autocomplete": "off", "required": None}),
        ("input", "API endpoint URL", {"type": "text", "name": "credential-endpoint_url",
                                       "autocomplete": "off",
                                       "placeholder": "Base URL, e.g. https://api.example.com/v1",
                                       "value": "https://api.example.com/v1"}),
        ("select", "Region *", {"name": "credential-region"}),
        ("input", "API version", {"type": "text", "name": "credential-api_version",
                                  "autocomplete": "off"}),
    ]  # fmt: skip
    assert forms[1].labelled() == forms[0].labelled() == forms[2].labelled()
    ids = [[attrs["id"] for _, attrs in form.inputs] for form in forms]
    assert [form_ids[0] for form_ids in ids] == [
        "tryout-api_key",
        "credential-discover-api_key",
        "credential-chat-api_key",
    ]
    assert 'value="eu" selected' in pages[1].content.decode()
