"""The table of issue 21 from a results JSON of `make bench`, as markdown.

    python -m bench.table bench/results/20261203-234500.json
    python -m bench.table            # the newest in bench/results/

One column per scale × database (in the order the run took them), one row
per figure of the issue's targets: public pages as served (÷ `/healthz`),
every public page and feed rendered afresh (the feeds per VEVENT), the
reports, the logged-in pages (÷ `/healthz`), the rushes, query counts and
statuses, with the load average and the CPU probe of each column. A figure
the run did not take (BENCH_ONLY, BENCH_RUSHES) is "—". Standard library
only, so it prints anywhere.
"""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
NONE = "—"
MANY_EVENTS = 100


def _ms(value) -> str:
    if value is None:
        return NONE
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _pages(run: dict) -> dict:
    return {n: p for n, p in run["pages"].items() if "skip" not in p}


def _statuses_ok(page: dict) -> bool:
    for key in ("statuses", "uncached_statuses", "two_clients_statuses"):
        if set(page.get(key, {"200": 1})) != {"200"}:
            return False
    return page.get("query_status", 200) == 200


def _served(run: dict) -> str:
    public = {
        n: p
        for n, p in _pages(run).items()
        if not p.get("user") and n != "/healthz" and "x_healthz" in p
    }
    if not public:
        return NONE
    low = min(public.values(), key=lambda p: p["x_healthz"])
    high = max(public.items(), key=lambda item: item[1]["x_healthz"])
    return f"{low['x_healthz']}–{high[1]['x_healthz']}× (most: {high[0]})"


def _cold(name: str):
    def cell(run: dict) -> str:
        page = run["pages"].get(name)
        if page is None or "skip" in page:
            return NONE if page is None else "skipped"
        ms = page.get("uncached_median_ms")
        if ms is None:
            return NONE
        text = _ms(ms)
        events = page.get("events")
        if events is not None:
            text += f"; {events:,} events"
            # Per event only where the events are what it costs: a feed of
            # a few events is the calendar around them.
            if events >= MANY_EVENTS:
                text += f", {ms / events:.3f} ms/VEVENT"
        return text

    return cell


def _alone(name: str):
    def cell(run: dict) -> str:
        page = run["pages"].get(name)
        if page is None or "median_ms" not in page:
            return NONE
        return f"{_ms(page['median_ms'])} / {_ms(page.get('two_clients_median_ms'))}"

    return cell


def _ratio(name: str):
    def cell(run: dict) -> str:
        page = run["pages"].get(name)
        if page is None or "x_healthz" not in page:
            return NONE
        return f"{page['x_healthz']}× ({_ms(page['median_ms'])})"

    return cell


def _checkin(run: dict) -> str:
    rush = run.get("rush")
    if not rush:
        return NONE
    c, h = rush["checkin"], rush["healthz"]
    exact = "rows exact" if rush["correct"] else "ROWS WRONG"
    return (
        f"**{c.get('x_healthz_rate')}** ({c['per_second']}/s ÷ {h['per_second']}/s;"
        f" {c['server_cpu_ms_each']} ms server CPU each; {c['errors']} errors;"
        f" {exact})"
    )


def _registration(run: dict) -> str:
    rush = run.get("rush")
    if not rush:
        return NONE
    r, rows = rush["registration"], rush["rows"]
    return (
        f"{r['per_second']}/s, {r['errors']} errors; {rows['confirmed']} confirmed"
        f" of {rush['capacity']}, {rows['registrations']:,}/{rush['trainees']:,}"
        " registered"
    )


def _queries(run: dict) -> str:
    counts = [p["queries"] for p in _pages(run).values() if "queries" in p]
    return f"{min(counts)}–{max(counts)} a page" if counts else NONE


def _statuses(run: dict) -> str:
    wrong = [n for n, p in _pages(run).items() if not _statuses_ok(p)]
    return "all 200" if not wrong else "not 200: " + ", ".join(wrong)


