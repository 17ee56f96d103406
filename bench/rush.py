"""A registration rush at a full session and a check-in rush, over real HTTP.

`make bench` runs both against its smallest demo database; alone,
`python bench/rush.py` uses SQLITE_PATH (or DATABASE_URL) as it is. Trainees
are logged in beforehand by writing their sessions directly, with what a
login writes (hashing thousands of passwords is not what is measured),
then RUSH_CLIENTS client processes, released together, post as fast as
they can over kept-alive connections: registrations for a session with
100 seats, then check-ins by code to another session, every trainee once.
The same clients ask `/healthz` as many times, in RUSH_ROUNDS rounds taken
in turn with the check-ins' (so what the shared host does during the run
falls on both): the check-in rush is quoted as a ratio to that floor (≥ 0.5
is the target), beside both rates and the server's CPU time per check-in.
While the clock runs a client only sends and reads; the answers are checked
after its last one.
Afterwards the rows are counted: nobody lost or counted twice, nobody past
the capacity.
"""

import gzip
import http.client
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from urllib.parse import urlencode

from server import LOGIN, ROOT, cpu_seconds, django_shell, gunicorn

CLIENTS = int(os.environ.get("RUSH_CLIENTS", "8"))
# RUSH_KINDS="checkin" runs only the floor and the check-in rush (while
# working on the check-in: the registration rush is a minute of a busy host).
KINDS = os.environ.get("RUSH_KINDS", "registration checkin").split()
TRAINEES = int(os.environ.get("RUSH_TRAINEES", "1600"))
# The floor and the check-ins are timed in this many rounds, taken in turn.
ROUNDS = int(os.environ.get("RUSH_ROUNDS", "4"))
CAPACITY = 100
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # a 32-character secret, as Django's

SETUP = (
    LOGIN
    + """
import json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from lectures.models import DistrictForumPage, SessionPage
district = DistrictForumPage.objects.get()
now = timezone.now()
def make(title, capacity, start):
    s = SessionPage(title=title, start=start, end=start + timedelta(hours=2),
                    venue='礼堂', capacity=capacity)
    return district.add_child(instance=s)
# Registration closes at the start: the session registered for starts
# tomorrow, so a slow host's rush still ends before it (it once started
# five minutes ahead, and a rush that outlasted them was refused 197 times).
# Check-in opens 30 minutes before the start: that session starts soon.
full = make('报名冲击测试', %(capacity)d, now + timedelta(days=1))
rush = make('签到冲击测试', None, now + timedelta(minutes=5))
users = get_user_model().objects.filter(username__startswith='t139').order_by('pk')
with transaction.atomic():
    keys = [logged_in(user) for user in users[:%(trainees)d]]
print(json.dumps({'full': [full.pk, full.url], 'rush': [rush.pk, rush.url],
                  'keys': keys}))
"""
)

COUNT = """
import json
from lectures.models import Attendance, Registration
f, r = %(full)d, %(rush)d
registrations = Registration.objects.filter(session_id=f)
attendance = Attendance.objects.filter(session_id=r)
print(json.dumps({
    'confirmed': registrations.filter(status='confirmed').count(),
    'waiting': registrations.filter(status='waiting').count(),
    'registrations': registrations.count(),
    'registered_people': registrations.values('user').distinct().count(),
    'attendance': attendance.count(),
    'checked_in_people': attendance.exclude(checked_in_at=None)
        .values('user').distinct().count(),
}))
"""


def _refusals(response, text: bytes) -> list[str]:
    """The error messages a response gives its user: on the page (a form
    answered in place) or in the messages cookie of a redirect, shown on
    the page it leads to (register/ and cancel/ answer so)."""
    from http.cookies import SimpleCookie

    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    said = []
    for header in response.msg.get_all("Set-Cookie") or ():
        cookie = SimpleCookie(header).get(CookieStorage.cookie_name)
        if cookie is not None and cookie.value:
            request = HttpRequest()
            request.COOKIES[CookieStorage.cookie_name] = cookie.value
            said += [
                str(m.message)
                for m in CookieStorage(request)
                if m.level >= constants.ERROR
            ]
    if b"message error" in text:
        said.append(text.split(b"message error", 1)[1][:200].decode(errors="replace"))
    return said


