"""Shared by the benchmarks: the real server, and Django snippets in a shell."""

import json
import os
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
# `make run`'s server: WEB_CONCURRENCY workers (one per core) with two threads each.
WORKERS = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))


# A snippet for the shell: `logged_in(user)` → a session key, holding what
# Django's login writes (and the header's flag, navigation.py), without
# hashing a password — thousands of logins are not what is measured.
LOGIN = """
from types import SimpleNamespace
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from training_site.navigation import may_administer
def logged_in(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    may_administer(SimpleNamespace(session=store), user)
    store.create()
    return store.session_key
"""


def django_shell(env, script: str):
    """Run a snippet in `manage.py shell` and read the JSON its last line prints."""
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-v0", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


@contextmanager
def gunicorn(env, port: int, log=subprocess.DEVNULL):
    """`make run`'s server on 127.0.0.1:port, ready when /healthz answers."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "training_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait()
