"""A registration rush at a full session and a check-in rush, over real HTTP.

Run after `make bench` has built bench/.cache/scale1.sqlite3 (or with
SQLITE_PATH pointing at any demo database): starts gunicorn as `make run`
does, logs in N trainees from several client processes, then times their
registrations (capacity 100) and their check-ins (by code) and counts rows.
"""

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import requests
from server import ROOT, django_shell, gunicorn  # bench/ is on the path

PYTHON = str(ROOT / ".venv" / "bin" / "python")
DB = os.environ.get("SQLITE_PATH", str(ROOT / "bench" / ".cache" / "scale1.sqlite3"))
ENV = {
    **os.environ,
    "SQLITE_PATH": DB,
    "DJANGO_SETTINGS_MODULE": "training_site.settings.dev",
}
PORT = int(os.environ.get("BENCH_PORT", "8766"))
BASE = f"http://127.0.0.1:{PORT}"
CLIENTS = int(os.environ.get("RUSH_CLIENTS", "8"))
PER_CLIENT = int(os.environ.get("RUSH_PER_CLIENT", "40"))
CAPACITY = 100


def shell(script: str):
    return django_shell(ENV, script)


SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from lectures.models import *
district = DistrictForumPage.objects.get()
soon = timezone.now() + timedelta(minutes=5)
def make(title, capacity):
    s = SessionPage(title=title, start=soon, end=soon + timedelta(hours=2),
                    venue='礼堂', capacity=capacity)
    return district.add_child(instance=s)
full = make('报名冲击测试', CAPACITY)
rush = make('签到冲击测试', None)
print(json.dumps({'full': [full.pk, full.url], 'rush': [rush.pk, rush.url]}))
""".replace("CAPACITY", str(CAPACITY))


def client(args):
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.update({k: v for k, v in ENV.items() if k != "PATH"})
    django.setup()

    from lectures.services.checkin import _slot, code_for

    index, sessions, password = args
    people = []
    for n in range(index * PER_CLIENT, (index + 1) * PER_CLIENT):
        web = requests.Session()
        web.get(f"{BASE}/accounts/login/")
        web.post(
            f"{BASE}/accounts/login/",
            data={
                "username": f"t{13900000000 + n}",
                "password": password,
                "csrfmiddlewaretoken": web.cookies["csrftoken"],
            },
            headers={"Referer": BASE},
        )
        people.append(web)
    full_url = BASE + sessions["full"][1]
    rush_pk, rush_url = sessions["rush"][0], BASE + sessions["rush"][1]
    errors = 0
    started = time.perf_counter()
    for web in people:
        r = web.post(
            full_url + "register/",
            headers={"Referer": BASE},
            data={"csrfmiddlewaretoken": web.cookies["csrftoken"]},
            allow_redirects=False,
        )
        errors += r.status_code != 302
    registered = time.perf_counter() - started

    class Session:
        pk = rush_pk

    started = time.perf_counter()
    for web in people:
        code = code_for(
            Session, _slot(__import__("django.utils.timezone").utils.timezone.now())
        )
        r = web.post(
            rush_url + "checkin/",
            headers={"Referer": BASE},
            data={"code": code, "csrfmiddlewaretoken": web.cookies["csrftoken"]},
        )
        errors += r.status_code != 200
    checked_in = time.perf_counter() - started
    return registered, checked_in, errors


def main():
    sessions = shell(SETUP)
    password = os.environ.get("DEMO_PASSWORD") or "demo1234"
    with gunicorn(ENV, PORT):
        wall = time.perf_counter()
        with ProcessPoolExecutor(CLIENTS) as pool:
            results = list(
                pool.map(client, [(i, sessions, password) for i in range(CLIENTS)])
            )
        wall = time.perf_counter() - wall
    total = CLIENTS * PER_CLIENT
    reg_time = max(r[0] for r in results)
    chk_time = max(r[1] for r in results)
    errors = sum(r[2] for r in results)
    counts = shell(
        "import json;from lectures.models import *;"
        f"f={sessions['full'][0]};r={sessions['rush'][0]};"
        "print(json.dumps({'confirmed':Registration.objects.filter(session_id=f,"
        "status='confirmed').count(),'waiting':Registration.objects.filter("
        "session_id=f,status='waiting').count(),'attendance':"
        "Attendance.objects.filter(session_id=r).count(),'distinct':"
        "Attendance.objects.filter(session_id=r).values('user').distinct().count()}))"
    )
    print(f"{CLIENTS} client processes × {PER_CLIENT} trainees = {total}")
    print(
        f"registrations: {total / reg_time:.0f}/s  check-ins: {total / chk_time:.0f}/s"
        f"  errors: {errors}  (wall incl. logins {wall:.0f} s)"
    )
    print(f"rows: {counts}  (capacity {CAPACITY})")


if __name__ == "__main__":
    main()
