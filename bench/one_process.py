"""What a logged-in request costs, in one process, without HTTP.

The shared host's speed wanders and a rush's rate follows it; CPU time per
request in one process, through the same WSGI handler gunicorn calls, is the
steadiest figure to compare two versions of the code with. On a copy of a
bench database (SQLITE_PATH, or DATABASE_URL): `/healthz`, a check-in by
code (each of ONE_PROCESS_TRAINEES trainees once, so each writes), the same
check-ins again (nothing left to write), `/me/` and the class page as
`demo_trainee`, each as the median CPU time of its requests; and the feeds
a stranger asks for (`schedule.ics`, the district's, a town's and a
village's `feed.ics`, a session's `event.ics`: the pages `make bench`
times), rendered afresh with `PAGE_CACHE_SECONDS=0` as its uncached pass
serves them (else from the page cache). `ONE_PROCESS_KINDS=healthz,
district.ics` times only those kinds. `ONE_PROCESS_PROFILE=<name>` prints a
cProfile of that kind instead (`checkin`, `again`, `me`, `class`,
`healthz`, `village.ics`, …); `ONE_PROCESS_LAYERS=1`
prints where each kind's time goes: each middleware, the session and user
loads, the view and what it calls, the template (CPU per request, each
layer without the layers inside it).

    SQLITE_PATH=/tmp/copy.sqlite3 .venv/bin/python bench/one_process.py
"""

import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_site.settings.dev")
os.environ.setdefault("DJANGO_DEBUG", "0")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from training_site.navigation import may_administer  # noqa: E402

TRAINEES = int(os.environ.get("ONE_PROCESS_TRAINEES", "300"))
REPEAT = int(os.environ.get("ONE_PROCESS_REPEAT", "200"))
PROFILE = os.environ.get("ONE_PROCESS_PROFILE", "")
KINDS = {kind for kind in os.environ.get("ONE_PROCESS_KINDS", "").split(",") if kind}
LAYERS = os.environ.get("ONE_PROCESS_LAYERS") == "1"
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"
HOST = "127.0.0.1"


