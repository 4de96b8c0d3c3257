"""Settings for factcheck, read from the environment in one place.

Development defaults: SQLite in ``var/``, a local Redis on ``LOCAL_REDIS_PORT``
(started by ``factcheck.localredis`` when ``REDIS_URL`` is unset), console email.
``DEBUG`` is off unless set (``bin/run --dev`` and the test suite set it); with it
off the project refuses to start without a real ``SECRET_KEY``.
"""

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("FACTCHECK_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# One place for this machine's settings, read by everything started from this
# checkout: the web server, the worker and beat, and every manage.py command.
# Lines are NAME=value; a variable in the environment wins over the file.
LOCAL_ENV_FILE = VAR_DIR / "local.env"
if LOCAL_ENV_FILE.is_file():
    environ.Env.read_env(LOCAL_ENV_FILE)

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    LOCAL_REDIS_PORT=(int, 6390),
    REVIEW_SLA_HOURS=(float, 24.0),
    REVIEW_ESCALATION_HOURS=(float, 48.0),
    MAX_ARTICLE_BYTES=(int, 5 * 1024 * 1024),
    FETCH_TIMEOUT_SECONDS=(float, 10.0),
    FETCH_ALLOW_PRIVATE=(bool, False),
    FETCH_RETRY_BASE_SECONDS=(float, 5.0),
)

DEBUG = env("DEBUG")
_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"
# --- Secret key: no start without one ---
# An empty or blank SECRET_KEY counts as unset: the site would start with it and
# then fail every request.
# Without SECRET_KEY, the key bin/run generated into var/secret_key, so commands
# and the worker run as documented use the key the web server uses.
SECRET_KEY = env.str("SECRET_KEY", default="").strip()
SECRET_KEY_FILE = VAR_DIR / "secret_key"
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
_PLACEHOLDER_SECRET = re.compile(r"change[-_ ]?me|replace[-_ ]?me|your[-_ ]?secret|insecure", re.I)


def _weak_secret_key(key: str) -> str:
    """Why ``key`` will not do in production, or "" (Django's check_secret_key
    rule, security.W009, made an error, plus placeholders)."""
    if len(key) < 50:
        return f"it is {len(key)} characters long; it needs at least 50"
    if len(set(key)) < 5:
        return f"it has {len(set(key))} different characters; it needs at least 5"
    if key == _DEV_SECRET or key.startswith("django-insecure-") or _PLACEHOLDER_SECRET.search(key):
        return "it is a placeholder or development key"
    return ""


if not DEBUG and not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set (and not empty) when DEBUG is off; set DEBUG=true for development."
    )
