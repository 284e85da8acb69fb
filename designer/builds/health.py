"""What /healthz checks: the database, the broker, and at least one live worker."""

from django.db import connection

from designer.celery import app

PING_TIMEOUT = 1.5


def check_database() -> str:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return f"error: {type(exc).__name__}: {exc}"
    return "ok"


def check_broker() -> str:
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=PING_TIMEOUT)
    except Exception as exc:
        return f"error: {type(exc).__name__}: {exc}"
    return "ok"


def check_worker() -> str:
    try:
        replies = app.control.ping(timeout=PING_TIMEOUT)
    except Exception as exc:
        return f"error: {type(exc).__name__}: {exc}"
    return "ok" if replies else "error: no worker answered"


def health() -> dict[str, str]:
    checks = {"database": check_database(), "broker": check_broker()}
    checks["worker"] = check_worker() if checks["broker"] == "ok" else "error: no broker"
    return checks
