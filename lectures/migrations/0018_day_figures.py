# The network's sessions summed per forum × day × field × category, kept by
# the database (see DayFigures): every change to what a session adds to the
# figures recomputes its row from the sessions that share its key, in the
# same transaction. Written out as they stood when this was made: the
# counting rule (lectures.counting), the statuses, the evaluation's minimum
# of responses (MIN_RESPONSES = 3) and the site's days (Asia/Shanghai, UTC+8
# without summer time).

import django.db.models.deletion
from django.db import migrations, models

from lectures.triggers import run_for_vendor

TABLE = "lectures_dayfigures"
HELD = "s.status = 'held'"
CADRES = (
    "CASE WHEN COALESCE(r.on_roster, 0) > 0 THEN r.attended"
    " ELSE COALESCE(s.headcount, 0) END"
)
MIN_RESPONSES = 3


def _sums(tenths: str) -> str:
    """What a group of sessions adds, in the table's column order."""
    rated = f"CASE WHEN COALESCE(e.responses, 0) >= {MIN_RESPONSES} THEN COALESCE(rc.{{}}, 0) ELSE 0 END"
    return f"""
        COUNT(*),
        SUM(CASE WHEN {HELD} THEN 1 ELSE 0 END),
        SUM(CASE WHEN s.status = 'cancelled' THEN 1 ELSE 0 END),
        SUM(CASE WHEN s.status = 'postponed' THEN 1 ELSE 0 END),
        SUM(CASE WHEN {HELD} THEN {CADRES} + COALESCE(o.count, 0) ELSE 0 END),
        SUM(CASE WHEN {HELD} THEN COALESCE(o.count, 0) ELSE 0 END),
        SUM(CASE WHEN {HELD} THEN COALESCE(r.on_roster, 0) ELSE 0 END),
        SUM(CASE WHEN {HELD} THEN COALESCE(r.attended, 0) ELSE 0 END),
        SUM(CASE WHEN {HELD} THEN {tenths} ELSE 0 END),
        SUM(CASE WHEN {HELD} THEN COALESCE(r.attended, 0) * {tenths} ELSE 0 END),
        SUM({rated.format("satisfied")}),
        SUM({rated.format("rated")})
    """


COLUMNS = (
    "forum_id, forum_path, level, day, month, field_id, category_id, sessions,"
    " held, cancelled, postponed, participants, others, roster_size,"
    " roster_attended, hours_offered, hours_credited, satisfied, rated"
)
FROM = """
    FROM lectures_sessionpage s
    JOIN wagtailcore_page p ON p.id = s.page_ptr_id
    JOIN wagtailcore_page fp ON fp.id = s.forum_id
    JOIN lectures_forumpage f ON f.page_ptr_id = s.forum_id
    LEFT JOIN lectures_rostercount r ON r.session_id = s.page_ptr_id
    LEFT JOIN lectures_otherattendees o ON o.session_id = s.page_ptr_id
    LEFT JOIN lectures_ratingcount rc ON rc.session_id = s.page_ptr_id
    LEFT JOIN lectures_sessionevaluation e ON e.session_id = s.page_ptr_id
    WHERE p.live AND s.kind = 'lecture'
"""


class Vendor:
    """The SQL of one database: a session's day, the bounds of a day, hours
    in tenths."""

    def __init__(self, day, day_start, day_end, month, tenths):
        self.day, self.day_start, self.day_end = day, day_start, day_end
        self.month, self.tenths = month, tenths

    def key(self, row: str) -> tuple[str, str, str, str]:
        return (
            f"{row}.forum_id",
            self.day(f"{row}.start"),
            f"COALESCE({row}.field_id, 0)",
            f"COALESCE({row}.category_id, 0)",
        )

    def select(self) -> str:
        """Every row, grouped: the backfill."""
        day = self.day("s.start")
        return f"""
            SELECT s.forum_id, fp.path, f.level, {day}, {self.month(day)},
                   COALESCE(s.field_id, 0), COALESCE(s.category_id, 0),
                   {_sums(self.tenths)}
            {FROM}
            GROUP BY s.forum_id, fp.path, f.level, {day},
                     COALESCE(s.field_id, 0), COALESCE(s.category_id, 0)
        """

    def refresh(self, forum: str, day: str, field: str, category: str) -> str:
        """Recompute the row of one key (SQL expressions), or drop it."""
        return f"""
            DELETE FROM {TABLE} WHERE forum_id = {forum} AND day = {day}
                AND field_id = {field} AND category_id = {category};
            INSERT INTO {TABLE} ({COLUMNS})
            SELECT s.forum_id, fp.path, f.level, {day}, {self.month(day)},
                   {field}, {category}, {_sums(self.tenths)}
            {FROM}
                AND s.forum_id = {forum}
                AND s.start >= {self.day_start(day)} AND s.start < {self.day_end(day)}
                AND COALESCE(s.field_id, 0) = {field}
                AND COALESCE(s.category_id, 0) = {category}
            GROUP BY s.forum_id, fp.path, f.level;
        """


