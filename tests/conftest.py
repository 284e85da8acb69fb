"""Fixtures shared by the web tests: a team with a member of each role, and a project."""

import itertools

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
