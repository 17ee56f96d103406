"""Which pages the benchmark measures, and what each costs in queries.

`PAGES` is the list to extend: a name, who looks at it (None = anonymous),
and a Python expression giving its path in a Django shell where `first(M)`
is the first live page of model M and `url(name)` reverses a URL. A page
whose model or URL does not exist yet, or which answers 404, is skipped with
a note, so pages other branches are building join the table when they land.
"""

from server import django_shell

# (name, user, expression for the path)
PAGES = [
    ("/healthz", None, "'/healthz'"),
    ("/", None, "'/'"),
    ("/schedule/", None, "'/schedule/'"),
    ("/schedule/ filtered", None, "'/schedule/?level=unit&forum=' + busy('unit').slug"),
    ("district forum", None, "busy('district').url"),
    ("town forum", None, "busy('unit').url"),
    ("village forum", None, "busy('village').url"),
    ("session", None, "upcoming_session().url"),
    ("lecturer", None, "url('lectures:lecturer_detail', first_lecturer())"),
    ("/schedule.ics", None, "'/schedule.ics'"),
    ("forum feed.ics", None, "first('lectures.DistrictForumPage').url + 'feed.ics'"),
    ("town feed.ics", None, "busy('unit').url + 'feed.ics'"),
    ("village feed.ics", None, "busy('village').url + 'feed.ics'"),
    ("event.ics", None, "upcoming_session().url + 'event.ics'"),
    ("/classes/", None, "'/classes/'"),
    ("class page", None, "first('courses.ClassPage').url"),
    ("/me/", "demo_trainee", "'/me/'"),
    ("class page (trainee)", "demo_trainee", "first('courses.ClassPage').url"),
    ("network report", "demo_admin", "url('stats_report_network') + year()"),
    # 全覆盖 for this year, the whole district (every cadre's ledger), and
    # the town's cadres behind (the demo's path).
    ("coverage report", "demo_admin", "url('stats_report_coverage')"),
    (
        "coverage names (town)",
        "demo_town",
        "url('stats_report_coverage_names') + '?status=behind'",
    ),
    # The header's "cadres behind" for the whole district: a page of names
    # among half the district's cadres.
    (
        "coverage names (district)",
        "demo_admin",
        "url('stats_report_coverage_names') + '?status=behind'",
    ),
]

# Pages one person waits for on his own — a report an administrator asks for —
# are timed with one client: the wait is what the target is about, and two
# reports at once on two cores each get half the machine. They are timed with
# two clients at once as well (`two_clients_median_ms`), for comparison.
ALONE = {
    "network report",
    "coverage report",
    "coverage names (town)",
    "coverage names (district)",
}

RESOLVE = """
import json
from django.apps import apps
from django.urls import reverse
from lectures.models import Lecturer
def first(label):
    model = apps.get_model(label)
    return model.objects.live().order_by('path').first()
def url(name, *args):
    for candidate in (name, 'lectures:' + name, 'lectures_reports:' + name,
                      'wagtailadmin_reports:' + name, 'reports:' + name):
        try:
            return reverse(candidate, args=args)
        except Exception:
            pass
    raise LookupError(name)
def busy(level):
    # A forum whose every list has something in it (upcoming sessions of its
    # own, held ones below, sub-forums), so that counts compare like with
    # like at every scale: an empty list skips its prefetch queries.
    from lectures.models import ForumPage, SessionPage
    for forum in ForumPage.objects.live().filter(level=level).order_by('path'):
        sessions = SessionPage.objects.live()
        if (sessions.upcoming().filter(forum=forum).exists()
                and sessions.in_subtree(forum).held().exists()
                and (level == 'village'
                     or forum.get_children().live().type(ForumPage).exists())):
            return forum
    raise LookupError(level)
def upcoming_session():
    from lectures.models import SessionPage
    return (SessionPage.objects.live().upcoming().filter(status='scheduled')
            .order_by('path').first())
def year():
    # the last year, as `lecture_stats` is timed
    from datetime import timedelta
    from django.utils import timezone
    end = timezone.localdate()
    return f'?start={end - timedelta(days=365)}&end={end}'
def first_lecturer():
    return Lecturer.objects.order_by('pk').values_list('pk', flat=True).first()
out = {}
for name, user, expression in PAGES:
    try:
        out[name] = {'path': eval(expression), 'user': user}
    except Exception as error:
        out[name] = {'skip': f'{type(error).__name__}: {error}'[:120]}
print(json.dumps(out))
"""

COUNT = """
import json
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
pages = PAGES_JSON
out = {}
for name, page in pages.items():
    client = Client(HTTP_HOST='127.0.0.1')
    if page['user']:
        client.force_login(get_user_model().objects.get(username=page['user']))
    first = client.get(page['path'])  # warm Wagtail's per-process caches
    if first.status_code == 404:
        out[name] = {'skip': '404 (not built yet)'}
        continue
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page['path'])
    out[name] = {'queries': len(queries), 'status': response.status_code}
print(json.dumps(out))
"""


def discover(env) -> dict:
    """name → {"path", "user"} or {"skip": why}."""
    script = f"PAGES = {PAGES!r}\n" + RESOLVE
    return django_shell(env, script)


def query_counts(env, pages: dict) -> dict:
    """name → {"queries", "status"} or {"skip"}; with the page cache off, so
    the count is what rendering the page costs."""
    live = {name: page for name, page in pages.items() if "path" in page}
    script = COUNT.replace("PAGES_JSON", repr(live))
    return django_shell({**env, "PAGE_CACHE_SECONDS": "0"}, script)
