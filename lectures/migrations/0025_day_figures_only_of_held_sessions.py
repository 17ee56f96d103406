# The kept figures per forum × day (0018) read a session's roster counts
# (`RosterCount`) and other attendees (`OtherAttendees`) only when the
# session is held: every figure they enter is summed under "status = held".
# Yet each change of either recomputed the session's forum × day — on
# SQLite twice (the old session's and the new one's, the same session) —
# so every check-in, which comes before a session is marked held, paid for
# a recount that could change nothing: 0.09 of SQLite's 0.16 ms for the
# insert and its triggers, and on PostgreSQL a lock on the day's row that
# every check-in of the forum that day took in turn.
#
# Now a change of either is counted only when its session is held. Marking
# a session held recounts its day from the counts as they are then (the
# session's own trigger, unchanged), so nothing is missed either way round.
# SQLite takes writers one at a time: the status read is the last one
# committed. On PostgreSQL the session's row is read FOR SHARE: a status
# being changed by another transaction is waited for and read as it commits
# (a plain read would see the old status, skip, and the other
# transaction's recount would not see this change: the figure would be one
# short). Share locks do not wait for each other, so check-ins do not.
# The person's day (`PersonDay`, 0022), whose trigger on an attendance
# reads the session's status too, fires after the roster count's (triggers
# fire in order of name), so it reads the status after that wait: the same
# race had left a unique participant uncounted there (the test of a check-in
# made while its session is marked held fails on both without the lock).

from importlib import import_module

from django.db import migrations

from lectures.triggers import run_for_vendor

FIGURES = import_module("lectures.migrations.0018_day_figures")
#: The kept tables whose columns count only for a held session.
HELD_ONLY = {
    table: columns
    for table, columns in FIGURES.KEPT.items()
    if table in ("lectures_rostercount", "lectures_otherattendees")
}


def _name(table: str) -> str:
    return table.removeprefix("lectures_")


def _held(session: str) -> str:
    return (
        f"(SELECT status FROM lectures_sessionpage"
        f" WHERE page_ptr_id = {session}) = 'held'"
    )


def _sqlite() -> list[str]:
    refresh = FIGURES._sqlite_of_session
    statements = []
    for table, columns in HELD_ONLY.items():
        name = _name(table)
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        statements += [
            f"DROP TRIGGER IF EXISTS lectures_dayfigures_{name}_added",
            f"DROP TRIGGER IF EXISTS lectures_dayfigures_{name}_changed",
            f"DROP TRIGGER IF EXISTS lectures_dayfigures_{name}_deleted",
            f"""CREATE TRIGGER lectures_dayfigures_{name}_added
            AFTER INSERT ON {table} WHEN {_held("NEW.session_id")}
            BEGIN {refresh("NEW.session_id")} END""",
            f"""CREATE TRIGGER lectures_dayfigures_{name}_changed
            AFTER UPDATE ON {table}
            WHEN OLD.session_id IS NEW.session_id AND ({changed})
                AND {_held("NEW.session_id")}
            BEGIN {refresh("NEW.session_id")} END""",
            f"""CREATE TRIGGER lectures_dayfigures_{name}_moved
            AFTER UPDATE ON {table} WHEN OLD.session_id IS NOT NEW.session_id
            BEGIN {refresh("OLD.session_id")} {refresh("NEW.session_id")} END""",
            f"""CREATE TRIGGER lectures_dayfigures_{name}_deleted
            AFTER DELETE ON {table} WHEN {_held("OLD.session_id")}
            BEGIN {refresh("OLD.session_id")} END""",
        ]
    return statements


def _sqlite_reverse() -> list[str]:
    statements = []
    for table in HELD_ONLY:
        name = _name(table)
        statements += [
            f"DROP TRIGGER IF EXISTS lectures_dayfigures_{name}_{event}"
            for event in ("added", "changed", "moved", "deleted")
        ]
    # 0018's triggers of these tables, as they were.
    return statements + [
        statement
        for statement in FIGURES._sqlite()
        if any(
            f"lectures_dayfigures_{_name(table)}_" in statement for table in HELD_ONLY
        )
    ]


PG_HELD = """
CREATE OR REPLACE FUNCTION lectures_session_held(k_session integer)
RETURNS boolean AS $$
DECLARE
    k_status varchar;
BEGIN
    -- Locked for share, whatever its status: a plain read (or one that
    -- locked only held rows) would not wait for a status being changed.
    SELECT status INTO k_status FROM lectures_sessionpage
    WHERE page_ptr_id = k_session FOR SHARE;
    RETURN k_status = 'held';
END
$$ LANGUAGE plpgsql
"""

PG_KEPT_IF_HELD = """
CREATE OR REPLACE FUNCTION lectures_dayfigures_kept_if_held() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND lectures_session_held(OLD.session_id) THEN
        PERFORM lectures_dayfigures_refresh_session(OLD.session_id);
    END IF;
    IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE'
            AND NEW.session_id IS DISTINCT FROM OLD.session_id))
            AND lectures_session_held(NEW.session_id) THEN
        PERFORM lectures_dayfigures_refresh_session(NEW.session_id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def _pg_triggers(function: str) -> list[str]:
    statements = []
    for table, columns in HELD_ONLY.items():
        name = _name(table)
        distinct = " OR ".join(
            f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in ("session_id", *columns)
        )
        statements += [
            f"DROP TRIGGER IF EXISTS lectures_dayfigures_{name} ON {table}",
            f"DROP TRIGGER IF EXISTS lectures_dayfigures_{name}_changed ON {table}",
            f"""CREATE TRIGGER lectures_dayfigures_{name}
            AFTER INSERT OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}()""",
            f"""CREATE TRIGGER lectures_dayfigures_{name}_changed
            AFTER UPDATE ON {table} FOR EACH ROW WHEN ({distinct})
            EXECUTE FUNCTION {function}()""",
        ]
    return statements


def count_held_only(apps, schema_editor):
    run_for_vendor(
        schema_editor,
        {
            "sqlite": _sqlite(),
            "postgresql": [
                PG_HELD,
                PG_KEPT_IF_HELD,
                *_pg_triggers("lectures_dayfigures_kept_if_held"),
            ],
        },
    )


def count_every_change(apps, schema_editor):
    run_for_vendor(
        schema_editor,
        {
            "sqlite": _sqlite_reverse(),
            "postgresql": [
                *_pg_triggers("lectures_dayfigures_kept"),
                "DROP FUNCTION IF EXISTS lectures_dayfigures_kept_if_held()",
                "DROP FUNCTION IF EXISTS lectures_session_held(integer)",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lectures", "0024_day_figures_locked_by_row"),
    ]

    operations = [
        migrations.RunPython(count_held_only, count_every_change),
    ]
