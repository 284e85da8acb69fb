"""Sessions read from a cache and kept in the database (Django's cached_db store; the settings
choose the cache), but a busy database while a session is saved is said to be busy: Django's
store reports any failed update as the session having been deleted meanwhile (a 400), which
would hide a lock wait that ran out (designer/web/middleware.py answers 503 "busy, try again"
for it)."""

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import UpdateError

from designer.web.middleware import is_transient


class SessionStore(cached_db.SessionStore):
    def save(self, must_create=False):
        try:
            return super().save(must_create)
        except UpdateError as exc:
            cause = exc.__context__
            if cause is not None and is_transient(cause):
                raise cause from None
            raise