SQLITE = Vendor(
    # Django keeps datetimes in SQLite as UTC text, 'YYYY-MM-DD HH:MM:SS'.
    day=lambda value: f"date({value}, '+8 hours')",
    day_start=lambda day: f"datetime({day}, '-8 hours')",
    day_end=lambda day: f"datetime({day}, '+1 day', '-8 hours')",
    month=lambda day: f"substr({day}, 1, 7)",
    tenths="CAST(ROUND(s.study_hours * 10) AS INTEGER)",
)
POSTGRESQL = Vendor(
    day=lambda value: f"(({value}) AT TIME ZONE 'Asia/Shanghai')::date",
    day_start=lambda day: f"(({day})::timestamp AT TIME ZONE 'Asia/Shanghai')",
    day_end=lambda day: f"((({day}) + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')",
    month=lambda day: f"to_char({day}, 'YYYY-MM')",
    tenths="ROUND(s.study_hours * 10)::bigint",
)

#: What a session's row depends on, besides its page's `live` flag.
SESSION_COLUMNS = (
    "forum_id", "start", "field_id", "category_id", "status", "headcount",
    "study_hours", "kind",
)
#: The kept tables a session's figures read: (table, columns that matter).
KEPT = {
    "lectures_rostercount": ("on_roster", "attended"),
    "lectures_otherattendees": ("count",),
    "lectures_ratingcount": ("rated", "satisfied"),
    "lectures_sessionevaluation": ("responses",),
}


def _changed(columns) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def _sqlite_of_session(session: str) -> str:
    """Refresh the row of the session whose id is `session` (an expression)."""
    def lookup(expression):
        return f"(SELECT {expression} FROM lectures_sessionpage x WHERE x.page_ptr_id = {session})"

    return SQLITE.refresh(*(lookup(part) for part in SQLITE.key("x")))


def _sqlite() -> list[str]:
    changed = _changed(SESSION_COLUMNS)
    statements = [
        f"""CREATE TRIGGER lectures_dayfigures_session_added
        AFTER INSERT ON lectures_sessionpage
        BEGIN {SQLITE.refresh(*SQLITE.key("NEW"))} END""",
        f"""CREATE TRIGGER lectures_dayfigures_session_changed
        AFTER UPDATE ON lectures_sessionpage WHEN {changed}
        BEGIN {SQLITE.refresh(*SQLITE.key("OLD"))} {SQLITE.refresh(*SQLITE.key("NEW"))} END""",
        f"""CREATE TRIGGER lectures_dayfigures_session_deleted
        AFTER DELETE ON lectures_sessionpage
        BEGIN {SQLITE.refresh(*SQLITE.key("OLD"))} END""",
        f"""CREATE TRIGGER lectures_dayfigures_published
        AFTER UPDATE OF live ON wagtailcore_page WHEN OLD.live IS NOT NEW.live
        BEGIN {_sqlite_of_session("NEW.id")} END""",
        f"""CREATE TRIGGER lectures_dayfigures_forum_moved
        AFTER UPDATE OF path ON wagtailcore_page WHEN OLD.path IS NOT NEW.path
        BEGIN UPDATE {TABLE} SET forum_path = NEW.path WHERE forum_id = NEW.id; END""",
    ]
    for table, columns in KEPT.items():
        name = table.removeprefix("lectures_")
        statements += [
            f"""CREATE TRIGGER lectures_dayfigures_{name}_added
            AFTER INSERT ON {table}
            BEGIN {_sqlite_of_session("NEW.session_id")} END""",
            f"""CREATE TRIGGER lectures_dayfigures_{name}_changed
            AFTER UPDATE ON {table} WHEN {_changed(("session_id", *columns))}
            BEGIN {_sqlite_of_session("OLD.session_id")}
                  {_sqlite_of_session("NEW.session_id")} END""",
            f"""CREATE TRIGGER lectures_dayfigures_{name}_deleted
            AFTER DELETE ON {table}
            BEGIN {_sqlite_of_session("OLD.session_id")} END""",
        ]
    return statements


