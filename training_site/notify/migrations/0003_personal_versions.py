"""A person's own pages are kept until his rows change (training_site/
personal_pages.py): his notices (new, read) and how he is told."""

from django.db import migrations

from training_site import personal_versions as versions

PEOPLE = [
    versions.person_rows("notify_notice", "recipient_id"),
    versions.person_rows("notify_notificationpreference"),
]


def keep_versions(apps, schema_editor):
    versions.run(schema_editor, *PEOPLE)


def drop_versions(apps, schema_editor):
    versions.run(schema_editor, *map(versions.dropped, PEOPLE))


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0002_notice_batch"),
        ("training_site", "0004_personal_versions"),
    ]

    operations = [migrations.RunPython(keep_versions, drop_versions)]
