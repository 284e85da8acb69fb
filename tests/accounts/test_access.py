"""The access helper gives the object with the user's membership, so a view reads what the
user may do from it instead of asking the database again."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from designer.accounts.access import access_to, team_object_or_404
from designer.accounts.models import Role
from designer.builds.panel import panel_for
from designer.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "can_edit"), [("owner", True), ("editor", True), ("viewer", False)]
)
def test_a_member_gets_the_object_and_their_membership(request, project, role, can_edit):
    user = request.getfixturevalue(role)
    access = team_object_or_404(user, Project.objects, pk=project.pk)
    assert access.obj == project
    assert (access.membership.user, access.membership.role) == (user, role)
    assert access.can_edit is can_edit


def test_a_role_below_the_one_asked_is_forbidden_and_an_outsider_finds_nothing(
    viewer, outsider, project
):
    with pytest.raises(PermissionDenied):
        team_object_or_404(viewer, Project.objects, Role.EDITOR, pk=project.pk)
    for user in (outsider, AnonymousUser()):
        with pytest.raises(Http404):
            team_object_or_404(user, Project.objects, pk=project.pk)
        assert access_to(user, project) is None


def test_the_builds_panel_takes_the_pages_access_instead_of_asking_again(editor, viewer, project):
    def queries(user, access=None):
        with CaptureQueriesContext(connection) as captured:
            panel = panel_for(project, user, access)
        return panel["can_build"], len(captured)

    access = team_object_or_404(editor, Project.objects, pk=project.pk)
    looked_up, given = queries(editor), queries(editor, access)
    assert looked_up[0] is given[0] is True
    assert given[1] == looked_up[1] - 1
    assert queries(viewer)[0] is False
    # an access to another project is not taken for this one's
    other = Project.objects.create(team=project.team, name="other", spec=project.spec)
    viewing = team_object_or_404(viewer, Project.objects, pk=other.pk)
    assert queries(editor, viewing) == looked_up


def test_one_query_finds_the_object_through_a_longer_path_to_its_team(editor, outsider, project):
    from designer.builds.models import Build

    build = Build.objects.create(project=project, snapshot=project.spec, spec_sha256="0" * 64)
    with CaptureQueriesContext(connection) as captured:
        access = team_object_or_404(editor, Build.objects, team="project__team", pk=str(build.pk))
    assert (access.obj, access.membership.role, len(captured)) == (build, "editor", 1)
    with pytest.raises(Http404):
        team_object_or_404(outsider, Build.objects, team="project__team", pk=build.pk)


def test_a_filtered_queryset_is_refused_rather_than_its_filter_ignored(editor, project):
    with pytest.raises(TypeError):
        team_object_or_404(editor, Project.objects.filter(name="x"), pk=project.pk)
