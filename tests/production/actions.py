"""Run by the production-stack tests in a subprocess with the stack's environment (PostgreSQL,
Redis), so the records and messages they make are the stack's own:

    python -m tests.production.actions project          -> {"project": id}
    python -m tests.production.actions build ID COUNT   -> {"builds": [id, ...]}
    python -m tests.production.actions editors COUNT    -> {"editors": [{session, project}, ...]}
    python -m tests.production.actions distinct COUNT   -> {"builds": [id, ...]}  (one each of
                                                           COUNT new projects: no artifact shared)
"""

import itertools
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from designer.accounts.models import Membership, Role, Team  # noqa: E402
from designer.builds.service import start_build  # noqa: E402
from designer.projects.models import Project  # noqa: E402
from tests.core.factories import plugin_document  # noqa: E402


def new_project() -> dict:
    users = get_user_model().objects
    start = users.count()
    number = next(n for n in itertools.count(start) if not users.filter(username=f"stack{n}"))
    team = Team.objects.create(name=f"Stack {number}")
    user = users.create_user(f"stack{number}")  # signed in by session, no password to hash
    Membership.objects.create(team=team, user=user, role=Role.EDITOR)
    project = Project.objects.create(team=team, name="Stack", spec=plugin_document())
    return {"project": project.pk}


def signed_in_session(user) -> str:
    """A session key as signing in would make it (the benchmark skips the password hashing)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def editors(count: int) -> dict:
    made = []
    for _ in range(count):
        project = Project.objects.get(pk=new_project()["project"])
        user = project.team.memberships.get().user
        made.append({"session": signed_in_session(user), "project": project.pk})
    return {"editors": made}


def builds(project_id: int, count: int) -> dict:
    project = Project.objects.get(pk=project_id)
    return {"builds": [start_build(project).pk for _ in range(count)]}


def distinct_builds(count: int) -> dict:
    projects = [Project.objects.get(pk=new_project()["project"]) for _ in range(count)]
    for number, project in enumerate(projects):
        project.spec["manifest"]["version"] = f"0.0.{number + 1}"  # each spec its own
        project.save()
    return {"builds": [start_build(project).pk for project in projects]}


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "project":
        print(json.dumps(new_project()))
    elif command == "editors":
        print(json.dumps(editors(int(arguments[0]))))
    elif command == "distinct":
        print(json.dumps(distinct_builds(int(arguments[0]))))
    else:
        print(json.dumps(builds(int(arguments[0]), int(arguments[1]))))