def logged_in(user) -> str:
    """As bench/server.py's LOGIN: what a login writes, without a password."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    for path in settings.AUTHENTICATION_BACKENDS:
        backend = load_backend(path)
        if hasattr(backend, "get_user") and backend.get_user(user.pk) is not None:
            store[BACKEND_SESSION_KEY] = path
            break
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    may_administer(SimpleNamespace(session=store), user)
    store.create()
    return store.session_key


class Layers:
    """CPU time spent in each wrapped callable, less the wrapped callables it
    called (so the figures add up to the request)."""

    def __init__(self):
        self.totals = {}
        self.stack = []

    def wrap(self, label, function):
        def timed(*args, **kwargs):
            self.stack.append(0)
            began = time.process_time_ns()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.process_time_ns() - began
                inner = self.stack.pop()
                self.totals[label] = self.totals.get(label, 0) + spent - inner
                if self.stack:
                    self.stack[-1] += spent

        timed.__wrapped__ = function
        return timed

    def patch(self, owner, name, label):
        setattr(owner, name, self.wrap(label, getattr(owner, name)))

    def install(self):
        """Every middleware, and the calls known to cost (before the
        handler is built: its chain is made of the wrapped middleware)."""
        import django.core.handlers.base as base
        from django.contrib import auth
        from django.contrib.sessions.backends import db as session_db
        from django.middleware.csrf import CsrfViewMiddleware
        from django.template.response import SimpleTemplateResponse
        from django.urls.resolvers import URLResolver
        from wagtail import views as wagtail_views

        from lectures.services import checkin as checkin_service
        from training_site import personal_pages

        convert = base.convert_exception_to_response

        def converted(get_response):
            label = getattr(get_response, "__name__", type(get_response).__name__)
            return convert(self.wrap(f"middleware {label}", get_response))

        base.convert_exception_to_response = converted
        self.patch(session_db.SessionStore, "load", "session load")
        from importlib import import_module

        store = import_module(settings.SESSION_ENGINE).SessionStore
        if "load" in vars(store):  # the site's own store (training_site/sessions.py)
            self.patch(store, "load", "session load")
        self.patch(auth, "get_user", "user load (auth.get_user)")
        self.patch(CsrfViewMiddleware, "process_view", "CSRF check")
        self.patch(URLResolver, "resolve", "URL resolving")
        self.patch(wagtail_views, "serve", "Wagtail serve (routing, hooks)")
        self.patch(checkin_service, "check_in", "check-in service")
        self.patch(SimpleTemplateResponse, "render", "template rendering")
        self.patch(personal_pages, "personal_fragment", "kept copy (personal_fragment)")
        self.patch(base.BaseHandler, "get_response", "request, response objects")
        from django.template import context as template_context
        from django.template import loader
        from wagtail.contrib.routable_page.models import RoutablePageMixin

        from training_site.notify import inbox

        self.patch(loader, "render_to_string", "template rendering")
        self.patch(
            template_context.RequestContext, "bind_template", "context processors"
        )
        self.patch(inbox, "unread_count", "unread count (header)")
        self.patch(RoutablePageMixin, "serve", "page serve (routable page)")
        self.patch(RoutablePageMixin, "route", "page route (routable page)")
        self.patch(RoutablePageMixin, "resolve_subpage", "routable resolver")
        from django.db.backends.sqlite3.base import DatabaseWrapper

        self.patch(checkin_service, "_count_guess", "check-in: wrong-code counters")
        self.patch(checkin_service, "_record", "check-in: attendance insert")
        self.patch(checkin_service, "log_at_once", "check-in: log entry insert")
        self.patch(DatabaseWrapper, "_commit", "transaction: COMMIT")
        self.patch(
            DatabaseWrapper, "_start_transaction_under_autocommit", "transaction: BEGIN"
        )

    def take(self) -> dict:
        totals, self.totals = self.totals, {}
        return totals


class Server:
    """Calls the WSGI handler as gunicorn does, with a browser's headers."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.factory = RequestFactory()

    def environ(self, method, path, key=None, data=None) -> dict:
        cookie = f"sessionid={key}; csrftoken={CSRF}" if key else ""
        extra = {
            "HTTP_HOST": HOST,
            "HTTP_ACCEPT_ENCODING": "gzip",
            "SERVER_PORT": "80",
        }
        if cookie:
            extra["HTTP_COOKIE"] = cookie
        if method == "POST":
            body = urlencode({**data, "csrfmiddlewaretoken": CSRF})
            extra["HTTP_REFERER"] = f"http://{HOST}/"
            request = self.factory.generic(
                "POST", path, body, "application/x-www-form-urlencoded", **extra
            )
        else:
            request = self.factory.generic("GET", path, **extra)
        # What a server puts there: the URL's bytes, read as latin-1 (WSGI).
        request.environ["PATH_INFO"] = unquote_to_bytes(path).decode("iso-8859-1")
        return request.environ

    def __call__(self, environ) -> tuple[int, bytes]:
        status = []
        body = b"".join(self.handler(environ, lambda s, headers, *a: status.append(s)))
        return int(status[0].split()[0]), body


def timed(server, environs, expect=(200,)) -> list[float]:
    out = []
    for environ in environs:
        began = time.process_time()
        status, _body = server(environ)
        out.append(time.process_time() - began)
        if status not in expect:
            raise RuntimeError(f"{environ['PATH_INFO']}: {status}")
    return out


def setup():
    from lectures.models import DistrictForumPage, SessionPage

    district = DistrictForumPage.objects.get()
    now = timezone.now()
    session = SessionPage(
        title="一进程签到",
        start=now + timedelta(minutes=5),
        end=now + timedelta(hours=2),
        venue="礼堂",
    )
    session = district.add_child(instance=session)
    users = get_user_model().objects.filter(username__startswith="t139")
    keys = [logged_in(user) for user in users.order_by("pk")[:TRAINEES]]
    trainee = logged_in(get_user_model().objects.get(username="demo_trainee"))
    from courses.models import ClassPage

    class_url = ClassPage.objects.live().order_by("path").first().url
    return session, keys, trainee, class_url


