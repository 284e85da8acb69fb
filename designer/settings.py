"""Django settings, read from the environment.

DATABASE_URL (default: SQLite under var/), SECRET_KEY (default: generated once under var/ when
DEBUG is on), DEBUG, ALLOWED_HOSTS, CELERY_BROKER_URL (default: kombu's filesystem transport
under var/, no server needed), CACHE_URL (Redis; default: a cache in each process), PLUGINS_OUT
(where built plugins are stored).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from designer.core.fieldpath import MAX_FIELDS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_secret_key() -> str:
    """A key made once per checkout, so sessions survive restarts without a committed secret."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or (development_secret_key() if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "designer.web",
    "designer.accounts",
    "designer.editor",
    "designer.projects",
    "designer.builds",
    "designer.library",
    "designer.signing",
    "designer.playground",
    "designer.api",
    "designer.tryout",
]

MIDDLEWARE = [
    "designer.web.middleware.DatabaseBusyMiddleware",  # first: it answers for all the others
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a locked-out sign-in into its page
]

SESSION_ENGINE = "designer.web.sessions"  # the database's, with a busy database said so

# CACHE_URL (redis://...) gives a cache every web process shares; without it each process has
# its own.
CACHE_URL = os.environ.get("CACHE_URL", "")
SHARED_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
PROCESS_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
NO_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
# Sessions are read from the "sessions" cache and written through to the database. A sign-out
# must reach every web process, so that cache is the shared one, or under DEBUG (`make run`:
# one web process) the process's own; else there is none and each request reads the database.
CACHES = {
    "default": SHARED_CACHE if CACHE_URL else PROCESS_CACHE,
    "sessions": SHARED_CACHE if CACHE_URL else PROCESS_CACHE if DEBUG else NO_CACHE,
}
SESSION_CACHE_ALIAS = "sessions"

ROOT_URLCONF = "designer.urls"
WSGI_APPLICATION = "designer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "designer.accounts.teams.team_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'designer.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,  # a restarted database server is reconnected to by itself
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database that does not answer fails a request (and /healthz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a writer rather than fail at once (the web app and workers share the file), and
    # test in a file so that worker processes started by the tests see the same data (a file per
    # test run: several runs in one checkout must not flush each other's tables).
    # A transaction takes the write lock when it begins (BEGIN IMMEDIATE) and so waits for it:
    # a deferred one that reads and then writes fails at once with "database is locked" when
    # another writer got there first, whatever the timeout.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # Write-ahead logging: readers never wait for the writer, and a commit appends to the log
    # without an fsync each time (synchronous=NORMAL is safe in WAL mode: a power cut may lose
    # the last commits, never corrupt the file). A keystroke's save then costs microseconds.
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    test_db = VAR_DIR / f"test-designer-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(test_db)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-ins while locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in attempts: 5 failures for one username from one address lock that pair for 15 minutes
# (by the pair, so nobody can lock someone else out everywhere); a success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Content-Security-Policy for every page: scripts, styles and images from this site only, no
# plugins, no framing, forms post only here. (The icon view sends a stricter one of its own.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Mail (password resets): printed to the console in development, sent by SMTP otherwise.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_NAME = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_NAME}}
if EMAIL_BACKEND_NAME == SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("PLUGINS_OUT", BASE_DIR / "plugins_out")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A request's form fields (not its uploaded files) are refused with a 400 before they are read
# when over 2 MB or over MAX_FIELDS fields (5000; the largest editor form has a few hundred).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = MAX_FIELDS
# Uploaded files over 5 MB are spooled to disk rather than kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery: a filesystem broker under var/ needs no server; set CELERY_BROKER_URL for Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_DIR = Path(os.environ.get("CELERY_BROKER_DIR", VAR_DIR / "broker"))
CELERY_BUILD_TIME_LIMIT = int(os.environ.get("CELERY_BUILD_TIME_LIMIT", "300"))
# Niceness of the processes that run builds (Celery's pool): the web's requests come first.
BUILD_NICENESS = int(os.environ.get("BUILD_NICENESS", "10"))
BUILD_RETENTION_DAYS = int(os.environ.get("BUILD_RETENTION_DAYS", "30"))
# How often each worker fails the builds left running past twice the time limit.
STALE_BUILD_CHECK_SECONDS = float(os.environ.get("STALE_BUILD_CHECK_SECONDS", "60"))

# Team signing keys: builds of a team with a key are signed; the private keys are encrypted at
# rest with this Fernet key (required in production while signing is enabled).
SIGNING_ENABLED = env_bool("SIGNING_ENABLED", True)
SIGNING_KEY_ENCRYPTION_KEY = os.environ.get("SIGNING_KEY_ENCRYPTION_KEY", "")

# Test connection: runs per team per window of seconds, seconds per call and per run, and the
# Fernet key sealing the credentials in the task message (default: derived from SECRET_KEY).
# Outbound calls to internal addresses need PLAYGROUND_ALLOWED_HOSTS in the worker's environment.
TRYOUT_RATE_LIMIT = int(os.environ.get("TRYOUT_RATE_LIMIT", "10"))
TRYOUT_RATE_WINDOW = int(os.environ.get("TRYOUT_RATE_WINDOW", "60"))
TRYOUT_CALL_TIME_LIMIT = float(os.environ.get("TRYOUT_CALL_TIME_LIMIT", "30"))
TRYOUT_TIME_LIMIT = float(os.environ.get("TRYOUT_TIME_LIMIT", "240"))
TRYOUT_ENCRYPTION_KEY = os.environ.get("TRYOUT_ENCRYPTION_KEY", "")

# API: requests each token may make per window of seconds (counted in the database).
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "120"))
API_RATE_WINDOW = int(os.environ.get("API_RATE_WINDOW", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    # Served over HTTPS (SECURE_COOKIES on, the default): browsers are told to keep to HTTPS
    # for a year, and plain HTTP is redirected. A proxy that ends TLS sets X-Forwarded-Proto.
    if SESSION_COOKIE_SECURE:
        SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000"))
        SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
        SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
        SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
        if env_bool("TRUST_FORWARDED_PROTO", True):
            SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer probes over plain HTTP
