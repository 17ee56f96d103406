"""Settings shared by every environment.

Environment-specific modules (dev, production, test) import from here and
override what differs. Anything secret or host-specific comes from the
environment.
"""

import importlib.util
import json
import os
import urllib.parse
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "training_site"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


SECRET_KEY = os.environ.get(
    "SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789"
)
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "training_site",
    "training_site.notify",
    "lectures",
    "courses",
    "stats",
    "people",
    "topics",
    "onboarding",
    "records",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "training_site.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "training_site.middleware.RejectNulCharactersMiddleware",
    "training_site.page_cache.PublicPageCacheMiddleware",
    # Inside the page cache, which stores pages compressed (page_cache.py).
    "django.middleware.gzip.GZipMiddleware",
    "training_site.site_cache.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An initial password is replaced before anything else (people/).
    "people.middleware.FirstPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "training_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "training_site.navigation.header",
                "training_site.notify.views.unread",
                # After Django's CSRF token, which it replaces in a kept copy.
                "training_site.personal_pages.csrf_placeholder",
            ],
        },
    },
]

WSGI_APPLICATION = "training_site.wsgi.application"

# SQLite by default, tuned for several writers (a check-in rush): WAL lets
# readers and the one writer proceed together, IMMEDIATE takes the write lock
# at BEGIN so two transactions never deadlock upgrading their locks, and the
# busy timeout makes a writer wait for the lock instead of failing at once.
# The database is memory-mapped: pages are read from the operating system's
# cache, shared by every worker, instead of copied into each connection's.
# Connections stay open between requests (CONN_MAX_AGE, as for PostgreSQL):
# opening one and setting its pragmas cost more than serving a cached page.
SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue on a file lock rather than SQLite's sleep-and-retry
    # (training_site/db/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "training_site.db.sqlite3"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA mmap_size=1073741824;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATION}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses every login while an account and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    # The user name or the mobile number (people.backends), else as Django's.
    "people.backends.UsernameOrMobileBackend",
]
# Reset links (by email, or an administrator's one-time set-password link)
# are valid for 72 hours and work once (they are tied to the password hash).
PASSWORD_RESET_TIMEOUT = 72 * 3600
# Django's database sessions, read without the ORM (training_site/sessions.py).
SESSION_ENGINE = "training_site.sessions"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Chinese first: Simplified Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Ours first; then our Chinese for the packages' strings (Wagtail's zh_Hans
# catalogue lacks or mistranslates some), which wins over theirs.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_packages"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
SERVE_MEDIA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Caches are shared by every process (and host): Redis with REDIS_URL, else
# tables in the database (`manage.py createcachetable`). Nothing that another
# process needs lives in process memory: Wagtail keeps its site root paths
# and the network import its upload in "default", the public pages live in
# "pages" (training_site/page_cache.py), and wrong check-in codes are counted
# in "counters".
REDIS_URL = os.environ.get("REDIS_URL", "")
# A Redis that fails is a miss, never an error (training_site/caching.py):
# seconds to connect and to wait for an answer (it answers in well under a
# millisecond on a LAN), and how long a process leaves a failing Redis alone
# before trying again, so a dead one costs a request a timeout every few
# seconds per process, not on every call.
REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5"))
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "1"))
REDIS_RETRY_SECONDS = float(os.environ.get("REDIS_RETRY_SECONDS", "5"))


def _shared_cache(table: str, **options) -> dict:
    if REDIS_URL:
        return {
            "BACKEND": "training_site.caching.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": table,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": table,
        "OPTIONS": options,
    }


CACHES = {
    "default": _shared_cache("site_cache"),
    "pages": _shared_cache("page_cache", MAX_ENTRIES=20000, CULL_FREQUENCY=4),
    # Counters must hold across processes: the database, also with Redis, so
    # a Redis restart does not reset the limits on wrong codes.
    "counters": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lectures_counters",
    },
}
# How long an anonymous visitor's page may be served from the cache; 0 turns
# the page cache off. Content changes invalidate at once; figures that follow
# participation (seats taken, person-times) are at most this old.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# How much longer an expired page is kept, to serve while one visitor renders
# it afresh (training_site/page_cache.py).
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "600"))

