"""Demo databases for the benchmark, built once per version of the data.

A database is kept under bench/.cache (SQLite) or as `bench_<key>_<N>`
(PostgreSQL, when DATABASE_URL is set) and reused while the key holds: a
hash of every migration, the demo builder, the build_demo hooks and the
forum groups' provisioning. `BENCH_REBUILD=1` builds afresh. How long the
build took is stored beside it, so a cached run still reports it.
`BENCH_DATA_KEY=<key>` reuses the databases of an earlier key (migrated
first), e.g. while adding a migration.
"""

import hashlib
import json
import os
import subprocess
import time
from urllib.parse import urlsplit, urlunsplit

from server import PYTHON, ROOT

CACHE = ROOT / "bench" / ".cache"
KEY_FILES = (
    "*/migrations/*.py",
    "lectures/demo/*.py",
    "courses/demo*.py",
    "courses/demo/*.py",
    "*/wagtail_hooks.py",
    "lectures/services/groups.py",
)


def data_key() -> str:
    # BENCH_DATA_KEY reuses databases built before a migration was added:
    # each run migrates them first (a migration that adds derived rows must
    # fill them, as it would on a real deployment), and a 100× build takes
    # ten minutes of a shared host.
    if os.environ.get("BENCH_DATA_KEY"):
        return os.environ["BENCH_DATA_KEY"]
    digest = hashlib.sha256()
    paths = sorted({p for pattern in KEY_FILES for p in ROOT.glob(pattern)})
    for path in paths:
        if ".venv" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def base_env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "training_site.settings.dev",
        "DJANGO_DEBUG": "0",
    }


def sqlite_env(scale: int, key: str) -> tuple[dict, object]:
    path = CACHE / key / f"scale{scale}.sqlite3"
    env = {**base_env(), "SQLITE_PATH": str(path)}
    env.pop("DATABASE_URL", None)
    return env, path


def postgres_env(scale: int, key: str) -> tuple[dict, str]:
    url = urlsplit(os.environ["DATABASE_URL"])
    # BENCH_PG_SUFFIX names a copy of the shared databases to run on
    # (`CREATE DATABASE bench_<key>_<N><suffix> TEMPLATE bench_<key>_<N>`).
    name = f"bench_{key}_{scale}{os.environ.get('BENCH_PG_SUFFIX', '')}"
    env = {**base_env(), "DATABASE_URL": urlunsplit(url._replace(path="/" + name))}
    return env, name


def run(cmd: list[str], env: dict) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def manage(env: dict, *args: str) -> None:
    run([PYTHON, "manage.py", *args], env)


def _postgres_exists(name: str) -> bool:
    import psycopg

    admin = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres")
    with psycopg.connect(urlunsplit(admin), autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        rebuild = os.environ.get("BENCH_REBUILD") == "1"
        if found and rebuild:
            conn.execute(f'DROP DATABASE "{name}"')
            found = None
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')
        return bool(found)


def prepare(scale: int, vendor: str, key: str) -> tuple[dict, float, bool]:
    """The environment of a database holding the demo at `scale`, and how long
    `load_demo` took (now, or when it was built)."""
    if vendor == "sqlite":
        env, path = sqlite_env(scale, key)
        if os.environ.get("BENCH_REBUILD") == "1" and path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        cached = path.exists()
        record = path.with_suffix(".json")
    else:
        env, name = postgres_env(scale, key)
        cached = _postgres_exists(name)
        record = CACHE / key / f"{name}.json"
        record.parent.mkdir(parents=True, exist_ok=True)
    if cached and not record.exists():
        cached = False  # a build that never finished
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable", "-v0")
    if not cached:
        started = time.monotonic()
        manage(env, "load_demo", "--scale", str(scale), "--reset", "-v0")
        seconds = round(time.monotonic() - started, 1)
        record.write_text(json.dumps({"load_demo_seconds": seconds}))
    seconds = json.loads(record.read_text())["load_demo_seconds"]
    return env, seconds, cached
