"""Project settings: every knob comes from an environment variable (documented in .env.example)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# --- Core -----------------------------------------------------------------------------------
# Local runs default to DEBUG on (healthchecks does the same); production sets DEBUG=0.
DEBUG = env.bool("DEBUG", default=True)
INSECURE_DEV_KEY = "django-insecure-local-development-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEV_KEY)
if not DEBUG and SECRET_KEY == INSECURE_DEV_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (50+ random characters) when DEBUG=0.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="Northwind Support")
# The chat widget shown on our own help-center pages (a chatbot Widget's public key; its
# allowed origins must include SITE_URL). Local runs use the demo widget from load_demo.
HELP_CENTER_WIDGET_KEY = env.str("HELP_CENTER_WIDGET_KEY", default="demo-shop-key" if DEBUG else "")
# Bot conversations quiet this long, neither resolved nor escalated, count as abandoned.
CHATBOT_ABANDON_AFTER_MINUTES = env.int("CHATBOT_ABANDON_AFTER_MINUTES", default=30)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "corsheaders",
]
# Our apps, in dependency order: each may import those before it, never those after
# (tests/helpdesk/test_layering.py).
LOCAL_APPS = ["helpdesk", "customers", "kb", "tickets", "mail", "chatbot", "analytics"]
# haystack after our apps: our `update_index` command (which also optimises) then wins.
INSTALLED_APPS += [*LOCAL_APPS, "haystack"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "helpdesk.visitors.VisitorMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"
AUTH_USER_MODEL = "helpdesk.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

FORM_RENDERER = "helpdesk.forms_renderer.FastFormRenderer"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "helpdesk.context_processors.site",
                "analytics.context_processors.analytics_link",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'helpdesk.sqlite3'}"),
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server's readers run beside a writer; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                # A cache outage degrades to cache misses; it must never fail a request.
                "IGNORE_EXCEPTIONS": True,
            },
            "KEY_PREFIX": "helpdesk",
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# API tokens are remembered per process only where a revocation reaches every process: through
# the shared cache. A local-memory cache would not see a token deleted by another process
# (`manage.py drf_create_token -r`), so without Redis every request checks its token.
API_TOKENS_REMEMBERED = env.bool("API_TOKENS_REMEMBERED", default=bool(REDIS_URL))

# Without a broker, tasks run eagerly in-process (embedded mode); see helpdesk/celery.py.
CELERY_BROKER_URL = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_EAGER_PROPAGATES", default=DEBUG)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Whoosh allows one writer: every index write goes to the `search` queue (concurrency 1).
CELERY_TASK_ROUTES = {"*.search_tasks.*": {"queue": "search"}}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
# A short publish retry: a request must never hang on a broker that is down.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "helpdesk.tasks.heartbeat", "schedule": 60.0},
    "flush-event-buffer": {"task": "helpdesk.tasks.flush_event_buffer", "schedule": 10.0},
    "reconcile-search-index": {"task": "helpdesk.search_tasks.reconcile_index", "schedule": 900.0},
    "sweep-notification-outbox": {"task": "tickets.tasks.sweep_outbox", "schedule": 60.0},
    # Each app adds its own periodic tasks below (one line each, keep the app name in the key).
    "analytics-rollup": {"task": "analytics.tasks.rollup_recent_days", "schedule": 3600.0},
    "mail-poll-imap": {"task": "mail.tasks.poll_mailboxes", "schedule": 60.0},
    "tickets-check-slas": {"task": "tickets.tasks.check_slas", "schedule": 60.0},
    "tickets-route-waiting": {"task": "tickets.tasks.route_waiting_tickets", "schedule": 60.0},
    "chatbot-mark-abandoned": {"task": "chatbot.tasks.mark_abandoned", "schedule": 300.0},
    "tickets-idle-agents-away": {"task": "tickets.tasks.mark_idle_agents_away", "schedule": 60.0},
    "tickets-sweep-webhooks": {"task": "tickets.tasks.sweep_webhooks", "schedule": 60.0},
    "tickets-scheduled-automations": {
        "task": "tickets.tasks.run_scheduled_automations",
        "schedule": 300.0,
    },
}
CELERY_TIMEZONE = "UTC"

# --- Search ---------------------------------------------------------------------------------
SEARCH_URL = env.str("SEARCH_URL", default=f"whoosh://{VAR_DIR / 'whoosh_index'}")


def _haystack_connection(url: str) -> dict:
    """Map SEARCH_URL to a haystack connection: whoosh:///path, elasticsearch://host:port/index."""
    parts = urlsplit(url)
    if parts.scheme == "whoosh":
        return {
            "ENGINE": "helpdesk.search_backend.HelpdeskWhooshEngine",
            "PATH": parts.path or str(VAR_DIR / "whoosh_index"),
            # Bigger batches, fewer segments: a 10,000-article rebuild is one batch, written by
            # one process per core (one segment each) and needs no merge pass.
            "BATCH_SIZE": 10000,
        }
    if parts.scheme in {"elasticsearch", "elasticsearch7", "http", "https"}:
        scheme = "https" if parts.scheme == "https" else "http"
        return {
            "ENGINE": "helpdesk.search_es.HelpdeskElasticsearchEngine",
            "URL": f"{scheme}://{parts.netloc}/",
            "INDEX_NAME": parts.path.strip("/") or "helpdesk",
        }
    if parts.scheme == "solr":
        return {
            "ENGINE": "haystack.backends.solr_backend.SolrEngine",
            "URL": f"http://{parts.netloc}{parts.path}",
        }
    raise ImproperlyConfigured(f"SEARCH_URL scheme {parts.scheme!r} is not supported.")


