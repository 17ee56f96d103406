"""`make bench`: the whole table of issue 21 at 1×, 10×, 100×, on SQLite and
PostgreSQL, in one run.

For each scale in BENCH_SCALES (default "1 10 100") and each database in
BENCH_VENDORS (default "sqlite", with "postgresql" too when DATABASE_URL is
set; "sqlite,postgresql" asks for both and refuses to start without
DATABASE_URL) a database is built with `load_demo --scale N` (cached, see
databases.py), and the real server (gunicorn, as `make run` starts it) is
measured over HTTP from separate client processes: median and p95 of every
page in pages.py from two clients at once (a report one person waits for,
`pages.ALONE`, from one, and from two for comparison), served as visitors
get them (public pages from the page cache, after one request fills it)
and, for the public pages, rendered afresh with the page cache off (the
feeds with their number of events, for the cost per VEVENT). Query counts
come from Django's test client with the page cache off; they must not
change with the scale. `lecture_stats` for the last year is timed
in-process. The rushes (rush.py) run at every scale (BENCH_RUSHES=smallest:
the smallest only, =none: not at all), the notices (notices.py) on a copy
of the smallest SQLite database (BENCH_NOTICES=0: not at all), and the two
instances (scale_out.py) when DATABASE_URL is set.

One column (scale × database) after the other, the two databases side by
side at each scale. Each page's statuses, the load average and a CPU-speed
probe are kept with each column. Results go to bench/results/<time>.json,
and the table is printed as markdown; `python -m bench.table <json>`
prints it again. Ratios to /healthz are what to quote: the floor is timed
again right before each page, with the same number of clients, so a ratio
compares two figures taken under the same load of a shared host.

Requests per page (chosen so that a whole run of six columns stays under
half an hour on the 2-core host): BENCH_REQUESTS (default 40) for a page
as served and for its /healthz, BENCH_ALONE_REQUESTS (10, and as many
from two clients) for the reports that take seconds at 100×,
BENCH_COLD_REQUESTS (16) for a page rendered afresh.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime

import databases
import notices
import pages as page_list
import rush
import scale_out
import table as results_table
from server import LOGIN, PYTHON, ROOT, django_shell, gunicorn, shape_label
from timing import CLIENTS, count_events, latency

RESULTS = ROOT / "bench" / "results"
SCALES = [
    int(s) for s in os.environ.get("BENCH_SCALES", "1 10 100").replace(",", " ").split()
]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
ALONE_REQUESTS = int(os.environ.get("BENCH_ALONE_REQUESTS", "10"))
COLD_REQUESTS = int(os.environ.get("BENCH_COLD_REQUESTS", "16"))
RUSHES = os.environ.get("BENCH_RUSHES", "all")
NOTICES = os.environ.get("BENCH_NOTICES", "1") == "1"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
# While working on a few pages: BENCH_ONLY="/me/,class page (trainee)" times
# those (and /healthz, the floor) and skips the uncached pass, lecture_stats
# and the rushes. Results are still written, marked partial.
ONLY = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
# BENCH_COLD=1 keeps the uncached pass of those pages.
COLD = os.environ.get("BENCH_COLD") == "1"

SESSIONS = (
    LOGIN
    + """
import json
from django.contrib.auth import get_user_model
out = {}
for username in USERS:
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        out[username] = logged_in(user)
print(json.dumps(out))
"""
)

STATS = """
import io, json, statistics, time
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
end = timezone.localdate()
start = end - timedelta(days=365)
args = ['lecture_stats', '--from', start.isoformat(), '--to', end.isoformat(),
        '--format', 'json']
call_command(*args, stdout=io.StringIO())
samples = []
for _ in range(3):
    began = time.perf_counter()
    call_command(*args, stdout=io.StringIO())
    samples.append(time.perf_counter() - began)
print(json.dumps({'median_ms': round(statistics.median(samples) * 1000, 1),
                  'max_ms': round(max(samples) * 1000, 1)}))
