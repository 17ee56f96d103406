"""Each process's test database, a copy of one migrated template.

Migrating a test database from nothing takes most of a minute on this
machine, and every xdist worker, and the browser run, would do it for a
database of its own. Instead the migrations run once, into a template named
after a digest of what decides its contents (the migrations, the lock file,
the settings); each process copies the template (SQLite: the file;
PostgreSQL: `CREATE DATABASE … TEMPLATE`), and pytest-django, told to keep
the database it finds (`keepdb`), still runs `migrate` on the copy: it
finds nothing to apply, and the post-migrate signals (content types,
permissions) run as they always do. The copy is dropped at the end of the
run; the template stays for the next run and is replaced when the digest
changes. Two processes wanting a template that is not there yet take turns
on a lock file: one builds it, the other waits and copies it.

`TEST_DB_TEMPLATE=0` migrates each test database from nothing, as before.
"""

import contextlib
import fcntl
import hashlib
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
ENABLED = os.environ.get("TEST_DB_TEMPLATE", "1") != "0"
SQLITE_SIDECARS = ("-wal", "-shm", "-writers")


def digest() -> str:
    """What the migrated database depends on: any change makes a new one."""
    inputs = sorted(ROOT.glob("*/migrations/*.py"))
    inputs += sorted((ROOT / "training_site" / "settings").glob("*.py"))
    inputs.append(ROOT / "requirements" / "dev.lock")
    hashed = hashlib.sha256(connection.vendor.encode())
    for path in inputs:
        hashed.update(str(path.relative_to(ROOT)).encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()[:12]


def copy_into_test_database() -> None:
    """Put a copy of the template where this process's test database goes."""
    backend = _BACKENDS[connection.vendor]
    template = backend.template_name(digest())
    VAR.mkdir(exist_ok=True)
    with open(VAR / "test-db-template.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not backend.exists(template):
            backend.drop_stale(template)
            building = f"{template}_{os.getpid()}"
            _migrate_into(building)
            backend.rename(building, template)
    backend.copy(template, connection.creation._get_test_db_name())


def drop_test_database() -> None:
    name = connection.creation._get_test_db_name()
    connections.close_all()
    _BACKENDS[connection.vendor].drop(name)


def _migrate_into(name: str) -> None:
    """Migrate a new database `name` as Django makes a test database."""
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    test = connection.settings_dict["TEST"]
    test_name = test.get("NAME")
    test["NAME"] = name
    try:
        creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        # Closes the connection and points it back at the real database.
        creation.destroy_test_db(old_name, verbosity=0, keepdb=True)
        test["NAME"] = test_name


class SQLite:
    @staticmethod
    def template_name(key: str) -> str:
        return str(VAR / f"test-db-template-{key}.sqlite3")

    @staticmethod
    def exists(name: str) -> bool:
        return Path(name).exists()

    @staticmethod
    def drop_stale(template: str) -> None:
        """Older templates, and what a build cut short left behind."""
        for path in VAR.glob("test-db-template-*"):
            path.unlink(missing_ok=True)

    @classmethod
    def rename(cls, old: str, new: str) -> None:
        os.replace(old, new)
        cls.drop(old)  # what is left beside it

    @classmethod
    def copy(cls, template: str, name: str) -> None:
        cls.drop(name)
        shutil.copyfile(template, name)

    @staticmethod
    def drop(name: str) -> None:
        for path in (name, *(name + sidecar for sidecar in SQLITE_SIDECARS)):
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)


class PostgreSQL:
    @staticmethod
    def template_name(key: str) -> str:
        real_name = settings.DATABASES["default"]["NAME"]
        return f"test_{real_name[:30]}_template_{key}"

    @staticmethod
    def _run(sql: str, params=()) -> list:
        with connection._nodb_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    @classmethod
    def exists(cls, name: str) -> bool:
        return bool(cls._run("SELECT 1 FROM pg_database WHERE datname = %s", [name]))

    @classmethod
    def drop_stale(cls, template: str) -> None:
        prefix = template.rsplit("_", 1)[0] + "_"
        for (name,) in cls._run(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix]
        ):
            cls.drop(name)

    @classmethod
    def rename(cls, old: str, new: str) -> None:
        quote = connection.ops.quote_name
        cls._run(f"ALTER DATABASE {quote(old)} RENAME TO {quote(new)}")

    @classmethod
    def copy(cls, template: str, name: str) -> None:
        quote = connection.ops.quote_name
        cls.drop(name)
        cls._run(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")

    @classmethod
    def drop(cls, name: str) -> None:
        quote = connection.ops.quote_name
        cls._run(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")


_BACKENDS = {"sqlite": SQLite, "postgresql": PostgreSQL}
