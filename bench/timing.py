"""Timing requests from client processes over kept-alive connections."""

import gzip
import http.client
import os
import statistics
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

CLIENTS = 2
# gunicorn keeps a kept-alive connection on the worker that accepted it. With
# one connection per client for a whole page, both clients' connections land
# on the same worker about one page in four, and that page is timed with two
# requests sharing one process (one GIL): its median doubles (what made /me/
# look "slower on the smaller database"). New connections every few requests
# spread them over the workers, as a proxy in front of the server would.
RECONNECT_EVERY = 10
# Warm-up requests on fresh connections, enough to reach every worker.
WARM_UP = 2 * (os.cpu_count() or 2)


def _samples(args) -> tuple[list[float], Counter]:
    port, path, cookie, count = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    # As browsers and calendar clients send: pages may come compressed.
    headers = {"Accept-Encoding": "gzip", **({"Cookie": cookie} if cookie else {})}
    out = []
    statuses = Counter()
    for n in range(count):
        if n and n % RECONNECT_EVERY == 0:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        out.append(time.perf_counter() - started)
        statuses[response.status] += 1
        if response.status >= 500:
            raise RuntimeError(f"{path}: {response.status}")
    connection.close()
    return out, statuses


#: What a logged-in page holds and an anonymous one never does: the site's
#: log-out form (base.html) or the Wagtail admin's log-out.
LOGGED_IN_MARKS = (b'action="/accounts/logout/"', b'"/admin/logout/"')


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    """One GET: its status and its body, decompressed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": cookie} if cookie else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response.status, body


def check_page(port: int, path: str, cookie: str = "") -> int:
    """The status of one GET, refusing to time a page that is not the one
    meant: anything but 200, or a logged-in page served as to a stranger
    (a session the server does not know redirects or shows the public page)."""
    status, body = fetch(port, path, cookie)
    if status != 200:
        raise SystemExit(f"{path}: status {status}, not 200: not timed")
    if cookie and not any(mark in body for mark in LOGGED_IN_MARKS):
        raise SystemExit(f"{path}: not logged in with {cookie[:20]}…: not timed")
    return status


def count_events(port: int, path: str) -> int:
    """How many VEVENTs a feed holds (for its cost per event)."""
    return fetch(port, path)[1].count(b"BEGIN:VEVENT")


def latency(
    port: int, path: str, requests: int, cookie: str = "", clients: int = CLIENTS
) -> dict:
    """Median and p95 over `requests` GETs from `clients` processes at once,
    after warm-up requests on fresh connections, so that each worker has
    served the page once (the first fills the page cache; a worker's first
    request of a kind loads templates and catalogues)."""
    check_page(port, path, cookie)
    for _ in range(WARM_UP):
        _samples((port, path, cookie, 1))
    per_client = max(1, requests // clients)
    with ProcessPoolExecutor(clients) as pool:
        runs = list(pool.map(_samples, [(port, path, cookie, per_client)] * clients))
    samples = sorted(s for run, _ in runs for s in run)
    statuses = sum((counted for _, counted in runs), Counter())
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)] * 1000, 2),
        "clients": clients,
        "statuses": {str(status): n for status, n in sorted(statuses.items())},
    }
