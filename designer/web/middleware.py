"""A database that is busy or briefly unreachable answers 503 "busy, try again", never a 500."""

import sys

from django.core.signals import got_request_exception
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


BUSY = "_database_busy"  # set on a request whose handling raised a transient database error


def mark_busy(sender, request=None, **kwargs) -> None:
    """got_request_exception receiver: Django turns an exception raised in a middleware (the
    session saved, the user loaded) into a 500 before any outer middleware sees it; the request
    remembers that it was the database being busy."""
    exception = sys.exc_info()[1]
    if request is not None and exception is not None and is_transient(exception):
        setattr(request, BUSY, True)


def busy_response() -> HttpResponse:
    # Rendered without the request: its context processors would query the database again.
    response = HttpResponse(render_to_string("web/busy.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """First in MIDDLEWARE: a transient database error raised anywhere inside it (a view or any
    other middleware) answers 503 "busy, try again"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, BUSY, False) and response.status_code == 500:
            return busy_response()
        return response

    def process_exception(self, request, exception):
        return busy_response() if is_transient(exception) else None


got_request_exception.connect(mark_busy, dispatch_uid="designer-database-busy")
