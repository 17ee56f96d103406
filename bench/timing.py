"""Timing requests from client processes over kept-alive connections."""

import http.client
import os
import statistics
import time
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


def _samples(args) -> list[float]:
    port, path, cookie, count = args
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    # As browsers and calendar clients send: pages may come compressed.
    headers = {"Accept-Encoding": "gzip", **({"Cookie": cookie} if cookie else {})}
    out = []
    for n in range(count):
        if n and n % RECONNECT_EVERY == 0:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        out.append(time.perf_counter() - started)
        if response.status >= 500:
            raise RuntimeError(f"{path}: {response.status}")
    connection.close()
    return out


def latency(
    port: int, path: str, requests: int, cookie: str = "", clients: int = CLIENTS
) -> dict:
    """Median and p95 over `requests` GETs from `clients` processes at once,
    after warm-up requests on fresh connections, so that each worker has
    served the page once (the first fills the page cache; a worker's first
    request of a kind loads templates and catalogues)."""
    for _ in range(WARM_UP):
        _samples((port, path, cookie, 1))
    per_client = max(1, requests // clients)
    with ProcessPoolExecutor(clients) as pool:
        runs = pool.map(_samples, [(port, path, cookie, per_client)] * clients)
        samples = sorted(s for run in runs for s in run)
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)] * 1000, 2),
        "clients": clients,
    }
