import pytest
from django.test import Client
from django.urls import reverse

from designer.core.validation import validate
from designer.projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_active_teams_projects_only(client, editor, project, outsider):
    Project.objects.create(team=outsider.memberships.get().team, name="Secret", spec={})
    client.force_login(editor)
    body = client.get(reverse("projects:list")).content.decode()
    assert "Demo" in body
    assert "Secret" not in body


def test_creating_a_project_starts_from_a_valid_spec_with_derived_ids(client, editor):
    client.force_login(editor)
    response = client.post(reverse("projects:create"), {"name": "Ünïcode Cloud 9!"})
    project = Project.objects.get()
    assert response.url == reverse("projects:review", args=[project.pk])
    assert project.spec["manifest"]["name"] == "unicode_cloud_9"
    assert validate(project.spec).ok


def test_an_empty_name_is_refused_beside_the_field(client, editor):
    client.force_login(editor)
    response = client.post(reverse("projects:create"), {"name": ""})
    assert response.context["form"].errors["name"]
    assert not Project.objects.exists()


def test_rename_duplicate_and_delete_with_confirmation(client, editor, project):
    client.force_login(editor)
    client.post(reverse("projects:rename", args=[project.pk]), {"name": "Renamed"})
    client.post(reverse("projects:duplicate", args=[project.pk]))
    assert sorted(Project.objects.values_list("name", flat=True)) == ["Renamed", "Renamed (copy)"]
    confirm = client.get(reverse("projects:delete", args=[project.pk]))
    assert b"cannot be undone" in confirm.content
    client.post(reverse("projects:delete", args=[project.pk]))
    assert list(Project.objects.values_list("name", flat=True)) == ["Renamed (copy)"]


@pytest.mark.parametrize("view", ["projects:rename", "projects:duplicate", "projects:delete"])
def test_a_viewer_cannot_change_projects(client, viewer, project, view):
    client.force_login(viewer)
    assert client.post(reverse(view, args=[project.pk]), {"name": "x"}).status_code == 403


@pytest.mark.parametrize("view", ["projects:rename", "projects:duplicate", "projects:delete"])
def test_another_team_gets_404(client, outsider, project, view):
    client.force_login(outsider)
    assert client.post(reverse(view, args=[project.pk]), {"name": "x"}).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_csrf_is_enforced(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(reverse("projects:create"), {"name": "x"}).status_code == 403
