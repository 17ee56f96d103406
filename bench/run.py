"""`make bench`: latency and query counts of the public pages at 1× and 10×.

For each scale it builds a SQLite database with `load_demo --scale N` (kept
in bench/.cache between runs), starts the real server (gunicorn, as `make
run` does), and measures over HTTP from separate client processes; query
counts come from the test client against the same database. Results go to
bench/results/<timestamp>.json with the machine they were measured on.
Ratios to /healthz are the figures to quote: absolute times vary.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime

from server import ROOT, django_shell, gunicorn  # bench/ is on the path

CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",")]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))


def database(scale: int) -> tuple[dict, float | None]:
    path = CACHE / f"scale{scale}.sqlite3"
    env = {**os.environ, "SQLITE_PATH": str(path), "DJANGO_DEBUG": "0"}
    seconds = None
    fresh = not path.exists()
    CACHE.mkdir(parents=True, exist_ok=True)
    run([PYTHON, "manage.py", "migrate", "-v0"], env)  # cached ones catch up too
    if fresh:
        started = time.monotonic()
        run([PYTHON, "manage.py", "load_demo", "--scale", str(scale), "-v0"], env)
        seconds = round(time.monotonic() - started, 1)
    return env, seconds


def run(cmd, env):
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def page_paths(env) -> dict[str, str]:
    script = (
        "from lectures.models import *;"
        "d=DistrictForumPage.objects.get();"
        "t=UnitForumPage.objects.order_by('path').first();"
        "v=VillageForumPage.objects.order_by('path').first();"
        "s=SessionPage.objects.live().order_by('path').first();"
        "import json;print(json.dumps({'district':d.url,'town':t.url,"
        "'village':v.url,'session':s.url,'town_slug':t.slug}))"
    )
    urls = django_shell(env, script)
    return {
        "/healthz": "/healthz",
        "/": "/",
        "/schedule/": "/schedule/",
        "/schedule/ filtered": f"/schedule/?level=unit&forum={urls['town_slug']}",
        "district forum": urls["district"],
        "town forum": urls["town"],
        "village forum": urls["village"],
        "session": urls["session"],
        "/schedule.ics": "/schedule.ics",
        "forum feed.ics": urls["district"] + "feed.ics",
        "/lecturers/": "/lecturers/",
    }


def query_counts(env, paths) -> dict[str, int]:
    script = (
        "import json,sys;from django.test import Client;"
        "from django.db import connection;"
        "from django.test.utils import CaptureQueriesContext;"
        'c=Client(HTTP_HOST="127.0.0.1", raise_request_exception=True);out={}\n'
        f"for name,path in {paths!r}.items():\n"
        "    c.get(path)\n"
        "    with CaptureQueriesContext(connection) as q: c.get(path)\n"
        "    out[name]=len(q)\n"
        "print(json.dumps(out))"
    )
    return django_shell(env, script)


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
    return time.perf_counter() - started


def latency(url: str) -> dict[str, float]:
    timed_get(url)  # warm up
    with ProcessPoolExecutor(max_workers=2) as pool:
        samples = sorted(pool.map(timed_get, [url] * REQUESTS))
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1] * 1000, 2),
    }


def measure(scale: int) -> dict:
    env, load_seconds = database(scale)
    paths = page_paths(env)
    counts = query_counts(env, paths)
    with gunicorn(env, PORT, log=open(CACHE / "server.log", "w")):
        pages = {}
        for name, path in paths.items():
            pages[name] = latency(f"http://127.0.0.1:{PORT}{path}")
            pages[name]["queries"] = counts[name]
        floor = pages["/healthz"]["median_ms"]
        for figures in pages.values():
            figures["x_healthz"] = round(figures["median_ms"] / floor, 1)
    return {"scale": scale, "load_demo_seconds": load_seconds, "pages": pages}


def main():
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True
    )
    runs = [measure(scale) for scale in SCALES]
    report = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "database": "sqlite",
        },
        "runs": runs,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    names = list(runs[0]["pages"])
    header = f"{'page':24}" + "".join(
        f"{'×' + str(r['scale']) + ' median/p95 ms (q)':>32}" for r in runs
    )
    print(header)
    for name in names:
        row = f"{name:24}"
        for r in runs:
            p = r["pages"][name]
            row += f"{p['median_ms']:>12}/{p['p95_ms']:<8} ({p['queries']:>2})"
            row += f" {p['x_healthz']:>5}×"
        print(row)
    for r in runs:
        seconds = r["load_demo_seconds"]
        print(f"load_demo --scale {r['scale']}: {seconds} s (None = cached)")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
