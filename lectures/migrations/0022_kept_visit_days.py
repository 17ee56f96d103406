# The days each person came to the network's lectures (PersonDay) and, for
# each such day, the day of his visit before it (VisitGaps), kept by the
# database: the unique participants of any period are then a sum of
# VisitGaps (stats/participants.py). Written out as they stood when this was
# made: the attended statuses, what the report counts (held, published
# lectures, not class lessons) and the site's days (Asia/Shanghai, UTC+8
# without summer time).
#
# Attendance, sessions and their pages change PersonDay; PersonDay's rows
# appearing and going change VisitGaps. On PostgreSQL two writers of one
# person's days take turns (the second reads the days the first committed):
# each locks the person's AttendeeCount row, which a check-in locks anyway,
# rather than an advisory lock, of which a transaction writing the days of
# 300,000 people (load_demo at 100x) would exhaust the lock table. The
# triggers are named to fire after DayFigures' on the same table, so that
# both take their locks in the same order.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lectures.triggers import run_for_vendor

ATTENDED = "('present', 'late')"
DAYS = "lectures_personday"
GAPS = "lectures_visitgaps"
FIRST = "'0001-01-01'"
COUNTED = "s.status = 'held' AND s.kind = 'lecture'"
SQLITE_DAY = "date({}, '+8 hours')"
PG_DAY = "(({}) AT TIME ZONE 'Asia/Shanghai')::date"


def _counted(row: str) -> str:
    return f"{row}.status = 'held' AND {row}.kind = 'lecture'"


def _live(page: str) -> str:
    return f"EXISTS (SELECT 1 FROM wagtailcore_page WHERE id = {page} AND live)"


# SQLite ----------------------------------------------------------------------


def _session_day(session: str) -> str:
    """The day `session` counts on, or NULL if it does not count."""
    return f"""(SELECT {SQLITE_DAY.format("s.start")} FROM lectures_sessionpage s
        JOIN wagtailcore_page p ON p.id = s.page_ptr_id
        WHERE s.page_ptr_id = {session} AND {COUNTED} AND p.live)"""


def _add(user: str, day: str, where: str = "") -> str:
    """One more session on `day` for `user` (statement ends with a WHERE, as
    SQLite's upsert from a SELECT needs)."""
    return f"""INSERT INTO {DAYS} (user_id, day, sessions)
        SELECT {user}, {day}, 1 WHERE {day} IS NOT NULL {where}
        ON CONFLICT (user_id, day) DO UPDATE SET sessions = sessions + 1;"""


def _take(user: str, day: str, where: str = "") -> str:
    return f"""UPDATE {DAYS} SET sessions = sessions - 1
        WHERE user_id = {user} AND day = {day} {where};
        DELETE FROM {DAYS} WHERE user_id = {user} AND sessions = 0;"""


def _attendees(session: str) -> str:
    return (
        f"(SELECT user_id FROM lectures_attendance"
        f" WHERE session_id = {session} AND status IN {ATTENDED})"
    )


def _add_session(row: str, day: str, where: str) -> str:
    """One more session on `day` for each of `row`'s attendees."""
    return f"""INSERT INTO {DAYS} (user_id, day, sessions)
        SELECT user_id, {day}, 1 FROM lectures_attendance
        WHERE session_id = {row}.page_ptr_id AND status IN {ATTENDED} AND {where}
        ON CONFLICT (user_id, day) DO UPDATE SET sessions = sessions + 1;"""


def _take_session(row: str, day: str, where: str) -> str:
    people = _attendees(f"{row}.page_ptr_id")
    return f"""UPDATE {DAYS} SET sessions = sessions - 1
        WHERE day = {day} AND user_id IN {people} AND {where};
        DELETE FROM {DAYS}
        WHERE day = {day} AND sessions = 0 AND user_id IN {people};"""


def _before(row: str) -> str:
    return f"""COALESCE((SELECT MAX(day) FROM {DAYS}
        WHERE user_id = {row}.user_id AND day < {row}.day), {FIRST})"""


