import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["projects:plugin", "projects:provider", "projects:models", "projects:review"]


@pytest.mark.parametrize("name", PAGES)
def test_every_section_renders_for_a_viewer_without_edit_controls(client, viewer, project, name):
    client.force_login(viewer)
    response = client.get(reverse(name, args=[project.pk]))
    assert response.status_code == 200
    assert b"Add a model" not in response.content


@pytest.mark.parametrize("name", PAGES)
def test_another_team_gets_404_on_every_section(client, outsider, project, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[project.pk])).status_code == 404


def test_the_plugin_page_shows_the_manifest_and_its_fields(client, editor, project):
    client.force_login(editor)
    body = client.get(reverse("projects:plugin", args=[project.pk])).content.decode()
    assert 'name="manifest.label.en_US"' in body
    assert 'value="Demo AI"' in body
    assert "manifest.yaml" in body
    assert 'class="y-k">author:</span>' in body


def test_the_provider_page_lists_credential_rows_and_a_row_template(client, editor, project):
    client.force_login(editor)
    body = client.get(reverse("projects:provider", args=[project.pk])).content.decode()
    path = "provider.provider_credential_schema.credential_form_schemas"
    assert f'name="{path}[0].variable" value="api_key"' in body
    assert f"{path}[__i__].variable" in body
    assert "provider/demo.yaml" in body


def test_the_model_editor_shows_type_specific_fields_and_template_buttons(client, editor, project):
    client.force_login(editor)
    body = client.get(reverse("projects:model", args=[project.pk, 0])).content.decode()
    assert 'name="models[0].model_properties.context_size:int" value="8192"' in body
    assert "max_chunks" not in body
    assert 'data-preset=\'{"name": "max_tokens"' in body
    assert "models/llm/demo-chat.yaml" in body
    embedding = client.get(reverse("projects:model", args=[project.pk, 1])).content.decode()
    assert "models[1].model_properties.max_chunks" in embedding
    assert "parameter_rules" not in embedding


def test_a_model_index_out_of_range_is_404(client, editor, project):
    client.force_login(editor)
    assert client.get(reverse("projects:model", args=[project.pk, 9])).status_code == 404


def test_the_review_page_lists_every_file_and_the_checklist(client, editor, project):
    client.force_login(editor)
    body = client.get(reverse("projects:review", args=[project.pk])).content.decode()
    assert "manifest.yaml" in body and "models/llm/demo-chat.yaml" in body
    assert "A repository URL" in body
    assert 'id="build-panel"' in body


def test_review_shows_a_file_and_refuses_unknown_paths(client, viewer, project):
    client.force_login(viewer)
    url = reverse("projects:review_file", args=[project.pk])
    assert b"demo-chat" in client.get(url, {"path": "models/llm/_position.yaml"}).content
    assert client.get(url, {"path": "../etc/passwd"}).status_code == 404


def test_the_source_zip_downloads(client, viewer, project):
    client.force_login(viewer)
    response = client.get(reverse("projects:download_tree", args=[project.pk]))
    assert response["Content-Type"] == "application/zip"
    assert response.content.startswith(b"PK")
