"""Test connection in the web app and the API: the fake server, a project calling it, a real
worker allowed to reach 127.0.0.1, and ways to look for a secret everywhere it must not be."""

import pytest
from django.apps import apps
from django.db import connection

from designer.core.outbound import ALLOWED_HOSTS_VARIABLE
from designer.projects.models import Project
from tests.builds.conftest import (  # noqa: F401 (real workers on a private broker)
    plugins_out,
    private_broker,
    start_worker,
    worker_queue,
)
from tests.generated.fake_openai import running_fake_openai
from tests.generated.plugins import plugin_document


@pytest.fixture(scope="session")
def fake():
    with running_fake_openai() as fake:
        yield fake


@pytest.fixture
def calling_project(team, fake):
    return Project.objects.create(team=team, name="Calls", spec=plugin_document(base_url=fake.url))


@pytest.fixture
def allowed_worker(start_worker, monkeypatch):  # noqa: F811 (the imported fixture)
    """A worker whose outbound guard lets it reach the fake server on 127.0.0.1."""
    monkeypatch.setenv(ALLOWED_HOSTS_VARIABLE, "127.0.0.1")
    return start_worker()


def database_dump() -> str:
    """Every row of every table, as text."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            rows += [repr(row) for row in cursor.fetchall()]
    assert any("tryout" in t for t in connection.introspection.table_names())
    return "\n".join(rows) + repr([m for m in apps.get_models()])