def _post_all(args) -> tuple[float, int, dict, float]:
    """One client: POST to `path` once per session key; (finish time,
    errors, {refusal shown: how many times}, its own CPU seconds).

    While the clock runs a client only sends and reads, as the `/healthz`
    client does; the answers are judged after its last one (unzipped, the
    page and the messages cookie read for refusals), so the work of the
    bench's own checks is not charged to the server's rate."""
    port, path, keys, body, start_at = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    answers = []
    time.sleep(max(0.0, start_at - time.time()))
    cpu = time.process_time()
    for key in keys:
        connection.request(
            "POST",
            path,
            body=urlencode({**body(), "csrfmiddlewaretoken": CSRF}),
            headers={
                "Cookie": f"sessionid={key}; csrftoken={CSRF}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept-Encoding": "gzip",
                "Referer": f"http://127.0.0.1:{port}/",
            },
        )
        response = connection.getresponse()
        answers.append((response, response.read()))
    finished, cpu = time.time(), time.process_time() - cpu
    errors = 0
    refusals = {}
    for response, text in answers:
        if response.getheader("Content-Encoding") == "gzip":
            text = gzip.decompress(text)
        # A refusal is an error message: on the page (status 200), or after
        # a redirect (302) on the next page, carried by the messages cookie.
        said = _refusals(response, text)
        for message in said:
            refusals[message] = refusals.get(message, 0) + 1
        errors += response.status not in (200, 302) or bool(said)
    return finished, errors, refusals, cpu


def _get_all(args, logged_in=False) -> tuple[float, int, dict, float]:
    """One client: GET `path` as many times as it has keys (as each key's
    trainee if `logged_in`); (finish, errors, {}, its own CPU seconds)."""
    port, path, keys, _body, start_at = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    statuses = []
    time.sleep(max(0.0, start_at - time.time()))
    cpu = time.process_time()
    for key in keys:
        headers = {"Accept-Encoding": "gzip"}
        if logged_in:
            headers["Cookie"] = f"sessionid={key}"
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    finished, cpu = time.time(), time.process_time() - cpu
    return finished, sum(status != 200 for status in statuses), {}, cpu


def _get_logged_in(args) -> tuple[float, int, dict, float]:
    return _get_all(args, logged_in=True)


class NoBody:
    def __call__(self):
        return {}


class CodeBody:
    """The check-in code on screen now, computed as the organiser's screen
    does, once per rotation (a trainee reads it off the screen: the client's
    CPU is not the server's)."""

    def __init__(self, session_pk: int):
        self.session_pk = session_pk
        self.shown = (None, None)

    def __call__(self):
        from lectures.services.checkin import _slot, code_for

        class Session:
            pk = self.session_pk

        slot = _slot(_now())
        if self.shown[0] != slot:
            self.shown = (slot, code_for(Session, slot))
        return {"code": self.shown[1]}


def _now():
    from django.utils import timezone

    return timezone.now()


def _client_init(env):
    import django

    os.environ.update({k: v for k, v in env.items() if k != "PATH"})
    sys.path.insert(0, str(ROOT))
    django.setup()


def _rush(pool, server, path, keys, body, send=_post_all) -> dict:
    """One rush: the clients (`pool`) send a request for each key, released
    together; its seconds, and the CPU the server and the clients spent."""
    port = int(server.args[server.args.index("--bind") + 1].rsplit(":", 1)[1])
    shares = [keys[i::CLIENTS] for i in range(CLIENTS)]
    list(pool.map(time.sleep, [0] * CLIENTS))  # every client ready
    start_at = time.time() + 0.5
    cpu_before = cpu_seconds(server.pid)
    results = list(
        pool.map(send, [(port, path, share, body, start_at) for share in shares])
    )
    refusals = {}
    for _finish, _errors, said, _cpu in results:
        for message, times in said.items():
            refusals[message] = refusals.get(message, 0) + times
    return {
        "requests": len(keys),
        "seconds": max(finish for finish, *_ in results) - start_at,
        "errors": sum(errors for _, errors, *_ in results),
        "refusals": refusals,
        "server_cpu": cpu_seconds(server.pid) - cpu_before,
        "client_cpu": sum(used for *_, used in results),
    }


