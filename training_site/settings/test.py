import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = os.environ.get("SMS_BACKEND", "training_site.notify.sms.MemoryBackend")
# Off, so a test run at night sends what it sends by day; the quiet hours'
# own tests turn them on.
NOTIFY_QUIET_HOURS = None
# Deliveries run in the test's own process as they are handed over (after
# the commit); the worker tests run real workers on the database backend.
if os.environ.get("NOTIFY_TASKS") != "database":
    TASKS = {
        **TASKS,  # noqa: F405
        "notify": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
WAGTAILADMIN_BASE_URL = "http://testserver"
# One process: Wagtail's per-process cache of site root paths is enough, and
# page query counts stay what the pages themselves cost.
CACHES = {
    **CACHES,  # noqa: F405
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# Off, so query counts measure the pages themselves; the page cache's own
# tests turn it on (the servers of test_page_cache_processes.py by the
# environment).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
# Serve static files straight from the apps: tests run without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A real file, not Django's shared-cache memory database: concurrency tests
# run threads against it, and only a file has SQLite's real locking (WAL,
# IMMEDIATE transactions, the busy timeout) that production relies on.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")  # noqa: F405
    }
