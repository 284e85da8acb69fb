import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from designer.builds.heartbeat import STALE_AFTER, beat
from designer.builds.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_health(client, path: str = "/healthz", timeout: float = 10):
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(path)
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


@pytest.mark.slow
def test_a_running_worker_beats_and_a_stopped_one_is_forgotten(client, start_worker):
    worker = start_worker()
    response = wait_for_health(client)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "worker": "ok"}
    [beat] = WorkerHeartbeat.objects.all()
    assert beat.hostname == worker.name
    deep = wait_for_health(client, "/healthz?deep=1")
    assert deep.json()["worker_ping"] == "ok"
    worker.process.send_signal(signal.SIGTERM)  # a clean stop removes its heartbeat at once
    worker.process.wait(timeout=30)
    assert not WorkerHeartbeat.objects.exists()
    assert client.get("/healthz").json()["worker"] == "error: no worker has reported"


def test_healthz_reads_a_recent_heartbeat_without_asking_the_workers(client):
    beat("builder@elsewhere")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "worker": "ok"}


def test_a_heartbeat_too_old_is_a_worker_down(client):
    beat("builder@elsewhere")
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - STALE_AFTER - timedelta(seconds=5))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "error: no worker has reported for 20 s"


def test_a_deep_check_pings_and_names_a_worker_that_does_not_answer(client):
    beat("builder@elsewhere")
    response = client.get("/healthz?deep=1")
    assert response.status_code == 503
    assert response.json()["worker_ping"] == "error: no worker answered a ping"


def test_healthz_is_503_naming_the_worker_when_none_answers(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["worker"] == "error: no worker has reported"


def test_healthz_reports_a_broker_it_cannot_reach(client, monkeypatch):
    from designer.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.conf, "broker_transport", None)  # as when settings name Redis
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_healthz_is_not_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
