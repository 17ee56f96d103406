# The kept figures per forum × day (0018) on PostgreSQL: two writers of one
# key still take turns, the second recomputing from what the first
# committed, but they now wait on the key's own DayFigures row rather than
# on an advisory lock. An advisory lock is one entry of the shared lock
# table, held to the end of the transaction: a transaction writing many
# forum × days (load_demo --reset, a network's import of a few years) ran
# out of them ("out of shared memory … max_locks_per_transaction"). A row
# lock is kept in the row itself, however many rows a transaction locks.
#
# The row is locked (SELECT … FOR UPDATE, which waits for another writer of
# it) or, if there is none, inserted (INSERT … ON CONFLICT DO NOTHING: a row
# inserted is this transaction's alone until it ends; one that another
# transaction is inserting is waited for, then locked), then recomputed in
# place from the sessions each later statement sees — or
# deleted when none counts any more, as before: a writer waiting for a row
# that goes finds nothing to lock and starts again. The order in which locks
# are taken is the advisory lock's, so no new deadlock comes in. SQLite takes
# writers one at a time and is untouched.

from importlib import import_module

from django.db import migrations

from lectures.triggers import run_for_vendor

FIGURES = import_module("lectures.migrations.0018_day_figures")
TABLE = FIGURES.TABLE


def _key(row: str = "") -> str:
    return (
        f"{row}forum_id = k_forum AND {row}day = k_day"
        f" AND {row}field_id = k_field AND {row}category_id = k_category"
    )


KEY = _key()
KEPT = (
    "forum_path, level, sessions, held, cancelled, postponed, participants,"
    " others, roster_size, roster_attended, hours_offered, hours_credited,"
    " satisfied, rated"
)
PG = FIGURES.POSTGRESQL
SIGNATURE = (
    "lectures_dayfigures_refresh("
    "k_forum bigint, k_day date, k_field bigint, k_category bigint)"
)

ROW_LOCKED = f"""
CREATE OR REPLACE FUNCTION {SIGNATURE} RETURNS void AS $$
BEGIN
    IF k_forum IS NULL THEN RETURN; END IF;
    LOOP
        PERFORM 1 FROM {TABLE} WHERE {KEY} FOR UPDATE;
        EXIT WHEN FOUND;
        INSERT INTO {TABLE} (forum_id, day, month, field_id, category_id, {KEPT})
        VALUES (k_forum, k_day, {PG.month("k_day")}, k_field, k_category,
                '', '', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        ON CONFLICT (forum_id, day, field_id, category_id) DO NOTHING;
        -- Inserted: no one else sees the row before this transaction ends.
        EXIT WHEN FOUND;
    END LOOP;
    UPDATE {TABLE} AS d SET ({KEPT}) = ROW(x.*)
    FROM (
        SELECT fp.path, f.level, {FIGURES._sums(PG.tenths)}
        {FIGURES.FROM}
            AND s.forum_id = k_forum
            AND s.start >= {PG.day_start("k_day")} AND s.start < {PG.day_end("k_day")}
            AND COALESCE(s.field_id, 0) = k_field
            AND COALESCE(s.category_id, 0) = k_category
        GROUP BY s.forum_id, fp.path, f.level
    ) AS x
    WHERE {_key("d.")};
    IF NOT FOUND THEN
        DELETE FROM {TABLE} WHERE {KEY};
    END IF;
END
$$ LANGUAGE plpgsql
"""

ADVISORY = f"""
CREATE OR REPLACE FUNCTION {SIGNATURE} RETURNS void AS $$
BEGIN
    IF k_forum IS NULL THEN RETURN; END IF;
    PERFORM pg_advisory_xact_lock(
        18, hashtext(k_forum || '/' || k_day || '/' || k_field || '/' || k_category));
    {PG.refresh("k_forum", "k_day", "k_field", "k_category")}
END
$$ LANGUAGE plpgsql
"""


def lock_rows(apps, schema_editor):
    run_for_vendor(schema_editor, {"sqlite": [], "postgresql": [ROW_LOCKED]})


def lock_keys(apps, schema_editor):
    run_for_vendor(schema_editor, {"sqlite": [], "postgresql": [ADVISORY]})


class Migration(migrations.Migration):
    dependencies = [
        ("lectures", "0023_month_figures"),
    ]

    operations = [
        migrations.RunPython(lock_rows, lock_keys),
    ]