def _sqlite_reverse() -> list[str]:
    names = ["session_added", "session_changed", "session_deleted", "published", "forum_moved"]
    for table in KEPT:
        name = table.removeprefix("lectures_")
        names += [f"{name}_added", f"{name}_changed", f"{name}_deleted"]
    return [f"DROP TRIGGER IF EXISTS lectures_dayfigures_{name}" for name in names]


def _pg_distinct(columns) -> str:
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


def _postgresql() -> list[str]:
    key = POSTGRESQL.key
    statements = [
        # Concurrent writers to one key (two check-ins at two sessions of a
        # forum on one day) take turns: each recomputes the row after the
        # other committed, never from a snapshot that misses it.
        f"""CREATE FUNCTION lectures_dayfigures_refresh(
                k_forum bigint, k_day date, k_field bigint, k_category bigint)
            RETURNS void AS $$
            BEGIN
                IF k_forum IS NULL THEN RETURN; END IF;
                PERFORM pg_advisory_xact_lock(
                    18, hashtext(k_forum || '/' || k_day || '/' || k_field || '/' || k_category));
                {POSTGRESQL.refresh("k_forum", "k_day", "k_field", "k_category")}
            END
            $$ LANGUAGE plpgsql""",
        f"""CREATE FUNCTION lectures_dayfigures_refresh_session(k_session integer)
            RETURNS void AS $$
            BEGIN
                PERFORM lectures_dayfigures_refresh({", ".join(key("x"))})
                FROM lectures_sessionpage x WHERE x.page_ptr_id = k_session;
            END
            $$ LANGUAGE plpgsql""",
        f"""CREATE FUNCTION lectures_dayfigures_session() RETURNS trigger AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    PERFORM lectures_dayfigures_refresh({", ".join(key("OLD"))});
                END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') THEN
                    PERFORM lectures_dayfigures_refresh({", ".join(key("NEW"))});
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER lectures_dayfigures_session_added
            AFTER INSERT OR DELETE ON lectures_sessionpage
            FOR EACH ROW EXECUTE FUNCTION lectures_dayfigures_session()""",
        f"""CREATE TRIGGER lectures_dayfigures_session_changed
            AFTER UPDATE ON lectures_sessionpage
            FOR EACH ROW WHEN ({_pg_distinct(SESSION_COLUMNS)})
            EXECUTE FUNCTION lectures_dayfigures_session()""",
        f"""CREATE FUNCTION lectures_dayfigures_page() RETURNS trigger AS $$
            BEGIN
                IF OLD.live IS DISTINCT FROM NEW.live THEN
                    PERFORM lectures_dayfigures_refresh_session(NEW.id);
                END IF;
                IF OLD.path IS DISTINCT FROM NEW.path THEN
                    UPDATE {TABLE} SET forum_path = NEW.path WHERE forum_id = NEW.id;
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER lectures_dayfigures_page
            AFTER UPDATE OF live, path ON wagtailcore_page
            FOR EACH ROW WHEN (OLD.live IS DISTINCT FROM NEW.live
                               OR OLD.path IS DISTINCT FROM NEW.path)
            EXECUTE FUNCTION lectures_dayfigures_page()""",
        """CREATE FUNCTION lectures_dayfigures_kept() RETURNS trigger AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    PERFORM lectures_dayfigures_refresh_session(OLD.session_id);
                END IF;
                IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE'
                        AND NEW.session_id IS DISTINCT FROM OLD.session_id) THEN
                    PERFORM lectures_dayfigures_refresh_session(NEW.session_id);
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql""",
    ]
    for table, columns in KEPT.items():
        name = table.removeprefix("lectures_")
        statements += [
            f"""CREATE TRIGGER lectures_dayfigures_{name}
            AFTER INSERT OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION lectures_dayfigures_kept()""",
            f"""CREATE TRIGGER lectures_dayfigures_{name}_changed
            AFTER UPDATE ON {table}
            FOR EACH ROW WHEN ({_pg_distinct(("session_id", *columns))})
            EXECUTE FUNCTION lectures_dayfigures_kept()""",
        ]
    return statements


