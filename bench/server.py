"""Shared by the benchmarks: the real server, and Django snippets in a shell."""

import json
import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def server_shape(env) -> tuple[int, int]:
    """`make run`'s server for a database (the Makefile's defaults): WEB_CONCURRENCY
    workers of WEB_THREADS threads; on SQLite two workers per core of one
    thread, on PostgreSQL (DATABASE_URL) one per core of two."""
    cores = os.cpu_count() or 1
    on_sqlite = not env.get("DATABASE_URL")
    workers = env.get("WEB_CONCURRENCY") or (2 * cores if on_sqlite else cores)
    threads = env.get("WEB_THREADS") or (1 if on_sqlite else 2)
    return int(workers), int(threads)


def shape_label(env) -> str:
    workers, threads = server_shape(env)
    return f"gunicorn {workers} workers × {threads} threads"


# A snippet for the shell: `logged_in(user)` → a session key, holding what
# Django's login writes (and the header's flag, navigation.py), without
# hashing a password — thousands of logins are not what is measured.
LOGIN = """
from types import SimpleNamespace
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.conf import settings
from django.contrib.auth import load_backend
from django.contrib.sessions.backends.db import SessionStore
from training_site.navigation import may_administer
def _backend(user):
    # The backend a login would record: the first configured one that finds
    # the user (a path the settings do not list logs nobody in).
    for path in settings.AUTHENTICATION_BACKENDS:
        backend = load_backend(path)
        if hasattr(backend, 'get_user') and backend.get_user(user.pk) is not None:
            return path
    raise LookupError(user)
def logged_in(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = _backend(user)
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


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its children still running
    (gunicorn's master and workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the name: state, ppid, ... utime (14th field), stime (15th)
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class PortTaken(SystemExit):
    pass


def refuse_taken_port(port: int) -> None:
    """Stop when something already listens on `port`: the benchmark would
    time whatever answers there (another branch's server, another site)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As gunicorn binds: connections of an earlier run left in TIME_WAIT
        # do not count, a listener does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise PortTaken(
                f"port {port} is taken ({error.strerror}): stop what listens "
                "there or set BENCH_PORT to a free port"
            ) from error


@contextmanager
def gunicorn(env, port: int, log=subprocess.DEVNULL):
    """`make run`'s server on 127.0.0.1:port, ready when /healthz answers.

    Refuses a taken port, and checks that the server answering is the one it
    started (still running once /healthz answers), so nothing else is timed."""
    refuse_taken_port(port)
    workers, threads = server_shape(env)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "training_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise SystemExit(f"gunicorn on port {port} exited: {server.returncode}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn on port {port} never answered /healthz")
        if server.poll() is not None:  # it failed to bind: another answered
            raise SystemExit(f"gunicorn on port {port} exited: {server.returncode}")
        yield server
    finally:
        server.terminate()
        server.wait()
