"""Team isolation of the library views the shared matrix (tests/test_access_matrix.py) leaves
out: the live preview, use in a project, and the team-wide pages (list, new, catalog, export,
import), which show and change only the active team's library."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designer.library import service
from designer.library.models import LibraryModel
from tests.core.factories import llm_model

pytestmark = pytest.mark.django_db

ROLES = ["owner", "editor", "viewer", "outsider", "anonymous"]


@pytest.fixture
def item(team, owner):
    return service.create_definition(team, llm_model("team-secret-chat"), owner)


def sign_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.parametrize("role", ROLES)
def test_the_live_preview(client, request, item, role):
    sign_in(client, request, role)
    status = client.post(reverse("library:preview", args=[item.pk])).status_code
    assert status == {"outsider": 404, "anonymous": 302}.get(role, 200)


@pytest.mark.parametrize("role", ROLES)
def test_use_in_a_project(client, request, item, project, role):
    sign_in(client, request, role)
    url = reverse("projects:use_library", args=[item.pk])
    status = client.post(url, {"project": project.pk}).status_code
    assert status == {"outsider": 404, "anonymous": 302, "viewer": 403}.get(role, 302)
    project.refresh_from_db()
    used = any(m.get("library") == str(item.pk) for m in project.spec["models"])
    assert used == (role in ("owner", "editor"))


def test_a_member_of_two_teams_cannot_use_a_definition_in_the_other_teams_project(
    client, item, outsider
):
    from designer.accounts.models import Membership, Role
    from designer.projects.models import Project
    from tests.core.factories import plugin_document

    Membership.objects.create(team=item.team, user=outsider, role=Role.EDITOR)
    other_team = outsider.memberships.exclude(team=item.team).get().team
    theirs = Project.objects.create(team=other_team, name="X", spec=plugin_document())
    client.force_login(outsider)
    response = client.post(reverse("projects:use_library", args=[item.pk]), {"project": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert len(theirs.spec["models"]) == 2


TEAM_PAGES = {
    "list": lambda: reverse("library:list"),
    "new": lambda: reverse("library:new"),
    "catalog": lambda: reverse("library:catalog") + "?q=gpt-4o&provider=openai",
    "catalog entry": lambda: reverse("library:catalog_entry") + "?key=gpt-4o",
    "export": lambda: reverse("library:export"),
}


@pytest.mark.parametrize("page", TEAM_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_team_pages_show_only_the_active_teams_library(client, request, item, page, role):
    sign_in(client, request, role)
    response = client.get(TEAM_PAGES[page]())
    expected = {"anonymous": 302}.get(role, 403 if (page, role) == ("new", "viewer") else 200)
    assert response.status_code == expected
    if role == "outsider":
        assert b"team-secret-chat" not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_team_changes(client, request, team, item, role):
    """Creating, importing from the catalog or a file: editors and owners, in their own team."""
    sign_in(client, request, role)
    fragment = b"spec_version: 1\nmodels:\n- " + b"{model: m2, model_type: moderation}\n"
    statuses = [
        client.post(reverse("library:new"), {"model_type": "llm", "model": "n1"}).status_code,
        client.post(reverse("library:catalog"), {"key": ["gpt-4o"]}).status_code,
        client.post(
            reverse("library:upload"), {"file": SimpleUploadedFile("f.yaml", fragment)}
        ).status_code,
        client.post(reverse("library:upload"), {"index": ["0"]}).status_code,
    ]
    allowed = [302, 302, 200, 302]  # created, imported, file read (pick page), picked added
    assert statuses == {"anonymous": [302] * 4, "viewer": [403] * 4}.get(role, allowed)
    mine = set(LibraryModel.objects.filter(team=team).values_list("model_id", flat=True))
    others = set(LibraryModel.objects.exclude(team=team).values_list("model_id", flat=True))
    if role in ("owner", "editor"):
        assert mine == {"team-secret-chat", "n1", "gpt-4o", "m2"} and not others
    elif role == "outsider":
        assert mine == {"team-secret-chat"} and others == {"n1", "gpt-4o", "m2"}
    else:
        assert mine == {"team-secret-chat"} and not others


@pytest.mark.parametrize("role", ROLES)
def test_picking_for_a_project_and_detaching_are_for_its_editors(
    client, request, item, project, role
):
    sign_in(client, request, role)
    project.spec["models"].append(service.reference(item))
    project.save()
    pick = client.get(reverse("projects:pick_library", args=[project.pk])).status_code
    detach = client.post(reverse("projects:detach_library", args=[project.pk, 2])).status_code
    expected = {"outsider": 404, "anonymous": 302, "viewer": 403}.get(role)
    assert (pick, detach) == (expected or 200, expected or 302)
    project.refresh_from_db()
    assert ("library" in project.spec["models"][2]) == (role not in ("owner", "editor"))
