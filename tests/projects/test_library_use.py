"""Adding a library definition to a project: by reference in the project's own order, or as
a copy; never twice, and never lost to a simultaneous save."""

import pytest
from django.urls import reverse

from designer.library import service
from tests.core.factories import llm_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(team, editor):
    return service.create_definition(team, llm_model("u-chat"), editor)


def use(client, item, project, **extra):
    return client.post(
        reverse("projects:use_library", args=[item.pk]),
        {"project": project.pk, **extra},
        follow=True,
    )


def test_a_reference_takes_its_place_in_the_projects_order(client, editor, item, project):
    client.force_login(editor)
    use(client, item, project)
    project.refresh_from_db()
    assert [m["model"] for m in project.spec["models"]] == ["demo-chat", "demo-embed", "u-chat"]
    client.post(reverse("projects:move_model", args=[project.pk, 2, "up"]))
    project.refresh_from_db()
    llms = [m["model"] for m in project.spec["models"] if m["model_type"] == "llm"]
    assert llms == ["u-chat", "demo-chat"]
    assert project.spec["models"][0]["library"] == str(item.pk)


def test_the_same_model_is_not_added_twice(client, editor, item, project):
    client.force_login(editor)
    use(client, item, project)
    response = use(client, item, project, mode="copy")
    assert "already has a llm model named u-chat" in response.content.decode()
    project.refresh_from_db()
    assert len(project.spec["models"]) == 3


def test_a_project_id_that_is_not_a_number_is_not_found(client, editor, item):
    client.force_login(editor)
    response = client.post(reverse("projects:use_library", args=[item.pk]), {"project": "1 OR 1"})
    assert response.status_code == 404


def test_a_project_without_a_provider_section_is_left_as_it_is(client, editor, item, project):
    project.spec.pop("provider")
    project.save()
    client.force_login(editor)
    assert "no provider section" in use(client, item, project).content.decode()
    project.refresh_from_db()
    assert len(project.spec["models"]) == 2