def _postgresql_reverse() -> list[str]:
    triggers = [
        ("lectures_dayfigures_session_added", "lectures_sessionpage"),
        ("lectures_dayfigures_session_changed", "lectures_sessionpage"),
        ("lectures_dayfigures_page", "wagtailcore_page"),
    ]
    for table in KEPT:
        name = table.removeprefix("lectures_")
        triggers += [
            (f"lectures_dayfigures_{name}", table),
            (f"lectures_dayfigures_{name}_changed", table),
        ]
    functions = [
        "lectures_dayfigures_kept()",
        "lectures_dayfigures_page()",
        "lectures_dayfigures_session()",
        "lectures_dayfigures_refresh_session(integer)",
        "lectures_dayfigures_refresh(bigint, date, bigint, bigint)",
    ]
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in triggers] + [
        f"DROP FUNCTION IF EXISTS {function}" for function in functions
    ]


def keep_figures(apps, schema_editor):
    vendor = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(
        schema_editor.connection.vendor
    )
    run_for_vendor(schema_editor, {"sqlite": _sqlite(), "postgresql": _postgresql()})
    schema_editor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) {vendor.select()}")


def drop_figures(apps, schema_editor):
    run_for_vendor(
        schema_editor,
        {"sqlite": _sqlite_reverse(), "postgresql": _postgresql_reverse()},
    )


class Migration(migrations.Migration):

    dependencies = [
        ("lectures", "0017_default_quota_only_without_a_rank"),
    ]

    operations = [
        migrations.CreateModel(
            name='DayFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('forum_path', models.CharField(max_length=255, verbose_name='forum path')),
                ('level', models.CharField(choices=[('district', 'District forum'), ('unit', 'Town / unit forum'), ('village', 'Village / community forum')], max_length=10, verbose_name='level')),
                ('day', models.DateField(verbose_name='day')),
                ('month', models.CharField(max_length=7, verbose_name='month')),
                ('field_id', models.PositiveBigIntegerField(verbose_name='field')),
                ('category_id', models.PositiveBigIntegerField(verbose_name='category')),
                ('sessions', models.PositiveIntegerField(verbose_name='sessions')),
                ('held', models.PositiveIntegerField(verbose_name='held')),
                ('cancelled', models.PositiveIntegerField(verbose_name='cancelled')),
                ('postponed', models.PositiveIntegerField(verbose_name='postponed')),
                ('participants', models.PositiveIntegerField(verbose_name='person-times')),
                ('others', models.PositiveIntegerField(verbose_name='other attendees')),
                ('roster_size', models.PositiveIntegerField(verbose_name='on the roster')),
                ('roster_attended', models.PositiveIntegerField(verbose_name='present or late')),
                ('hours_offered', models.BigIntegerField(verbose_name='study hours offered, in tenths')),
                ('hours_credited', models.BigIntegerField(verbose_name='study hours credited, in tenths')),
                ('satisfied', models.PositiveIntegerField(verbose_name='satisfied ratings')),
                ('rated', models.PositiveIntegerField(verbose_name='ratings')),
                ('forum', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='lectures.forumpage', verbose_name='forum')),
            ],
            options={
                'verbose_name': 'day figures',
                'verbose_name_plural': 'day figures',
                'indexes': [models.Index(fields=['day'], name='day_figures_day'), models.Index(fields=['forum_path', 'day'], name='day_figures_subtree')],
                'constraints': [models.UniqueConstraint(fields=('forum', 'day', 'field_id', 'category_id'), name='day_figures_key')],
            },
        ),
        migrations.RunPython(keep_figures, drop_figures),
    ]
