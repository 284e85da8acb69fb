"""Fixtures shared by the web tests: a team with a member of each role, and a project."""

import itertools
import os
from pathlib import Path

import pytest

from designer.accounts.models import Membership, Role, Team
from designer.projects.models import Project
from tests.core.factories import plugin_document

_numbers = itertools.count()


def make_member(django_user_model, team, role):
    user = django_user_model.objects.create_user(
        f"{role}{next(_numbers)}", f"{role}@example.com", "a-long-pass-phrase"
    )
    Membership.objects.create(team=team, user=user, role=role)
    return user


@pytest.fixture
def team(db):
    return Team.objects.create(name="Acme")


@pytest.fixture
def owner(django_user_model, team):
    return make_member(django_user_model, team, Role.OWNER)


@pytest.fixture
def editor(django_user_model, team):
    return make_member(django_user_model, team, Role.EDITOR)


@pytest.fixture
def viewer(django_user_model, team):
    return make_member(django_user_model, team, Role.VIEWER)


@pytest.fixture
def outsider(django_user_model, db):
    return make_member(django_user_model, Team.objects.create(name="Other"), Role.OWNER)


@pytest.fixture
def project(team):
    return Project.objects.create(team=team, name="Demo", spec=plugin_document())


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one per test run (`.ci/run` installs it)."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install chromium (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls tests make
    # between browser steps are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
