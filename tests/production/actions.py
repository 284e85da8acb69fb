"""Run by the production-stack tests in a subprocess with the stack's environment (PostgreSQL,
Redis), so the records and messages they make are the stack's own:

    python -m tests.production.actions project          -> {"project": id}
    python -m tests.production.actions build ID COUNT   -> {"builds": [id, ...]}
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
    number = next(n for n in itertools.count() if not Team.objects.filter(name=f"Stack {n}"))
    team = Team.objects.create(name=f"Stack {number}")
    user = get_user_model().objects.create_user(f"stack{number}", password="a-long-pass-phrase")
    Membership.objects.create(team=team, user=user, role=Role.EDITOR)
    project = Project.objects.create(team=team, name="Stack", spec=plugin_document())
    return {"project": project.pk}


def builds(project_id: int, count: int) -> dict:
    project = Project.objects.get(pk=project_id)
    return {"builds": [start_build(project).pk for _ in range(count)]}


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "project":
        print(json.dumps(new_project()))
    else:
        print(json.dumps(builds(int(arguments[0]), int(arguments[1]))))