def _after(row: str) -> str:
    return f"""(SELECT MIN(day) FROM {DAYS}
        WHERE user_id = {row}.user_id AND day > {row}.day)"""


def _gap_add(day: str, previous: str) -> str:
    return f"""INSERT INTO {GAPS} (day, previous, people)
        SELECT {day}, {previous}, 1 WHERE {day} IS NOT NULL
        ON CONFLICT (day, previous) DO UPDATE SET people = people + 1;"""


def _gap_take(day: str, previous: str) -> str:
    return f"""UPDATE {GAPS} SET people = people - 1
        WHERE day = {day} AND previous = {previous};
        DELETE FROM {GAPS} WHERE day = {day} AND previous = {previous} AND people = 0;"""


def _sqlite() -> list[str]:
    a = ATTENDED
    old_day, new_day = SQLITE_DAY.format("OLD.start"), SQLITE_DAY.format("NEW.start")
    page_day = f"(SELECT {SQLITE_DAY.format('start')} FROM lectures_sessionpage WHERE page_ptr_id = NEW.id)"
    return [
        f"""CREATE TRIGGER lectures_visits_attendance_added
        AFTER INSERT ON lectures_attendance WHEN NEW.status IN {a}
        BEGIN {_add("NEW.user_id", _session_day("NEW.session_id"))} END""",
        f"""CREATE TRIGGER lectures_visits_attendance_deleted
        AFTER DELETE ON lectures_attendance WHEN OLD.status IN {a}
        BEGIN {_take("OLD.user_id", _session_day("OLD.session_id"))} END""",
        f"""CREATE TRIGGER lectures_visits_attendance_changed
        AFTER UPDATE OF status, user_id, session_id ON lectures_attendance
        WHEN (OLD.status IN {a} OR NEW.status IN {a})
            AND ((OLD.status IN {a}) IS NOT (NEW.status IN {a})
                 OR OLD.user_id IS NOT NEW.user_id
                 OR OLD.session_id IS NOT NEW.session_id)
        BEGIN
            {_take("OLD.user_id", _session_day("OLD.session_id"), f"AND OLD.status IN {a}")}
            {_add("NEW.user_id", _session_day("NEW.session_id"), f"AND NEW.status IN {a}")}
        END""",
        f"""CREATE TRIGGER lectures_visits_session_added
        AFTER INSERT ON lectures_sessionpage
        WHEN {_counted("NEW")} AND {_live("NEW.page_ptr_id")}
        BEGIN {_add_session("NEW", new_day, "1")} END""",
        f"""CREATE TRIGGER lectures_visits_session_changed
        AFTER UPDATE OF start, status, kind ON lectures_sessionpage
        WHEN (({_counted("OLD")}) IS NOT ({_counted("NEW")})
              OR (({_counted("NEW")}) AND {old_day} IS NOT {new_day}))
            AND {_live("NEW.page_ptr_id")}
        BEGIN
            {_take_session("OLD", old_day, _counted("OLD"))}
            {_add_session("NEW", new_day, _counted("NEW"))}
        END""",
        f"""CREATE TRIGGER lectures_visits_session_deleted
        AFTER DELETE ON lectures_sessionpage
        WHEN {_counted("OLD")} AND {_live("OLD.page_ptr_id")}
        BEGIN {_take_session("OLD", old_day, "1")} END""",
        f"""CREATE TRIGGER lectures_visits_published
        AFTER UPDATE OF live ON wagtailcore_page
        WHEN OLD.live IS NOT NEW.live AND EXISTS (
            SELECT 1 FROM lectures_sessionpage s
            WHERE s.page_ptr_id = NEW.id AND {COUNTED})
        BEGIN
            {_take_session("NEW", page_day, "NOT NEW.live").replace("NEW.page_ptr_id", "NEW.id")}
            {_add_session("NEW", page_day, "NEW.live").replace("NEW.page_ptr_id", "NEW.id")}
        END""",
        f"""CREATE TRIGGER lectures_visits_day_added
        AFTER INSERT ON {DAYS}
        BEGIN
            {_gap_add("NEW.day", _before("NEW"))}
            {_gap_take(_after("NEW"), _before("NEW"))}
            {_gap_add(_after("NEW"), "NEW.day")}
        END""",
        f"""CREATE TRIGGER lectures_visits_day_deleted
        AFTER DELETE ON {DAYS}
        BEGIN
            {_gap_take("OLD.day", _before("OLD"))}
            {_gap_take(_after("OLD"), "OLD.day")}
            {_gap_add(_after("OLD"), _before("OLD"))}
        END""",
    ]


