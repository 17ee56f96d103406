"""Backups of the database: SQLite's online backup, or pg_dump/pg_restore.

SQLite: the online backup API copies a consistent snapshot while the site
keeps running (readers and the writer are not stopped), and the copy is
checked with `PRAGMA integrity_check`. A restore copies the backup back over
the live file the same way, page by page, under SQLite's own locks.

PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --clean`,
so a restore replaces every table the dump holds. The client tools must be
at least the server's version.

Uploaded files (MEDIA_ROOT) are not in the database: back them up with the
file system.
"""

import logging
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Why a backup or restore could not be made; nothing was changed."""


def default_path(vendor: str, directory: Path | None = None) -> Path:
    directory = directory or Path(settings.BASE_DIR) / "backups"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if vendor == "sqlite" else "pgdump"
    return directory / f"jiangtan-{stamp}.{suffix}"


def _database(alias: str = "default"):
    connection = connections[alias]
    return connection, connection.settings_dict


def backup(target: Path | None = None, alias: str = "default") -> Path:
    """Write a backup of the database; returns its path."""
    connection, db = _database(alias)
    target = Path(target or default_path(connection.vendor))
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        _sqlite_copy(Path(db["NAME"]), target)
        _sqlite_check(target)
    elif connection.vendor == "postgresql":
        _run(
            "pg_dump",
            db,
            "--format=custom",
            "--no-owner",
            "--file",
            str(target),
            db["NAME"],
        )
    else:
        raise BackupError(_("Backups support SQLite and PostgreSQL only."))
    logger.info("backup of %s written to %s", alias, target)
    return target


def restore(source: Path, alias: str = "default") -> None:
    """Replace the database's contents with a backup's."""
    logger.warning("restoring %s from %s", alias, source)
    connection, db = _database(alias)
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("There is no backup file %(path)s.") % {"path": source})
    head = source.read_bytes()[:16]
    connection.close()
    if connection.vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(_("This is not an SQLite backup."))
        _sqlite_check(source)
        _sqlite_copy(source, Path(db["NAME"]))
    elif connection.vendor == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(_("This is not a pg_dump backup (custom format)."))
        _run(
            "pg_restore",
            db,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            db["NAME"],
            str(source),
        )
    else:
        raise BackupError(_("Backups support SQLite and PostgreSQL only."))


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _sqlite_check(path: Path) -> None:
    check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        message = _("The backup is damaged: %(error)s") % {"error": error}
        raise BackupError(message) from error
    finally:
        check.close()
    if result != "ok":
        raise BackupError(_("The backup is damaged: %(error)s") % {"error": result})


def _run(tool: str, db: dict, *arguments: str) -> None:
    """Run a PostgreSQL client tool against the database in `db`."""
    if not shutil.which(tool):
        raise BackupError(_("%(tool)s is not installed.") % {"tool": tool})
    options = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            options += [flag, str(db[key])]
    environment = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    result = subprocess.run(
        [tool, *options, *arguments], env=environment, capture_output=True, text=True
    )
    if result.returncode != 0:
        logger.error("%s exited with %d", tool, result.returncode)
        raise BackupError(result.stderr.strip() or f"{tool} failed")