if not DEBUG and (_weakness := _weak_secret_key(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY must be set to a real secret when DEBUG is off: {_weakness}. Generate "
        "one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
SECRET_KEY = SECRET_KEY or _DEV_SECRET

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First, so the desk's registration/ templates (login, password change and
    # reset) win over the admin's copies of the same names.
    "claims",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # full-text and trigram lookups; inert on SQLite
    "axes",
    "rest_framework",
    "knox",  # expiring, hashed API tokens (instead of rest_framework.authtoken)
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served locally, no CDN
    "django_celery_beat",
]

MIDDLEWARE = [
    # First, so it times every response and gives every log line a request id.
    "claims.ops.middleware.RequestTelemetryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy, see below
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's Accept-Language (English or Spanish); after the session,
    # before CommonMiddleware (Django's order).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, whose process_view is the first to parse a POST body.
    "claims.desk.body_limits.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in user's chosen language wins over Accept-Language.
    "claims.desk.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"

# --- Content-Security-Policy (django-csp) ---
# Scripts only from our own origin: the desk has no inline script (htmx is a
# static file, JSON-LD is data), so an injected <script> or on*= handler does
# not run. Inline styles stay allowed: the admin and htmx's indicator use them,
# and CSS cannot run script. Swagger UI loads its init script as a file
# (SpectacularSwaggerSplitView); Redoc adds blob: workers on its own page only.
# A view that sets its own policy (evidence downloads) keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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
                "claims.desk.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so a test's Celery worker threads share the data.
    # Per process, so concurrent test runs on one machine don't share a file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Connections are kept for a minute (web requests and worker tasks alike; see
# factcheck/celery.py), checked before reuse, and dropped after an error.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "claims.accounts.login_limits.AccountGuessingLimitBackend",  # many-address ceiling
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "claims:desk"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
# --- Login lockout and password reset limits ---
# Lock a (user name, client address) pair, so one attacker behind the newsroom's
# proxy cannot lock everybody out; claims.accounts.login_limits caps guesses at one account
# from all addresses together at ACCOUNT_FAILURE_LIMIT per cool-off.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
ACCOUNT_FAILURE_LIMIT = env.int("ACCOUNT_FAILURE_LIMIT", default=50)
AXES_VERBOSE = False
# Reverse proxies in front of Django that append to X-Forwarded-For (0: none,
# gunicorn is published directly and REMOTE_ADDR is the client).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "claims.accounts.client_ip.client_ip"
# Password reset requests per hour, per client address and per email address.
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=10)
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["claims.formats"]  # 24-hour times, the admin included
# An en-GB desk: times show in UK local time (GMT/BST); stored as UTC (USE_TZ).
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
USE_I18N = True
# The desk speaks English or Spanish: the user's choice (Language, on the desk),
# else the browser's Accept-Language, else LANGUAGE_CODE. Strings live in
# claims/locale (compiled .mo committed, so nothing needs compiling to run).
LANGUAGES = [("en", "English"), ("es", "Español")]
# The public pages, feeds and ClaimReview speak one language whatever the
# visitor's browser asks for, so a search engine sees one language per site.
PUBLISHING_LANGUAGE = env.str("PUBLISHING_LANGUAGE", default="en")
if PUBLISHING_LANGUAGE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"PUBLISHING_LANGUAGE={PUBLISHING_LANGUAGE!r}: use one of {', '.join(dict(LANGUAGES))}."
    )
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# --- Request bodies (claims/desk/body_limits.py) ---
# A urlencoded body costs ~75 times its size to parse, so every door takes at
# most 1 MiB of one (about 80 MB at worst). Articles and evidence documents come
# as multipart or JSON, only to the doors that take them, up to their own limits;
# the middleware checks Content-Length before anything reads the body.
FORM_BODY_MAX_BYTES = 1_048_576
# What Django itself lets a multipart field or a JSON body hold, reached only
# on the article doors: room for an article of MAX_ARTICLE_BYTES with its JSON
# escapes (which may triple a byte).
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * env("MAX_ARTICLE_BYTES") + FORM_BODY_MAX_BYTES

# Redis and Celery. Without REDIS_URL, a local Redis is used on LOCAL_REDIS_PORT
# and `factcheck.localredis.ensure_local_redis()` starts it on demand.
LOCAL_REDIS_PORT = env("LOCAL_REDIS_PORT")
REDIS_URL_FROM_ENV = env.str("REDIS_URL", default="")
REDIS_URL = REDIS_URL_FROM_ENV or f"redis://127.0.0.1:{LOCAL_REDIS_PORT}/0"
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A web request must not hang when the broker is down: fail fast, and let the
# sweeper re-enqueue what was left behind.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# django-celery-beat's scheduler, recording beat's ticks in Redis for /readyz.
CELERY_BEAT_SCHEDULER = "claims.ops.beat:RecordingScheduler"
# Logging is ours (LOGGING below: JSON lines), in the worker too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE

# Limits. Each task type has a soft limit (the task sees SoftTimeLimitExceeded
# and records why) and a hard one (the child is killed; the article's lease
# and delivery counter take over). Queues and routes are in factcheck/celery.py.
CELERY_TASK_TIME_LIMITS = {
    # queue: (soft, hard) seconds
    "extract": (
        env.int("EXTRACT_SOFT_TIME_LIMIT", default=120),
        env.int("EXTRACT_HARD_TIME_LIMIT", default=150),
    ),
    "assign": (60, 90),
    "notify": (60, 90),
    "webhooks": (60, 90),
    "celery": (300, 360),  # beat jobs: sweeps and reminders
}
# Celery's Django fixup closes every database connection before and after every
# task unless told otherwise, so each task would pay for a fresh connection
# (PostgreSQL: a TCP connect and authentication; SQLite: open, PRAGMAs, reading the
# schema). Here it closes them every this many tasks; in between, Django's own rule
# applies as for a web request (close_old_connections: CONN_MAX_AGE, errors; celery.py).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=200)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=1000)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int(  # KiB of resident memory
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512_000
)
# An unacknowledged message (acks_late) comes back after this long: it must be
# longer than the longest hard limit, or a slow task would run twice at once.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
if CELERY_VISIBILITY_TIMEOUT <= max(hard for _, hard in CELERY_TASK_TIME_LIMITS.values()):
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed every hard time limit.")
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = CELERY_VISIBILITY_TIMEOUT

