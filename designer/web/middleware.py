"""A database that is busy or briefly unreachable answers 503 "busy, try again", never a 500."""

from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 2
# What SQLite says when its lock wait ran out, and PostgreSQL when it is restarting or down.
TRANSIENT = (
    "database is locked",
    "database table is locked",
    "could not connect",
    "connection refused",
    "server closed the connection",
    "terminating connection",
    "the database system is starting up",
    "the database system is shutting down",
    "connection is closed",
)


def is_transient(exc: Exception) -> bool:
    message = str(exc).lower()
    return isinstance(exc, OperationalError) and any(words in message for words in TRANSIENT)


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_transient(exception):
            return None
        # Rendered without the request: its context processors would query the database again.
        response = HttpResponse(render_to_string("web/busy.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