SQLITE_TRIGGERS = (
    "attendance_added", "attendance_deleted", "attendance_changed",
    "session_added", "session_changed", "session_deleted", "published",
    "day_added", "day_deleted",
)  # fmt: skip


def _sqlite_reverse() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS lectures_visits_{name}" for name in SQLITE_TRIGGERS]


# PostgreSQL ------------------------------------------------------------------


def _pg_session_day(session: str) -> str:
    return f"""(SELECT {PG_DAY.format("s.start")} FROM lectures_sessionpage s
        JOIN wagtailcore_page p ON p.id = s.page_ptr_id
        WHERE s.page_ptr_id = {session} AND {COUNTED} AND p.live)"""


def _postgresql() -> list[str]:
    a = ATTENDED
    old_day, new_day = PG_DAY.format("OLD.start"), PG_DAY.format("NEW.start")
    return [
        # A person's sessions on a day, by `k_by`; the row goes at 0.
        f"""CREATE FUNCTION lectures_visits_day(k_user integer, k_day date, k_by integer)
            RETURNS void AS $$
            DECLARE remaining integer;
            BEGIN
                IF k_day IS NULL THEN RETURN; END IF;
                IF k_by > 0 THEN
                    INSERT INTO {DAYS} AS d (user_id, day, sessions)
                    VALUES (k_user, k_day, k_by)
                    ON CONFLICT (user_id, day) DO UPDATE SET sessions = d.sessions + k_by;
                ELSE
                    UPDATE {DAYS} SET sessions = sessions + k_by
                    WHERE user_id = k_user AND day = k_day
                    RETURNING sessions INTO remaining;
                    IF remaining = 0 THEN
                        DELETE FROM {DAYS} WHERE user_id = k_user AND day = k_day;
                    END IF;
                END IF;
            END
            $$ LANGUAGE plpgsql""",
        f"""CREATE FUNCTION lectures_visits_gap(k_day date, k_previous date, k_by integer)
            RETURNS void AS $$
            DECLARE remaining integer;
            BEGIN
                IF k_by > 0 THEN
                    INSERT INTO {GAPS} AS g (day, previous, people)
                    VALUES (k_day, k_previous, k_by)
                    ON CONFLICT (day, previous) DO UPDATE SET people = g.people + k_by;
                ELSE
                    UPDATE {GAPS} SET people = people + k_by
                    WHERE day = k_day AND previous = k_previous
                    RETURNING people INTO remaining;
                    IF remaining = 0 THEN
                        DELETE FROM {GAPS} WHERE day = k_day AND previous = k_previous;
                    END IF;
                END IF;
            END
            $$ LANGUAGE plpgsql""",
        f"""CREATE FUNCTION lectures_visits_attendance() RETURNS trigger AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN {a} THEN
                    PERFORM lectures_visits_day(
                        OLD.user_id, {_pg_session_day("OLD.session_id")}, -1);
                END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status IN {a} THEN
                    PERFORM lectures_visits_day(
                        NEW.user_id, {_pg_session_day("NEW.session_id")}, 1);
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER lectures_visits_attendance_added
            AFTER INSERT ON lectures_attendance
            FOR EACH ROW WHEN (NEW.status IN {a})
            EXECUTE FUNCTION lectures_visits_attendance()""",
        f"""CREATE TRIGGER lectures_visits_attendance_deleted
            AFTER DELETE ON lectures_attendance
            FOR EACH ROW WHEN (OLD.status IN {a})
            EXECUTE FUNCTION lectures_visits_attendance()""",
        f"""CREATE TRIGGER lectures_visits_attendance_changed
            AFTER UPDATE OF status, user_id, session_id ON lectures_attendance
            FOR EACH ROW WHEN ((OLD.status IN {a} OR NEW.status IN {a})
                AND ((OLD.status IN {a}) IS DISTINCT FROM (NEW.status IN {a})
                     OR OLD.user_id IS DISTINCT FROM NEW.user_id
                     OR OLD.session_id IS DISTINCT FROM NEW.session_id))
            EXECUTE FUNCTION lectures_visits_attendance()""",
        # A session's attendees, by their id: two sessions changed at once
        # lock the people they share in the same order.
        f"""CREATE FUNCTION lectures_visits_session() RETURNS trigger AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') AND {_counted("OLD")}
                        AND {_live("OLD.page_ptr_id")} THEN
                    PERFORM lectures_visits_day(user_id, {old_day}, -1)
                    FROM lectures_attendance
                    WHERE session_id = OLD.page_ptr_id AND status IN {a}
                    ORDER BY user_id;
                END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') AND {_counted("NEW")}
                        AND {_live("NEW.page_ptr_id")} THEN
                    PERFORM lectures_visits_day(user_id, {new_day}, 1)
                    FROM lectures_attendance
                    WHERE session_id = NEW.page_ptr_id AND status IN {a}
                    ORDER BY user_id;
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER lectures_visits_session
            AFTER INSERT OR DELETE ON lectures_sessionpage
            FOR EACH ROW EXECUTE FUNCTION lectures_visits_session()""",
        f"""CREATE TRIGGER lectures_visits_session_changed
            AFTER UPDATE OF start, status, kind ON lectures_sessionpage
            FOR EACH ROW WHEN (({_counted("OLD")}) IS DISTINCT FROM ({_counted("NEW")})
                OR ({_counted("NEW")} AND {old_day} IS DISTINCT FROM {new_day}))
            EXECUTE FUNCTION lectures_visits_session()""",
        f"""CREATE FUNCTION lectures_visits_page() RETURNS trigger AS $$
            BEGIN
                PERFORM lectures_visits_day(
                    a.user_id, {PG_DAY.format("s.start")},
                    CASE WHEN NEW.live THEN 1 ELSE -1 END)
                FROM lectures_sessionpage s
                JOIN lectures_attendance a ON a.session_id = s.page_ptr_id
                WHERE s.page_ptr_id = NEW.id AND {COUNTED} AND a.status IN {a}
                ORDER BY a.user_id;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER lectures_visits_page
            AFTER UPDATE OF live ON wagtailcore_page
            FOR EACH ROW WHEN (OLD.live IS DISTINCT FROM NEW.live)
            EXECUTE FUNCTION lectures_visits_page()""",
        f"""CREATE FUNCTION lectures_visits_gaps() RETURNS trigger AS $$
            DECLARE
                k_user integer;
                k_day date;
                before_day date;
                after_day date;
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    k_user := NEW.user_id; k_day := NEW.day;
                ELSE
                    k_user := OLD.user_id; k_day := OLD.day;
                END IF;
                -- Wait for any other writer of his days; read what it wrote.
                PERFORM 1 FROM lectures_attendeecount WHERE user_id = k_user
                    FOR NO KEY UPDATE;
                IF NOT FOUND THEN
                    PERFORM pg_advisory_xact_lock(20, k_user);
                END IF;
                SELECT MAX(day) INTO before_day FROM {DAYS}
                    WHERE user_id = k_user AND day < k_day;
                SELECT MIN(day) INTO after_day FROM {DAYS}
                    WHERE user_id = k_user AND day > k_day;
                before_day := COALESCE(before_day, DATE {FIRST});
                IF TG_OP = 'INSERT' THEN
                    PERFORM lectures_visits_gap(k_day, before_day, 1);
                    IF after_day IS NOT NULL THEN
                        PERFORM lectures_visits_gap(after_day, before_day, -1);
                        PERFORM lectures_visits_gap(after_day, k_day, 1);
                    END IF;
                ELSE
                    PERFORM lectures_visits_gap(k_day, before_day, -1);
                    IF after_day IS NOT NULL THEN
                        PERFORM lectures_visits_gap(after_day, k_day, -1);
                        PERFORM lectures_visits_gap(after_day, before_day, 1);
                    END IF;
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER lectures_visits_days
            AFTER INSERT OR DELETE ON {DAYS}
            FOR EACH ROW EXECUTE FUNCTION lectures_visits_gaps()""",
    ]


