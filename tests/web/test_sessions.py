"""Sessions are read from a cache (a keystroke makes no session query) and kept in the
database; the cache is one every web process shares, or none, so a sign-out reaches them all."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def sessions_cache(tmp_path, **env) -> str:
    script = "from django.conf import settings; print(settings.CACHES['sessions']['BACKEND'])"
    environment = {
        **{k: v for k, v in os.environ.items() if k != "CACHE_URL"},
        "DJANGO_SETTINGS_MODULE": "designer.settings",
        "SECRET_KEY": "s" * 50,
        "SIGNING_ENABLED": "0",
        "VAR_DIR": str(tmp_path),
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().rsplit(".", 1)[-1]


def test_the_sessions_cache_is_shared_by_all_web_processes_or_there_is_none(tmp_path):
    assert sessions_cache(tmp_path, DEBUG="0", CACHE_URL="redis://127.0.0.1:1/1") == "RedisCache"
    # Without a shared cache, production reads each session from the database: a process's
    # own cache would keep a signed-out session alive in the other processes.
    assert sessions_cache(tmp_path, DEBUG="0") == "DummyCache"
    # make run has one web process.
    assert sessions_cache(tmp_path, DEBUG="1") == "LocMemCache"


@pytest.mark.django_db
def test_a_signed_in_request_reads_its_session_from_the_cache(client, editor, project):
    client.force_login(editor)
    page = reverse("projects:plugin", args=[project.pk])
    assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]


@pytest.mark.django_db
def test_signing_out_ends_the_session_in_the_cache_too(client, editor, project):
    client.force_login(editor)
    page = reverse("projects:plugin", args=[project.pk])
    assert client.get(page).status_code == 200
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie  # the old cookie, replayed
    assert client.get(page).status_code == 302
