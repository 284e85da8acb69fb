"""Project pages include the panel with only the project: it finds its builds and the user's
role itself."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tests.builds.factories import finished_build

pytestmark = pytest.mark.django_db

PAGE = Template(
    '<main>{% include "builds/project_builds.html#panel" with project=project %}</main>'
)


def render_for(user, project) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return PAGE.render(Context({"project": project, "request": request}))


def test_an_editor_gets_the_button_history_and_downloads(editor, project, plugins_out):
    build = finished_build(project)
    body = render_for(editor, project)
    assert "Build plugin" in body
    assert f"<td>{build.pk}</td>" in body
    assert reverse("builds:download", args=[build.pk, "zip"]) in body
    assert reverse("builds:project", args=[project.pk]) in body  # reloads when a build ends


def test_a_viewer_gets_the_history_without_the_button(viewer, project, plugins_out):
    finished_build(project)
    body = render_for(viewer, project)
    assert "Build history" in body and "Build plugin" not in body


def test_a_project_without_builds_says_so(editor, project):
    assert "No builds yet." in render_for(editor, project)
