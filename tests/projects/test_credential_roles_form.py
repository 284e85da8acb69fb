"""The Provider form names the credential fields the generated code reads as key and endpoint."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FIELDS = "provider.provider_credential_schema.credential_form_schemas"


def save(client, project, data):
    url = reverse("projects:save", args=[project.pk, "provider"])
    return client.post(url, {"_version": project.version, **data}, headers={"HX-Request": "true"})


def provider_page(client, project) -> str:
    return client.get(reverse("projects:provider", args=[project.pk])).content.decode()


def test_the_form_offers_the_credential_fields_and_shows_the_conventional_ones(
    client, editor, project
):
    client.force_login(editor)
    body = provider_page(client, project)
    assert 'name="code.api_key_field"' in body and 'placeholder="api_key"' in body
    assert 'name="code.endpoint_field"' in body and 'placeholder="endpoint_url"' in body
    assert '<option value="api_key"><option value="endpoint_url">' in body


def test_renaming_the_secret_field_makes_it_the_key_shown(client, editor, project):
    client.force_login(editor)
    save(client, project, {f"{FIELDS}[0].variable": "nimbus_api_key"})
    project.refresh_from_db()
    assert 'placeholder="nimbus_api_key"' in provider_page(client, project)


def test_choosing_the_fields_saves_them_and_a_missing_one_is_flagged_on_its_input(
    client, editor, project
):
    client.force_login(editor)
    body = save(client, project, {"code.endpoint_field": "base_url"}).content.decode()
    project.refresh_from_db()
    assert project.spec["code"]["endpoint_field"] == "base_url"
    assert '"path": "code.endpoint_field"' in body
    assert "no credential field 'base_url'" in body
    project.refresh_from_db()
    body = save(client, project, {f"{FIELDS}[1].variable": "base_url"}).content.decode()
    assert '"path": "code.endpoint_field"' not in body
    project.refresh_from_db()
    save(client, project, {"code.endpoint_field": ""})
    project.refresh_from_db()
    assert "endpoint_field" not in project.spec["code"]
