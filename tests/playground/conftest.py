"""The fake OpenAI-compatible server on 127.0.0.1 (allowed by PLAYGROUND_ALLOWED_HOSTS, as a
deployment lists its own test hosts) and tasks run at once, in the test's process."""

import io
import logging

import pytest
from celery import current_app
from django.core.management import call_command

from tests.generated.fake_openai import running_fake_openai


@pytest.fixture(scope="module")
def fake():
    with running_fake_openai() as fake:
        yield fake


@pytest.fixture(autouse=True)
def allowed_local(monkeypatch):
    monkeypatch.setenv("PLAYGROUND_ALLOWED_HOSTS", "127.0.0.1")


@pytest.fixture
def eager_tasks():
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def database_text() -> str:
    """Every row of every table, as text."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()