def feeds() -> dict:
    """The feeds as bench/pages.py picks them: {kind: path}."""
    from lectures.models import DistrictForumPage, ForumPage, SessionPage

    def busy(level):
        sessions = SessionPage.objects.live()
        for forum in ForumPage.objects.live().filter(level=level).order_by("path"):
            if (
                sessions.upcoming().filter(forum=forum).exists()
                and sessions.in_subtree(forum).held().exists()
                and (
                    level == "village"
                    or forum.get_children().live().type(ForumPage).exists()
                )
            ):
                return forum
        raise LookupError(level)

    upcoming = (
        SessionPage.objects.live()
        .upcoming()
        .filter(status="scheduled")
        .order_by("path")
    )
    return {
        "schedule.ics": "/schedule.ics",
        "district.ics": DistrictForumPage.objects.get().url + "feed.ics",
        "town.ics": busy("unit").url + "feed.ics",
        "village.ics": busy("village").url + "feed.ics",
        "event.ics": upcoming.first().url + "event.ics",
    }


def main():
    from lectures.services.checkin import _slot, code_for

    layers = Layers()
    if LAYERS:
        layers.install()
    server = Server()
    feed_paths = feeds()  # before setup() adds its session
    logged_in_kinds = {"checkin", "again", "me", "class"}
    if KINDS and not KINDS & logged_in_kinds:  # the feeds alone write nothing
        session = keys = trainee = class_url = checkin = None
    else:
        session, keys, trainee, class_url = setup()
        checkin = session.url + "checkin/"

    def code():
        return {"code": code_for(session, _slot(timezone.now()))}

    kinds = {
        "healthz": lambda: [server.environ("GET", "/healthz") for _ in range(REPEAT)],
        "checkin": lambda: [server.environ("POST", checkin, k, code()) for k in keys],
        "again": lambda: [server.environ("POST", checkin, k, code()) for k in keys],
        "me": lambda: [server.environ("GET", "/me/", trainee) for _ in range(REPEAT)],
        "class": lambda: [
            server.environ("GET", class_url, trainee) for _ in range(REPEAT)
        ],
    }
    for kind, path in feed_paths.items():
        kinds[kind] = lambda path=path: [
            server.environ("GET", path) for _ in range(REPEAT)
        ]
    if KINDS:
        kinds = {kind: make for kind, make in kinds.items() if kind in KINDS}
    # Warm the process: routes, templates, the kept copies.
    for path in ("/healthz", "/me/", class_url) if trainee else ("/healthz",):
        for _ in range(3):
            server(server.environ("GET", path, trainee))
    for path in feed_paths.values():
        for _ in range(3):
            server(server.environ("GET", path))
    server(server.environ("GET", "/healthz"))
    figures = {}
    for name, make in kinds.items():
        environs = make()
        if name == PROFILE:
            profile = cProfile.Profile()
            profile.enable()
            timed(server, environs)
            profile.disable()
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            lines = int(os.environ.get("ONE_PROCESS_LINES", "90"))
            stats.sort_stats("cumulative").print_stats(lines)
            if os.environ.get("ONE_PROCESS_CALLEES"):
                stats.print_callees(os.environ["ONE_PROCESS_CALLEES"])
            print(out.getvalue())
            continue
        layers.take()
        samples = timed(server, environs)
        figures[name] = statistics.median(samples) * 1000
        if LAYERS:
            spent = layers.take()
            print(f"{name}: {sum(samples) * 1000 / len(samples):.2f} ms mean")
            for label, ns in sorted(spent.items(), key=lambda item: -item[1]):
                print(f"  {ns / 1e6 / len(samples):6.3f} ms  {label}")
    floor = figures.get("healthz")
    for name, ms in figures.items():
        ratio = f" ({ms / floor:.1f}× /healthz)" if floor else ""
        print(f"{name:8} {ms:6.2f} ms CPU median{ratio}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
