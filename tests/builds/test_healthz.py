import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow
def test_healthz_is_200_with_every_check_ok_when_a_worker_is_up(client, start_worker):
    start_worker()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "worker": "ok"}


def test_healthz_is_503_naming_the_worker_when_none_answers(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["worker"].startswith("error")


def test_healthz_reports_a_broker_it_cannot_reach(client, monkeypatch):
    from designer.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.conf, "broker_transport", None)  # as when settings name Redis
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["worker"] == "error: no broker"


def test_healthz_is_not_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