def _postgresql_reverse() -> list[str]:
    triggers = [
        ("lectures_visits_attendance_added", "lectures_attendance"),
        ("lectures_visits_attendance_deleted", "lectures_attendance"),
        ("lectures_visits_attendance_changed", "lectures_attendance"),
        ("lectures_visits_session", "lectures_sessionpage"),
        ("lectures_visits_session_changed", "lectures_sessionpage"),
        ("lectures_visits_page", "wagtailcore_page"),
        ("lectures_visits_days", DAYS),
    ]
    functions = [
        "lectures_visits_gaps()",
        "lectures_visits_page()",
        "lectures_visits_session()",
        "lectures_visits_attendance()",
        "lectures_visits_gap(date, date, integer)",
        "lectures_visits_day(integer, date, integer)",
    ]
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in triggers] + [
        f"DROP FUNCTION IF EXISTS {function}" for function in functions
    ]


# The rows as they stand, before the triggers keep them --------------------------


def _backfill(day) -> list[str]:
    return [
        f"""INSERT INTO {DAYS} (user_id, day, sessions)
        SELECT a.user_id, {day.format("s.start")}, COUNT(*)
        FROM lectures_attendance a
        JOIN lectures_sessionpage s ON s.page_ptr_id = a.session_id
        JOIN wagtailcore_page p ON p.id = s.page_ptr_id
        WHERE a.status IN {ATTENDED} AND {COUNTED} AND p.live
        GROUP BY a.user_id, {day.format("s.start")}""",
        f"""INSERT INTO {GAPS} (day, previous, people)
        SELECT day, COALESCE(previous, {"DATE " if day is PG_DAY else ""}{FIRST}), COUNT(*)
        FROM (SELECT day, LAG(day) OVER (PARTITION BY user_id ORDER BY day) AS previous
              FROM {DAYS}) AS visits
        GROUP BY day, previous""",
    ]


