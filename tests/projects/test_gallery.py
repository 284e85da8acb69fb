"""Creating a project from the gallery: each start is valid and says what is left to do."""

import pytest
from django.urls import reverse

from designer.core.gallery import START_KEYS
from designer.core.render import render
from designer.core.validation import validate
from designer.projects.models import Project

pytestmark = pytest.mark.django_db


def create(client, start):
    response = client.post(reverse("projects:create"), {"name": "Acme AI", "start": start})
    project = Project.objects.get()
    assert response.url == reverse("projects:review", args=[project.pk])
    return project


def test_the_gallery_offers_each_start_and_copying_a_plugin(client, editor):
    client.force_login(editor)
    body = client.get(reverse("projects:create")).content.decode()
    for key in START_KEYS:
        assert f'value="{key}"' in body
    assert "Copy a plugin" in body and reverse("projects:import") in body


def test_a_blank_openai_compatible_start_asks_for_models(client, editor):
    client.force_login(editor)
    project = create(client, "openai")
    report = validate(project.spec)
    assert report.ok
    assert project.spec["code"]["api_style"] == "openai-compatible"
    assert [f.path for f in report.warnings] == ["models"]
    page = client.get(reverse("projects:review", args=[project.pk])).content.decode()
    assert "predefined models are enabled but the plugin has none" in page


def test_a_customizable_model_start_lets_people_type_model_names_in_dify(client, editor):
    client.force_login(editor)
    project = create(client, "customizable")
    report = validate(project.spec)
    assert report.ok, report.findings
    provider = report.spec.provider
    assert provider.configurate_methods == ["customizable-model"]
    assert provider.model_credential_schema.model.label["en_US"] == "Model name"
    assert provider.provider_credential_schema is None
    assert "models/llm/llm.py" in render(report.spec)


def test_a_custom_api_start_is_a_skeleton_whose_call_is_left_to_write(client, editor):
    client.force_login(editor)
    project = create(client, "custom")
    report = validate(project.spec)
    assert report.ok
    assert project.spec["code"]["api_style"] == "custom"
    assert "code.api_style" in {f.path for f in report.warnings}
    assert b"call_api" in render(report.spec)["models/common.py"]


def test_an_unknown_start_falls_back_to_the_first(client, editor):
    client.force_login(editor)
    project = create(client, "nonsense")
    assert project.spec["code"]["api_style"] == "openai-compatible"


def test_a_viewer_cannot_start_a_project(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("projects:create")).status_code == 403
    response = client.post(reverse("projects:create"), {"name": "x", "start": "custom"})
    assert response.status_code == 403
    assert not Project.objects.exists()
