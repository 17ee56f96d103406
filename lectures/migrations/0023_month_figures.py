# The day rows (DayFigures) summed per month × tier × field × category for
# the whole network, kept by triggers on the day rows themselves: a day row
# added adds its sums, one removed takes them away, one changed both; the
# month's row goes with its last day row. The triggers are made before the
# rows are filled: on PostgreSQL making them locks the day rows against
# writers until the migration commits, so none is missed or counted twice.

from django.db import migrations, models

from lectures.triggers import run_for_vendor

TABLE = "lectures_monthfigures"
KEY = ("month", "level", "field_id", "category_id")
SUMS = (
    "sessions", "held", "cancelled", "postponed", "participants", "others",
    "roster_size", "roster_attended", "hours_offered", "hours_credited",
    "satisfied", "rated",
)  # fmt: skip
COLUMNS = ", ".join((*KEY, "days", *SUMS))


def _add(row: str) -> str:
    """Add the day row `row` (NEW) to its month's row."""
    values = ", ".join(
        (*(f"{row}.{c}" for c in KEY), "1", *(f"{row}.{c}" for c in SUMS))
    )
    sums = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in SUMS)
    return f"""
        INSERT INTO {TABLE} ({COLUMNS}) VALUES ({values})
        ON CONFLICT ({", ".join(KEY)})
        DO UPDATE SET days = {TABLE}.days + 1, {sums};
    """


def _remove(row: str) -> str:
    """Take the day row `row` (OLD) from its month's row; drop it when empty."""
    match = " AND ".join(f"{c} = {row}.{c}" for c in KEY)
    sums = ", ".join(f"{c} = {c} - {row}.{c}" for c in SUMS)
    return f"""
        UPDATE {TABLE} SET days = days - 1, {sums} WHERE {match};
        DELETE FROM {TABLE} WHERE {match} AND days = 0;
    """


def _changed(distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in (*KEY, *SUMS))


def _sqlite() -> list[str]:
    return [
        f"""CREATE TRIGGER lectures_monthfigures_added
        AFTER INSERT ON lectures_dayfigures
        BEGIN {_add("NEW")} END""",
        f"""CREATE TRIGGER lectures_monthfigures_removed
        AFTER DELETE ON lectures_dayfigures
        BEGIN {_remove("OLD")} END""",
        # A forum moved rewrites its day rows' paths alone: nothing to do.
        f"""CREATE TRIGGER lectures_monthfigures_changed
        AFTER UPDATE ON lectures_dayfigures WHEN {_changed("IS NOT")}
        BEGIN {_remove("OLD")} {_add("NEW")} END""",
    ]


def _postgresql() -> list[str]:
    return [
        f"""CREATE FUNCTION lectures_monthfigures_kept() RETURNS trigger AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove("OLD")} END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') THEN {_add("NEW")} END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER lectures_monthfigures_kept
            AFTER INSERT OR DELETE ON lectures_dayfigures
            FOR EACH ROW EXECUTE FUNCTION lectures_monthfigures_kept()""",
        f"""CREATE TRIGGER lectures_monthfigures_changed
            AFTER UPDATE ON lectures_dayfigures
            FOR EACH ROW WHEN ({_changed("IS DISTINCT FROM")})
            EXECUTE FUNCTION lectures_monthfigures_kept()""",
    ]


def keep_months(apps, schema_editor):
    run_for_vendor(schema_editor, {"sqlite": _sqlite(), "postgresql": _postgresql()})
    schema_editor.execute(
        f"""INSERT INTO {TABLE} ({COLUMNS})
        SELECT {", ".join(KEY)}, COUNT(*), {", ".join(f"SUM({c})" for c in SUMS)}
        FROM lectures_dayfigures GROUP BY {", ".join(KEY)}"""
    )


def drop_months(apps, schema_editor):
    run_for_vendor(
        schema_editor,
        {
            "sqlite": [
                f"DROP TRIGGER IF EXISTS lectures_monthfigures_{name}"
                for name in ("added", "removed", "changed")
            ],
            "postgresql": [
                "DROP TRIGGER IF EXISTS lectures_monthfigures_kept"
                " ON lectures_dayfigures",
                "DROP TRIGGER IF EXISTS lectures_monthfigures_changed"
                " ON lectures_dayfigures",
                "DROP FUNCTION IF EXISTS lectures_monthfigures_kept()",
            ],
        },
    )


class Migration(migrations.Migration):

    dependencies = [
        ('lectures', '0022_kept_visit_days'),
    ]

    operations = [
        migrations.CreateModel(
            name='MonthFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.CharField(max_length=7, verbose_name='month')),
                ('level', models.CharField(choices=[('district', 'District forum'), ('unit', 'Town / unit forum'), ('village', 'Village / community forum')], max_length=10, verbose_name='level')),
                ('field_id', models.PositiveBigIntegerField(verbose_name='field')),
                ('category_id', models.PositiveBigIntegerField(verbose_name='category')),
                ('days', models.BigIntegerField(verbose_name='day rows')),
                ('sessions', models.BigIntegerField(verbose_name='sessions')),
                ('held', models.BigIntegerField(verbose_name='held')),
                ('cancelled', models.BigIntegerField(verbose_name='cancelled')),
                ('postponed', models.BigIntegerField(verbose_name='postponed')),
                ('participants', models.BigIntegerField(verbose_name='person-times')),
                ('others', models.BigIntegerField(verbose_name='other attendees')),
                ('roster_size', models.BigIntegerField(verbose_name='on the roster')),
                ('roster_attended', models.BigIntegerField(verbose_name='present or late')),
                ('hours_offered', models.BigIntegerField(verbose_name='study hours offered, in tenths')),
                ('hours_credited', models.BigIntegerField(verbose_name='study hours credited, in tenths')),
                ('satisfied', models.BigIntegerField(verbose_name='satisfied ratings')),
                ('rated', models.BigIntegerField(verbose_name='ratings')),
            ],
            options={
                'verbose_name': 'month figures',
                'verbose_name_plural': 'month figures',
                'constraints': [models.UniqueConstraint(fields=('month', 'level', 'field_id', 'category_id'), name='month_figures_key')],
            },
        ),
        migrations.RunPython(keep_months, drop_months),
    ]
