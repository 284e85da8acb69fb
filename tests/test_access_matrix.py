"""Every team-owned view, for each role and for another team's member (issue 4's matrix).

Reading: members of any role get 200 (or a redirect); another team's member gets 404; anonymous
users are sent to sign in. Changing: owners and editors may; viewers get 403; another team 404.
"""

import pytest
from django.urls import reverse

from designer.library import service
from tests.builds.factories import finished_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(team, owner, project, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    definition = service.create_definition(team, project.spec["models"][0], owner)
    return {"project": project, "build": finished_build(project), "item": definition}


def p(name, *args):
    return lambda t: reverse(name, args=[t["project"].pk, *args])


READS = {
    "plugin page": p("projects:plugin"),
    "provider page": p("projects:provider"),
    "models page": p("projects:models"),
    "model editor": p("projects:model", 0),
    "review": p("projects:review"),
    "review file": lambda t: (
        reverse("projects:review_file", args=[t["project"].pk]) + "?path=manifest.yaml"
    ),
    "source zip": p("projects:download_tree"),
    "icon": p("projects:icon"),
    "export spec": p("projects:export_spec"),
    "builds page": lambda t: reverse("builds:project", args=[t["project"].pk]),
    "build status": lambda t: reverse("builds:status", args=[t["build"].pk]),
    "build download": lambda t: reverse("builds:download", args=[t["build"].pk, "difypkg"]),
    "library item": lambda t: reverse("library:edit", args=[t["item"].pk]),
    "library history": lambda t: reverse("library:history", args=[t["item"].pk]),
    "signing key page": lambda t: reverse("signing:team_key", args=[t["project"].team_id]),
}

CHANGES = {
    "autosave": (p("projects:save", "plugin"), {"_version": "1", "manifest.repo": "https://x"}),
    "model autosave": (p("projects:save_model", 0), {"_version": "1"}),
    "add model": (p("projects:add_model"), {"model_type": "llm", "model": "new"}),
    "move model": (p("projects:move_model", 0, "down"), {}),
    "delete model": (p("projects:delete_model", 1), {}),
    "bulk model edit": (
        p("projects:bulk_models"),
        {"_version": "1", "action": "deprecate", "selected": "0"},
    ),
    "undo": (p("projects:undo"), {"change": "1"}),
    "privacy": (p("projects:privacy"), {"privacy": "We keep nothing."}),
    "icon upload": (p("projects:upload_icon"), {}),
    "rename": (p("projects:rename"), {"name": "Renamed"}),
    "add a piece": (p("projects:add_piece", "readme"), {}),
    "duplicate": (p("projects:duplicate"), {}),
    "delete project": (p("projects:delete"), {}),
    "start build": (lambda t: reverse("builds:start", args=[t["project"].pk]), {}),
    "version bump": (lambda t: reverse("builds:bump", args=[t["project"].pk]), {"version": "x"}),
    "library save": (lambda t: reverse("library:edit", args=[t["item"].pk]), {"_version": "1"}),
    "library clone": (lambda t: reverse("library:clone", args=[t["item"].pk]), {}),
    "library restore": (lambda t: reverse("library:restore", args=[t["item"].pk, 1]), {}),
    "library delete": (lambda t: reverse("library:delete", args=[t["item"].pk]), {}),
    "library drift update": (
        lambda t: reverse("library:drift_update", args=[t["item"].pk]),
        {"_version": "1"},
    ),
}


@pytest.fixture
def no_worker(monkeypatch):
    from designer.builds import tasks

    monkeypatch.setattr(tasks.run_build, "delay", lambda *args: None)


@pytest.mark.parametrize("view", READS)
@pytest.mark.parametrize("role", ["owner", "editor", "viewer", "outsider", "anonymous"])
def test_reading(client, request, things, view, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    status = client.get(READS[view](things)).status_code
    expected = {"outsider": {404}, "anonymous": {302}}.get(role, {200})
    assert status in expected, (view, role, status)


@pytest.mark.parametrize("view", CHANGES)
@pytest.mark.parametrize("role", ["owner", "editor", "viewer", "outsider", "anonymous"])
def test_changing(client, request, things, no_worker, view, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url, data = CHANGES[view]
    status = client.post(url(things), data).status_code
    expected = {"outsider": {404}, "anonymous": {302}, "viewer": {403}}.get(role, {200, 302})
    assert status in expected, (view, role, status)