# The article lifecycle (claims.intake.lifecycle) and the sweep (claims.jobs.pipeline.sweep_stuck_work).
# A worker holds an article for ARTICLE_LEASE_SECONDS; a message taken more than
# ARTICLE_MAX_DELIVERIES times (its worker keeps dying) fails the article with a reason.
ARTICLE_LEASE_SECONDS = env.int(
    "ARTICLE_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMITS["extract"][1] + 30
)
ARTICLE_MAX_DELIVERIES = env.int("ARTICLE_MAX_DELIVERIES", default=5)
FETCH_MAX_RETRIES = env.int("FETCH_MAX_RETRIES", default=3)
# An enqueued article no worker has taken after this long is enqueued again.
SWEEP_ENQUEUED_AFTER_SECONDS = env.int("SWEEP_ENQUEUED_AFTER_SECONDS", default=300)
# Claims waiting unassigned this long (with a reviewer available) are assigned again.
SWEEP_CLAIMS_AFTER_SECONDS = env.int("SWEEP_CLAIMS_AFTER_SECONDS", default=120)
# Flood cap: at most this many claims per article go to the reviewers' queue;
# the rest are stored as held, and an editor can queue them by hand.
MAX_QUEUED_CLAIMS_PER_ARTICLE = env.int("MAX_QUEUED_CLAIMS_PER_ARTICLE", default=50)
# Clusters: a new claim is compared with the claims of the last N days.
CLUSTER_WINDOW_DAYS = env.int("CLUSTER_WINDOW_DAYS", default=14)
if CLUSTER_WINDOW_DAYS < 1:
    raise ImproperlyConfigured("CLUSTER_WINDOW_DAYS must be at least 1.")
# Notifications: 0 sends as soon as the change commits (still one email per
# reviewer per batch); N collects a reviewer's messages for N minutes into one.
NOTIFY_DIGEST_MINUTES = env.float("NOTIFY_DIGEST_MINUTES", default=0.0)
NOTIFY_LEASE_SECONDS = env.int("NOTIFY_LEASE_SECONDS", default=120)
NOTIFY_RETRY_BASE_SECONDS = env.float("NOTIFY_RETRY_BASE_SECONDS", default=30.0)

# Review desk
REVIEW_SLA_HOURS = env("REVIEW_SLA_HOURS")
# A reviewer is given at most this many claims a day, and holds at most this many
# open at once (each reviewer's own cap is in the admin: reviewer capacities).
# Overflow waits as "accepted, waiting" until a reviewer has room.
REVIEWER_DAILY_CAP = env.int("REVIEWER_DAILY_CAP", default=20)
if REVIEWER_DAILY_CAP < 1:
    raise ImproperlyConfigured("REVIEWER_DAILY_CAP must be at least 1.")
REVIEW_ESCALATION_HOURS = env("REVIEW_ESCALATION_HOURS")
MAX_ARTICLE_BYTES = env("MAX_ARTICLE_BYTES")
# A pasted or uploaded page up to this size (UTF-8 bytes) is parsed in the request,
# once (its text and links stored with it); a larger one is stored raw and parsed
# by the worker. Parsing costs ~30 MB of memory per MiB of HTML (bench/
# bench_request_memory.py --parse-cost), so 1 MiB keeps a request near 40 MB, far
# under its 100 MB budget, and every page of the 121 real ones (at most 570 KB).
PARSE_IN_REQUEST_MAX_BYTES = env.int("PARSE_IN_REQUEST_MAX_BYTES", default=1024 * 1024)
if not 0 <= PARSE_IN_REQUEST_MAX_BYTES <= 2 * 1024 * 1024:
    raise ImproperlyConfigured(
        "PARSE_IN_REQUEST_MAX_BYTES must be between 0 and 2097152 (2 MiB): parsing costs "
        "about 30 MB per MiB, and a request must stay under 100 MB."
    )
FETCH_TIMEOUT_SECONDS = env("FETCH_TIMEOUT_SECONDS")
FETCH_ALLOW_PRIVATE = env("FETCH_ALLOW_PRIVATE")
FETCH_RETRY_BASE_SECONDS = env("FETCH_RETRY_BASE_SECONDS")
# --- Outbound requests (claims/net/fetching.py) ---
# A whole fetch, redirects included, must finish within this many seconds.
FETCH_DEADLINE_SECONDS = env.float("FETCH_DEADLINE_SECONDS", default=30.0)
# Fetches and webhooks go only to these ports (FETCH_ALLOW_PRIVATE lifts it, for development).
FETCH_ALLOWED_PORTS = [int(p) for p in env.list("FETCH_ALLOWED_PORTS", default=["80", "443"])]

