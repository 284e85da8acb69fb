"""What /healthz checks: the database, the broker, and a worker that beat recently.

Every check is quick (a load balancer's probe commonly gives up after a second): one query, one
broker connection with a short timeout, and the age of the newest worker heartbeat. `deep=True`
also pings the workers over the broker and returns at the first answer.
"""

from django.db import connection

from designer.builds.heartbeat import STALE_AFTER, newest_beat_age
from designer.celery import app

BROKER_TIMEOUT = 0.5
PING_TIMEOUT = 1.0


def failure(exc: Exception) -> str:
    return f"error: {type(exc).__name__}: {exc}"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return failure(exc)
    return "ok"


def check_broker() -> str:
    try:
        with app.connection_for_write(connect_timeout=BROKER_TIMEOUT) as broker:
            broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT)
    except Exception as exc:
        return failure(exc)
    return "ok"


def check_worker() -> str:
    try:
        age = newest_beat_age()
    except Exception as exc:
        return failure(exc)
    if age is None:
        return "error: no worker has reported"
    if age > STALE_AFTER:
        return f"error: no worker has reported for {age.total_seconds():.0f} s"
    return "ok"


def ping_workers() -> str:
    try:
        replies = app.control.ping(timeout=PING_TIMEOUT, limit=1)
    except Exception as exc:
        return failure(exc)
    return "ok" if replies else "error: no worker answered a ping"


def health(deep: bool = False) -> dict[str, str]:
    checks = {"database": check_database(), "broker": check_broker()}
    if checks["database"] != "ok":
        checks["worker"] = "error: no database to read its heartbeat from"
    else:
        checks["worker"] = check_worker()
    if deep:
        checks["worker_ping"] = ping_workers() if checks["broker"] == "ok" else "error: no broker"
    return checks