"""


def vendors() -> list[str]:
    """The databases to run on: BENCH_VENDORS ("sqlite,postgresql", commas
    or spaces), by default SQLite and PostgreSQL when DATABASE_URL is set."""
    default = "sqlite" + (" postgresql" if os.environ.get("DATABASE_URL") else "")
    chosen = os.environ.get("BENCH_VENDORS", "").replace(",", " ").split()
    chosen = chosen or default.split()
    unknown = set(chosen) - {"sqlite", "postgresql"}
    if unknown:
        raise SystemExit(f"BENCH_VENDORS: unknown {sorted(unknown)}")
    if "postgresql" in chosen and not os.environ.get("DATABASE_URL"):
        raise SystemExit(
            "BENCH_VENDORS names postgresql: set DATABASE_URL="
            "postgres://user:password@host:5432/any (the bench's databases are "
            "named bench_<key>_<scale> on that server)"
        )
    return chosen


def measure(scale: int, vendor: str, key: str) -> dict:
    began = time.monotonic()
    env, load_seconds, cached = databases.prepare(scale, vendor, key)
    speed = cpu_loop_ms()
    found = page_list.discover(env)
    if ONLY:
        found = {n: p for n, p in found.items() if n in ONLY or n == "/healthz"}
    counts = page_list.query_counts(env, found)
    users = sorted({p["user"] for p in found.values() if p.get("user")})
    cookies = {
        user: f"sessionid={session}"
        for user, session in django_shell(
            env, f"USERS = {users!r}\n" + SESSIONS
        ).items()
    }
    figures = {}
    with open(databases.CACHE / "server.log", "a") as log:
        with gunicorn(env, PORT, log=log):
            for name, page in found.items():
                skip = page.get("skip") or counts.get(name, {}).get("skip")
                if skip:
                    figures[name] = {"skip": skip}
                    continue
                cookie = cookies.get(page["user"], "") if page["user"] else ""
                alone = name in page_list.ALONE
                clients = 1 if alone else CLIENTS
                requests = ALONE_REQUESTS if alone else REQUESTS
                # The floor is timed again just before each page, with as many
                # clients: this host's speed drifts over a run (it is shared),
                # and a ratio to a floor timed minutes earlier drifts with it.
                # (/healthz is its own floor.)
                floor = None
                if page["path"] != "/healthz":
                    floor = latency(PORT, "/healthz", REQUESTS, "", clients)
                timed = latency(PORT, page["path"], requests, cookie, clients)
                floor = floor or timed
                figures[name] = {
                    **timed,
                    "requests": requests,
                    "path": page["path"],
                    "queries": counts[name]["queries"],
                    "query_status": counts[name].get("status"),
                    "user": page["user"],
                    "healthz_median_ms": floor["median_ms"],
                }
                if alone:
                    both = latency(PORT, page["path"], requests, cookie, CLIENTS)
                    figures[name]["two_clients_median_ms"] = both["median_ms"]
                    figures[name]["two_clients_statuses"] = both["statuses"]
                if page["path"].endswith(".ics"):
                    figures[name]["events"] = count_events(PORT, page["path"])
        if not ONLY or COLD:
            with gunicorn({**env, "PAGE_CACHE_SECONDS": "0"}, PORT, log=log):
                for name, page in found.items():
                    if "skip" not in figures[name] and not page["user"]:
                        cold = latency(PORT, page["path"], COLD_REQUESTS)
                        figures[name]["uncached_median_ms"] = cold["median_ms"]
                        figures[name]["uncached_p95_ms"] = cold["p95_ms"]
                        figures[name]["uncached_statuses"] = cold["statuses"]
    for values in figures.values():
        if "median_ms" in values:
            ratio = values["median_ms"] / values["healthz_median_ms"]
            values["x_healthz"] = round(ratio, 1)
    stats = {"median_ms": None} if ONLY else django_shell(env, STATS)
    result = {
        "scale": scale,
        "load_average": os.getloadavg(),
        "cpu_loop_ms": speed,
        "database": vendor,
        "server": shape_label(env),
        "load_demo_seconds": load_seconds,
        "load_demo_cached": cached,
        "pages": figures,
        "lecture_stats_year": stats,
    }
    smallest = scale == min(SCALES)
    if not ONLY and (RUSHES == "all" or (RUSHES == "smallest" and smallest)):
        result["rush"] = {"cpu_loop_ms": cpu_loop_ms(), **rush.rushes(env, PORT + 1)}
    if not ONLY and NOTICES and smallest and vendor == "sqlite":
        result["notices"] = notices.notices(env)  # on a copy: it adds 22,000 people
    result["load_average_after"] = os.getloadavg()
    result["seconds"] = round(time.monotonic() - began, 1)
    return result


def cpu_loop_ms() -> float:
    """How fast this machine runs plain Python now: the median of three runs
    of ten million additions, taken before each scale's pages and before the
    rushes. This shared host has given 0.54 s and 1.44 s within an hour;
    compare absolute figures (throughput, the report's seconds) only with
    this beside them, and quote the ratios to /healthz."""
    samples = []
    for _ in range(3):
        began = time.perf_counter()
        total = 0
        for n in range(10_000_000):
            total += n
        samples.append(time.perf_counter() - began)
    return round(statistics.median(samples) * 1000, 1)


def machine(vendors: list[str]) -> dict:
    import sqlite3

    info = {
        "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
        "redis": shutil.which("redis-server")
        and subprocess.run(
            ["redis-server", "--version"], capture_output=True, text=True
        ).stdout.strip(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "server": {
            vendor: shape_label(
                {**os.environ, "DATABASE_URL": "on" if vendor == "postgresql" else ""}
            )
            for vendor in vendors
        },
        "databases": vendors,
    }
    if "postgresql" in vendors:
        env = databases.postgres_env(SCALES[0], databases.data_key())[0]
        info["postgresql"] = django_shell(
            env,
            "import json;from django.db import connection;"
            "print(json.dumps(connection.cursor().connection.info.server_version))",
        )
    return info


def main():
    began = time.monotonic()
    chosen = vendors()
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "training_site.settings.dev"},
    )
    key = databases.data_key()
    started = datetime.now()
    # Scale by scale, the databases side by side: the two columns of a scale
    # are taken minutes apart, under much the same load.
    runs = []
    for scale in SCALES:
        for vendor in chosen:
            runs.append(measure(scale, vendor, key))
            print(
                f"×{scale} {vendor}: {runs[-1]['seconds']} s, load average "
                f"{runs[-1]['load_average_after'][0]:.1f}",
                flush=True,
            )
    # Two instances on one PostgreSQL and Redis (both needed; see scale_out.py).
    out_figures = (
        scale_out.scale_out(PORT) if scale_out.available() and not ONLY else None
    )
    report = {
        "scale_out": out_figures,
        "when": started.isoformat(timespec="seconds"),
        "data_key": key,
        "machine": machine(chosen),
        "requests_per_page": REQUESTS,
        "alone_requests_per_page": ALONE_REQUESTS,
        "cold_requests_per_page": COLD_REQUESTS,
        "only": sorted(ONLY) or None,
        "runs": runs,
        "duration_seconds": round(time.monotonic() - began, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{started:%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(results_table.markdown(report))
    for r in runs:
        if "rush" in r:
            print(
                f"rushes at ×{r['scale']} {r['database']} "
                f"(plain Python {r['rush']['cpu_loop_ms']} ms):"
            )
            rush.print_rush(r["rush"])
        if "notices" in r:
            print(f"notices at ×{r['scale']} {r['database']}:")
            notices.print_notices(r["notices"])
    if out_figures:
        scale_out.print_scale_out(out_figures)
    print(f"written to {out.relative_to(ROOT)} in {report['duration_seconds']} s")


if __name__ == "__main__":
    sys.exit(main())