FACTCHECK_ORGANIZATION_NAME = env("FACTCHECK_ORGANIZATION_NAME", default="Factcheck Desk")
# The one source of absolute links (emails, JSON-LD, feeds, exports) for the web
# server and the commands alike: by default the address bin/run serves on PORT.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")
FACTCHECK_ORGANIZATION_URL = env("FACTCHECK_ORGANIZATION_URL", default=SITE_URL.rstrip("/") + "/")
FACTCHECK_ORGANIZATION_LOGO_URL = env("FACTCHECK_ORGANIZATION_LOGO_URL", default="")
PUBLIC_FEED_PAGE_SIZE = env.int("PUBLIC_FEED_PAGE_SIZE", default=50)
PUBLIC_FEED_CACHE_SECONDS = env.int("PUBLIC_FEED_CACHE_SECONDS", default=300)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)

# Email: console in development, SMTP (EMAIL_URL) in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="factcheck@localhost")
# An SMTP server that accepts the connection and then says nothing must not hold
# the sender until Celery's hard limit kills it (EMAIL_URL may not set a timeout).
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=EMAIL_CONFIG.get("EMAIL_TIMEOUT") or 30.0)

# Throttling and the public feeds use this cache: locmem by default, Redis or
# memcached in production through CACHE_URL (e.g. redis://host:6379/1).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

REST_FRAMEWORK = {
    # Token first, so an anonymous API call gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.IsDeskUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["claims.api.throttles.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"writes": env.str("API_WRITE_RATE", default="120/min")},
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
}
# --- API tokens (django-rest-knox) ---
# Stored as SHA-512 digests; each lasts API_TOKEN_TTL_HOURS from when it is issued
# (no sliding refresh), and all of a user's go when the password changes or the
# account is switched off (claims/accounts/api_tokens.py).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.float("API_TOKEN_TTL_HOURS", default=24 * 30)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": env.int("API_TOKENS_PER_USER", default=20),
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Articles, claims, evidence, the review workflow and ClaimReview.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["claims.api.permissions.IsDeskUser"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "ArticleStatusEnum": "claims.models.Article.Status",
        "DeliveryStatusEnum": "claims.models.WebhookDelivery.Status",
    },
}

# --- HTTPS in production ---
# X-Forwarded-Proto is believed only from a proxy we were told about: with
# gunicorn published directly, any client could claim https.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    # HSTS goes only on responses to https requests, so it is safe on by default.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    # The TLS proxy redirects http to https in the documented topology; turn this
    # on when nothing in front of Django does.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SILENCED_SYSTEM_CHECKS = [
        # The redirect is the TLS proxy's job unless SECURE_SSL_REDIRECT says otherwise.
        *([] if SECURE_SSL_REDIRECT else ["security.W008"]),
        # Preloading is a commitment the operator makes at hstspreload.org, not a default.
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]

# --- Logs, metrics, error reports (claims/ops/, docs/operations.md) ---
# One JSON object a line on stdout (LOG_FORMAT=json), or readable lines
# (LOG_FORMAT=text, bin/run --dev). A line per request (factcheck.request) and per
# task (factcheck.task) replaces Celery's own "received"/"succeeded" lines.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "claims.ops.logs.JsonFormatter"},
        "text": {"()": "claims.ops.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        # The request line says the same, with the request id.
        "django.server": {"level": "WARNING"},
    },
}

# /metrics: a bearer token, or client addresses (CIDRs) allowed without one.
# Neither set: /metrics answers 403 to everyone.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="").strip()
try:
    METRICS_ALLOWED_IPS = [
        ipaddress.ip_network(n.strip(), strict=False)
        for n in env.list("METRICS_ALLOWED_IPS", default=[])
        if n.strip()
    ]
except ValueError as exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS: {exc}") from None
# The claim statuses counted as the triage backlog (those the workflow has).
METRICS_TRIAGE_STATUSES = env.list("METRICS_TRIAGE_STATUSES", default=["triage"])

# Sentry: nothing is loaded or sent unless SENTRY_DSN is set; never personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="").strip()
if SENTRY_DSN:
    from claims.ops import sentry

    sentry.init(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default=""),
        release=env.str("SENTRY_RELEASE", default=""),
        traces=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