def _figures(parts: list[dict]) -> dict:
    """One kind of request's rounds summed: its rate over all of them."""
    requests = sum(part["requests"] for part in parts)
    seconds = sum(part["seconds"] for part in parts)
    refusals = {}
    for part in parts:
        for message, times in part["refusals"].items():
            refusals[message] = refusals.get(message, 0) + times
    return {
        "requests": requests,
        "seconds": round(seconds, 2),
        "per_second": round(requests / seconds, 1),
        "errors": sum(part["errors"] for part in parts),
        "refusals": refusals,
        "server_cpu_ms_each": round(
            sum(part["server_cpu"] for part in parts) * 1000 / requests, 2
        ),
        "load_average": round(os.getloadavg()[0], 1),
        "client_cpu_ms_each": round(
            sum(part["client_cpu"] for part in parts) * 1000 / requests, 2
        ),
    }


def rushes(env, port: int) -> dict:
    """Both rushes on a running server's database; figures and rows counted."""
    sessions = django_shell(env, SETUP % {"capacity": CAPACITY, "trainees": TRAINEES})
    keys = sessions["keys"]
    full_pk, full_url = sessions["full"]
    rush_pk, rush_url = sessions["rush"]
    with (
        gunicorn(env, port) as server,
        ProcessPoolExecutor(CLIENTS, initializer=_client_init, initargs=(env,)) as pool,
    ):
        registration = None
        if "registration" in KINDS:
            registration = _figures(
                [_rush(pool, server, full_url + "register/", keys, NoBody())]
            )
        # The floor: /healthz as fast as the same clients can ask, as many
        # times, on the same server, in rounds taken in turn with the
        # check-ins' (each trainee checks in once, in one of the rounds). The
        # ratio of the two is what a change to the check-in moves; the host's
        # mood moves both, and what it does during the run falls on both.
        # Every worker warmed first: its first requests load translations,
        # templates and its connection. Else the floor's first round paid for
        # that, and a run of the check-ins alone (RUSH_KINDS=checkin, no
        # registration rush before) quoted a floor 20% dearer in CPU and a
        # ratio 0.1 higher. The check-in page is asked for (GET: its form,
        # nobody checked in) by trainees logged in, as the rush will.
        warm = keys[: CLIENTS * 16]
        _rush(pool, server, "/healthz", warm, NoBody(), _get_all)
        _rush(pool, server, rush_url + "checkin/", warm, NoBody(), _get_logged_in)
        floor, checkins = [], []
        for turn in range(ROUNDS):
            share = keys[turn::ROUNDS]
            floor.append(_rush(pool, server, "/healthz", share, NoBody(), _get_all))
            checkins.append(
                _rush(pool, server, rush_url + "checkin/", share, CodeBody(rush_pk))
            )
        floor, checkin = _figures(floor), _figures(checkins)
        checkin["rounds"] = ROUNDS
    checkin["x_healthz_rate"] = round(checkin["per_second"] / floor["per_second"], 2)
    rows = django_shell(env, COUNT % {"full": full_pk, "rush": rush_pk})
    people = len(keys)
    return {
        "clients": CLIENTS,
        "trainees": people,
        "capacity": CAPACITY,
        "registration": registration,
        "healthz": floor,
        "checkin": checkin,
        "rows": rows,
        "correct": (
            registration is None
            or (
                rows["confirmed"] == min(CAPACITY, people)
                and rows["registrations"] == rows["registered_people"] == people
            )
        )
        and rows["attendance"] == rows["checked_in_people"] == people,
    }


def main():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "training_site.settings.dev",
        "DJANGO_DEBUG": "0",
    }
    env.setdefault("SQLITE_PATH", str(ROOT / "db.sqlite3"))
    result = rushes(env, int(os.environ.get("BENCH_PORT", "8766")))
    print_rush(result)


def print_rush(result: dict) -> None:
    for name in ("registration", "healthz", "checkin"):
        figures = result.get(name)
        if figures is None:
            continue
        print(
            f"{name:13} {figures['requests']} in {figures['seconds']} s: "
            f"{figures['per_second']}/s, errors {figures['errors']}; CPU per "
            f"request: server {figures.get('server_cpu_ms_each')} ms, "
            f"clients {figures.get('client_cpu_ms_each')} ms; load average "
            f"{figures.get('load_average')}"
        )
        for message, times in figures.get("refusals", {}).items():
            print(f"{'':13} {times} × refused: {message}")
    checkin = result["checkin"]
    if "x_healthz_rate" in checkin:
        ratio = checkin["x_healthz_rate"]
        print(f"check-ins per second ÷ /healthz per second: {ratio}")
    print(f"rows: {result['rows']}  correct: {result['correct']}")


if __name__ == "__main__":
    main()