def keep_visits(apps, schema_editor):
    # Filled first, then kept: the days' triggers would otherwise recount
    # every gap row by row. On PostgreSQL no writer may come in between.
    lock = (
        "LOCK TABLE lectures_attendance, lectures_sessionpage, wagtailcore_page"
        " IN SHARE MODE"
    )
    run_for_vendor(
        schema_editor,
        {
            "sqlite": [*_backfill(SQLITE_DAY), *_sqlite()],
            "postgresql": [lock, *_backfill(PG_DAY), *_postgresql()],
        },
    )


def drop_visits(apps, schema_editor):
    run_for_vendor(
        schema_editor,
        {"sqlite": _sqlite_reverse(), "postgresql": _postgresql_reverse()},
    )


class Migration(migrations.Migration):

    dependencies = [
        ('lectures', '0021_upcoming_and_tier_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='VisitGaps',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('previous', models.DateField(verbose_name='previous visit')),
                ('people', models.PositiveIntegerField(verbose_name='people')),
            ],
            options={
                'verbose_name': 'visit gaps',
                'verbose_name_plural': 'visit gaps',
                'constraints': [models.UniqueConstraint(fields=('day', 'previous'), name='visit_gaps_key')],
            },
        ),
        migrations.CreateModel(
            name='PersonDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('sessions', models.PositiveIntegerField(verbose_name='sessions attended')),
                ('user', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'day attended',
                'verbose_name_plural': 'days attended',
                'constraints': [models.UniqueConstraint(fields=('user', 'day'), name='person_day_key')],
            },
        ),
        migrations.RunPython(keep_visits, drop_visits),
    ]