HAYSTACK_CONNECTIONS = {"default": _haystack_connection(SEARCH_URL)}
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 10
# Index writes go through the `search` queue after commit (helpdesk/search_sync.py).
HAYSTACK_SIGNAL_PROCESSOR = "helpdesk.search_sync.QueuedSignalProcessor"
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False

# --- Email ----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="support@example.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Inbound mail (mail app): the HTTP endpoint's shared secret (empty: endpoint off), its per-IP
# rate, the largest message accepted, extra addresses that are the helpdesk itself (mail from
# them is a loop), and an IMAP mailbox polled every minute (more in admin).
MAIL_INBOUND_SECRET = env.str("MAIL_INBOUND_SECRET", default="")
MAIL_INBOUND_RATE = env.str("MAIL_INBOUND_RATE", default="300/m")
MAIL_MAX_MESSAGE_BYTES = env.int("MAIL_MAX_MESSAGE_BYTES", default=25 * 1024 * 1024)
MAIL_OWN_ADDRESSES = env.list("MAIL_OWN_ADDRESSES", default=[])
IMAP_URL = env.str("IMAP_URL", default="")
MAIL_IMAP_TIMEOUT = env.int("MAIL_IMAP_TIMEOUT", default=30)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [
    ("en", _("English")),
    ("fi", _("Finnish")),
    ("ar", _("Arabic")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploads are served by permission-checked views only, never straight from MEDIA_URL.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


def _static_headers(headers, path: str, url: str) -> None:
    """The chat widget script is loaded by other sites: let them (and SRI checks) load it, and
    keep its unversioned URL fresh so a fix reaches every shop within minutes."""
    if url.endswith("chatbot/widget.js"):
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Cache-Control"] = "public, max-age=300"


WHITENOISE_ADD_HEADERS_FUNCTION = _static_headers
# Local runs (and tests) serve straight from the source folders; production from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_ATTACHMENT_BYTES = env.int("MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)

# --- Routing and webhooks (tickets) ------------------------------------------------------------
# Online agents with no desk activity for this long become "away" (routing skips them).
AGENT_AWAY_AFTER_MINUTES = env.int("AGENT_AWAY_AFTER_MINUTES", default=10)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
# CIDRs webhooks may reach although private (e.g. an internal relay); empty = public only.
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("SECURE_PROXY_SSL_HEADER", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis when configured) and written through to the database:
# no session query on a page, and nobody is signed out when the cache is flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
USE_X_FORWARDED_HOST = False

# django-csp 4: no inline script or style anywhere; a nonce is available where one is needed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Nothing in the API is cross-origin except the chat widget's endpoints, whose allowed origins
# are set per widget key by chatbot/cors.py; django-cors-headers must leave those alone.
CORS_ALLOWED_ORIGINS: list[str] = []
CORS_URLS_REGEX = r"^/api/v1/(?!chat/).*$"
# Behind a proxy, the header that carries the client's address (e.g. HTTP_X_REAL_IP) for
# per-IP rate limits; by default the direct peer address.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# Rate limits of public endpoints (contact form, chat, votes, search); only load tests turn
# them off.
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "helpdesk.api_auth.CachedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Helpdesk API",
    "DESCRIPTION": "Help center, chatbot widget, tickets and analytics.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from our own static files: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ImportKindEnum": "customers.models.AttributeTarget",
    },
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
