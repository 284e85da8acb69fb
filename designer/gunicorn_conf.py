"""gunicorn's settings for the production stack: ``gunicorn -c python:designer.gunicorn_conf
designer.wsgi:application``. Each can be changed from the environment.

One process per core (WEB_WORKERS, default: the machine's cores), each with threads
(WEB_THREADS, default 4) so that a request waiting on the database or the broker does not hold
a core: autosaves are short and many, and a sync worker per request would queue them behind
each other. Database connections are kept between requests (CONN_MAX_AGE in the settings).
"""

import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_WORKERS", os.cpu_count() or 2))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
# Clients keep their connection between autosaves instead of a new TCP handshake each second.
keepalive = 5
