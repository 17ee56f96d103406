"""A trainee's own pages are kept until his rows change (training_site/
personal_pages.py): these tables' rows are his, and ranks (their names and
quotas) are on everyone's page."""

from django.db import migrations

from training_site import personal_versions as versions

PEOPLE = [
    versions.person_rows(table)
    for table in (
        "lectures_registration",
        "lectures_attendance",
        "lectures_evaluationreceipt",
        "lectures_traineeprofile",
        "lectures_personalcalendar",
    )
]
EVERYONE = [versions.everyone_rows("lectures_rank")]

# His place in a waiting list moves when someone ahead of him leaves it
# (promoted, cancelled or deleted); joining at the end moves nobody.
LINE = {
    "sqlite": [
        f"""
        CREATE TRIGGER lectures_registration_line_{event}
        AFTER {event.upper()}{of} ON lectures_registration
        WHEN OLD.status = 'waiting'{extra}
        BEGIN
            INSERT INTO {versions.TABLE} (user_id, version)
            SELECT later.user_id, 1 FROM lectures_registration later
            WHERE later.session_id = OLD.session_id
              AND later.status = 'waiting'
              AND later.queued_at > OLD.queued_at
            ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
        END
        """
        for event, of, extra in (
            ("update", " OF status", " AND NEW.status <> 'waiting'"),
            ("delete", "", ""),
        )
    ],
    "postgresql": [
        """
        CREATE FUNCTION lectures_registration_line_moved() RETURNS trigger AS $$
        BEGIN
            IF OLD.status = 'waiting'
               AND (TG_OP = 'DELETE' OR NEW.status <> 'waiting') THEN
                PERFORM training_site_bump_person(later.user_id)
                FROM lectures_registration later
                WHERE later.session_id = OLD.session_id
                  AND later.status = 'waiting'
                  AND later.queued_at > OLD.queued_at;
            END IF;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER lectures_registration_line
        AFTER DELETE OR UPDATE OF status ON lectures_registration
        FOR EACH ROW EXECUTE FUNCTION lectures_registration_line_moved()
        """,
    ],
}
LINE_REVERSE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS lectures_registration_line_update",
        "DROP TRIGGER IF EXISTS lectures_registration_line_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS lectures_registration_line ON lectures_registration",
        "DROP FUNCTION IF EXISTS lectures_registration_line_moved()",
    ],
}


def keep_versions(apps, schema_editor):
    versions.run(schema_editor, *PEOPLE, *EVERYONE, LINE)


def drop_versions(apps, schema_editor):
    versions.run(
        schema_editor, *map(versions.dropped, [*PEOPLE, *EVERYONE]), LINE_REVERSE
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lectures", "0018_day_figures"),
        ("training_site", "0004_personal_versions"),
    ]

    operations = [migrations.RunPython(keep_versions, drop_versions)]