# Login attempts (django-axes), on /accounts/login/ and the admin's login alike:
# after five wrong passwords for one username from one address, that pair is
# locked out for 15 minutes; a success resets the count. Failures are kept in
# the database, so every process and host shares them. Behind a proxy set
# AXES_IPWARE_PROXY_COUNT so the client's address, not the proxy's, is used.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_IPWARE_PROXY_COUNT", 0)) or None
AXES_VERBOSE = False

# Content-Security-Policy (django-csp). Our pages carry no inline script or
# style and load nothing from elsewhere; the QR code is a data: image. The
# Wagtail admin's widgets still write inline scripts and styles, so
# training_site.csp relaxes script-src and style-src under /admin/ only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
CSP_ADMIN_PREFIX = "/admin/"
CSP_ADMIN_RELAXED = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}

# Notices (training_site/notify): the in-app inbox, SMS and email, sent by
# the background worker (`manage.py notify_worker`, started by `make run`).
# Wagtail's own tasks stay on the in-process "default" backend; the notices
# have a queue of their own, in the database (django-tasks-db), or in Redis
# (django-tasks-rq) when REDIS_URL is set and the `rq` extra is installed.
if REDIS_URL and importlib.util.find_spec("django_tasks_rq"):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"notify": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    _NOTIFY_TASKS = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["notify"]}
else:
    _NOTIFY_TASKS = {"BACKEND": "django_tasks_db.DatabaseBackend"}
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notify": _NOTIFY_TASKS,
}
# A claimed delivery whose worker died is taken again after this long.
NOTIFY_LEASE_SECONDS = int(os.environ.get("NOTIFY_LEASE_SECONDS", 300))
# Failures are retried after 1, 4, 16, 64… minutes (at most 6 h), then failed.
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", 6))
NOTIFY_RETRY_SECONDS = int(os.environ.get("NOTIFY_RETRY_SECONDS", 60))
NOTIFY_SWEEP_SECONDS = int(os.environ.get("NOTIFY_SWEEP_SECONDS", 60))
# No text message from 22:00 to 08:00 (site time) unless urgent: it waits.
NOTIFY_QUIET_HOURS = (22, 8)

# SMS: the department's HTTP gateway when SMS_GATEWAY_URL is set, else a
# log file for development (var/sms.log).
SMS_LOG_FILE = os.environ.get("SMS_LOG_FILE", str(BASE_DIR / "var" / "sms.log"))
SMS_GATEWAY = {
    "URL": os.environ.get("SMS_GATEWAY_URL", ""),
    "TOKEN": os.environ.get("SMS_GATEWAY_TOKEN", ""),
    "SECRET": os.environ.get("SMS_GATEWAY_SECRET", ""),
    "SIGN_NAME": os.environ.get("SMS_SIGN_NAME", ""),
    "TIMEOUT": float(os.environ.get("SMS_GATEWAY_TIMEOUT", 10)),
    # Notice kind → the platform's template id, e.g. {"lectures.reminder": "SMS_1"}
    "TEMPLATES": json.loads(os.environ.get("SMS_TEMPLATES", "{}")),
}
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND",
    "training_site.notify.sms.HttpGateway"
    if SMS_GATEWAY["URL"]
    else "training_site.notify.sms.FileBackend",
)

# Email: SMTP from EMAIL_URL (smtp://user:pass@host:587, smtps://… for SSL;
# `?tls=1` for STARTTLS) or EMAIL_HOST and friends; the console otherwise.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 10))
_email_url = urllib.parse.urlsplit(os.environ.get("EMAIL_URL", ""))
if _email_url.hostname:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email_url.hostname
    EMAIL_PORT = _email_url.port or (465 if _email_url.scheme == "smtps" else 587)
    EMAIL_HOST_USER = urllib.parse.unquote(_email_url.username or "")
    EMAIL_HOST_PASSWORD = urllib.parse.unquote(_email_url.password or "")
    EMAIL_USE_SSL = _email_url.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and "tls=0" not in _email_url.query
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jiangtan@example.org")

# Wagtail
WAGTAIL_SITE_NAME = _("Cadre Lecture Network")
# Intranets: no avatars fetched from gravatar.com (and the CSP would block them).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Chinese titles make Chinese slugs; forum slugs in the demo are pinyin.
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads: documents of these types only, checked by their first bytes too
# (training_site.forms); images are opened by Wagtail to prove they are
# images, within a size and a pixel count. No SVG: it can carry scripts.
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "training_site.forms.DocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
