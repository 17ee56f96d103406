"""Two gunicorn instances on one PostgreSQL and one Redis: `make bench` runs
this when DATABASE_URL is set and `redis-server` is installed (see the
README's *Development*: `apt-get install -y redis-server`; nothing in CI).

A Redis of its own is started on a Unix socket (no port to collide with),
both instances get REDIS_URL (the shared caches, as *Scaling out* says),
and one client alternates its requests between them as a load balancer
would, with no load balancer: median latency of each page on each instance
beside /healthz. Then a session published for the occasion is unpublished
through the first instance's admin, and the second must answer 404 for it
at once, and render the schedule afresh without it.

Alone: `DATABASE_URL=postgres://… python bench/scale_out.py` (the 1× demo
database of bench/databases.py is built if missing).
"""

import http.client
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import databases
from server import LOGIN, django_shell, gunicorn

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # a 32-character secret, as Django's
PAGES = ["/healthz", "/", "/schedule/", "/schedule.ics", "DISTRICT"]

SETUP = (
    LOGIN
    + """
import json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from lectures.models import DistrictForumPage, SessionPage
district = DistrictForumPage.objects.get()
soon = timezone.now() + timedelta(days=3)
session = district.add_child(instance=SessionPage(
    title='两实例发布测试', start=soon, end=soon + timedelta(hours=2), venue='礼堂'))
admin = get_user_model().objects.get(username='demo_admin')
print(json.dumps({'session': [session.pk, session.url], 'district': district.url,
                  'admin': logged_in(admin)}))
"""
)


def available() -> bool:
    return bool(os.environ.get("DATABASE_URL")) and shutil.which("redis-server")


@contextmanager
def redis_server():
    """A Redis of its own on a Unix socket; yields its URL."""
    folder = Path(tempfile.mkdtemp(prefix="bench-redis-"))
    socket = folder / "redis.sock"
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.05)
        yield f"unix://{socket}"
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _get(port: int, path: str, cookie: str = "") -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, dict(response.getheaders())


def alternating(ports: list[int], path: str, requests: int) -> dict:
    """One client, each request to the next instance in turn, over kept-alive
    connections (one per instance)."""
    connections = [http.client.HTTPConnection("127.0.0.1", p) for p in ports]
    samples = {port: [] for port in ports}
    statuses = set()
    for n in range(requests + 2 * len(ports)):  # the first rounds warm up
        port = ports[n % len(ports)]
        connection = connections[n % len(ports)]
        started = time.perf_counter()
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        response.read()
        if n >= 2 * len(ports):
            samples[port].append(time.perf_counter() - started)
            statuses.add(response.status)
    for connection in connections:
        connection.close()
    if statuses != {200}:
        raise SystemExit(f"{path}: statuses {sorted(statuses)}, not timed")
    return {
        str(port): round(statistics.median(times) * 1000, 2)
        for port, times in samples.items()
    }


def scale_out(port: int) -> dict:
    env, _seconds, _cached = databases.prepare(1, "postgresql", databases.data_key())
    ports = [port, port + 1]
    with redis_server() as redis_url:
        env = {**env, "REDIS_URL": redis_url, "PAGE_CACHE_SECONDS": "60"}
        made = django_shell(env, SETUP)
        pk, session_url = made["session"]
        paths = [made["district"] if p == "DISTRICT" else p for p in PAGES]
        with ExitStack() as both:
            for each in ports:
                both.enter_context(gunicorn(env, each))
            timed = {path: alternating(ports, path, REQUESTS) for path in paths}
            # Seen, and cached, on both.
            for each in ports:
                for _ in range(2):
                    status, _body, headers = _get(each, session_url)
                assert status == 200, status
            cached_before = headers.get("X-Page-Cache")
            _get(ports[1], "/schedule/")
            # Unpublished through the first instance's admin...
            connection = http.client.HTTPConnection("127.0.0.1", ports[0])
            connection.request(
                "POST",
                f"/admin/pages/{pk}/unpublish/",
                body=f"csrfmiddlewaretoken={CSRF}",
                headers={
                    "Cookie": f"sessionid={made['admin']}; csrftoken={CSRF}",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{ports[0]}/",
                },
            )
            response = connection.getresponse()
            response.read()
            unpublished = response.status == 302
            # ...and gone from the second at once.
            status_after, _body, _h = _get(ports[1], session_url)
            _s, schedule, headers = _get(ports[1], "/schedule/")
    return {
        "instances": ports,
        "median_ms_by_instance": timed,
        "cached_on_the_other_before": cached_before,
        "unpublished_through_the_first": unpublished,
        "status_on_the_second_after": status_after,
        "schedule_on_the_second_after": headers.get("X-Page-Cache"),
        "seen_by_the_other": unpublished
        and status_after == 404
        and "两实例发布测试".encode() not in schedule,
    }


def print_scale_out(result: dict) -> None:
    print("two instances on one PostgreSQL and Redis, one client alternating:")
    for path, medians in result["median_ms_by_instance"].items():
        cells = "  ".join(f":{port} {ms} ms" for port, ms in medians.items())
        print(f"  {path[:40]:40} {cells}")
    print(
        f"  unpublished through :{result['instances'][0]}: "
        f"{result['unpublished_through_the_first']}; the other then answers "
        f"{result['status_on_the_second_after']} and renders the schedule "
        f"({result['schedule_on_the_second_after']}); seen by the other: "
        f"{result['seen_by_the_other']}"
    )


if __name__ == "__main__":
    print_scale_out(scale_out(int(os.environ.get("BENCH_PORT", "8765"))))