def rows(runs: list[dict]) -> list[tuple[str, object, str]]:
    """(figure, cell function, target) in the order of the table."""
    names = []
    for run in runs:
        names += [n for n in run["pages"] if n not in names]
    first = {n: p for run in runs for n, p in _pages(run).items()}
    public = [n for n in names if n != "/healthz" and not first.get(n, {}).get("user")]
    alone = [n for n in names if first.get(n, {}).get("two_clients_median_ms")]
    logged_in = [n for n in names if first.get(n, {}).get("user") and n not in alone]
    out = [
        (
            "load average, before → after",
            lambda r: (
                f"{r['load_average'][0]:.1f} → "
                f"{r.get('load_average_after', r['load_average'])[0]:.1f}"
            ),
            "",
        ),
        ("ten million additions (CPU probe)", lambda r: _ms(r.get("cpu_loop_ms")), ""),
        ("column took", lambda r: f"{r['seconds']:,.0f} s", ""),
        (
            "`/healthz` median",
            lambda r: _ms(r["pages"].get("/healthz", {}).get("median_ms")),
            "",
        ),
        ("public pages as served ÷ `/healthz`", _served, "≤ 3×"),
    ]
    for name in public:
        target = "≤ 0.05 ms/VEVENT" if name.endswith(".ics") else "≤ 300 ms at 100×"
        out.append((f"{name} rendered afresh", _cold(name), target))
    for name in alone:
        target = "≤ 300 ms at 100×" if name == "network report" else ""
        out.append((f"{name}: one / two at once", _alone(name), target))
    out.append(
        (
            "`lecture_stats`, last year",
            lambda r: _ms((r.get("lecture_stats_year") or {}).get("median_ms")),
            "",
        )
    )
    for name in logged_in:
        out.append((f"{name} ÷ `/healthz`", _ratio(name), "≤ 5×"))
    out += [
        ("check-in rush ÷ `/healthz` rush", _checkin, "≥ 0.5"),
        ("registration rush at a full session", _registration, "no overbooking"),
        ("queries", _queries, "equal"),
        ("statuses", _statuses, "200"),
    ]
    return out


def unequal_queries(runs: list[dict]) -> dict:
    """Pages whose query count differs between columns: name → counts."""
    seen = {}
    for run in runs:
        for name, page in _pages(run).items():
            if "queries" in page:
                seen.setdefault(name, []).append(page["queries"])
    return {name: counts for name, counts in seen.items() if len(set(counts)) > 1}


def markdown(report: dict) -> str:
    runs = report["runs"]
    heads = [f"{r['scale']}× {NAMES.get(r['database'], r['database'])}" for r in runs]
    lines = [
        "| figure | " + " | ".join(heads) + " | target |",
        "|---|" + "---|" * len(runs) + "---|",
    ]
    for label, cell, target in rows(runs):
        cells = []
        for run in runs:
            try:
                cells.append(cell(run))
            except (KeyError, TypeError, ValueError):
                cells.append(NONE)
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    unequal = unequal_queries(runs)
    lines.append("")
    lines.append(
        "Query counts equal in every column."
        if not unequal
        else "Query counts NOT equal: "
        + "; ".join(f"{n} {c}" for n, c in unequal.items())
    )
    machine = report.get("machine", {})
    server = machine.get("server")
    if isinstance(server, dict):  # by database, since the servers differ
        server = ", ".join(f"{shape} on {vendor}" for vendor, shape in server.items())
    lines.append(
        f"Run of {report.get('when')} (data key {report.get('data_key')}"
        f"{', partial: ' + ', '.join(report['only']) if report.get('only') else ''})"
        f" on {machine.get('cores')} cores, {server}; requests a"
        f" page: {report.get('requests_per_page')} as served (and as many"
        f" `/healthz` before each), {report.get('alone_requests_per_page', '—')}"
        f" for a report, {report.get('cold_requests_per_page', '—')} rendered"
        f" afresh; whole run {report.get('duration_seconds', '—')} s."
    )
    return "\n".join(lines)


def newest() -> Path:
    found = sorted(RESULTS.glob("*.json"))
    if not found:
        raise SystemExit(f"no results in {RESULTS}: run `make bench` first")
    return found[-1]


def main(argv: list[str]) -> None:
    for path in [Path(a) for a in argv] or [newest()]:
        print(f"{path}:\n")
        print(markdown(json.loads(path.read_text())))
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
