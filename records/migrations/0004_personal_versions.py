"""A trainee's own pages are kept until his rows change (training_site/
personal_pages.py): his training elsewhere."""

from django.db import migrations

from training_site import personal_versions as versions

PEOPLE = [versions.person_rows("records_externaltraining")]


def keep_versions(apps, schema_editor):
    versions.run(schema_editor, *PEOPLE)


def drop_versions(apps, schema_editor):
    versions.run(schema_editor, *map(versions.dropped, PEOPLE))


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0003_kept_year_hours"),
        ("training_site", "0004_personal_versions"),
    ]

    operations = [migrations.RunPython(keep_versions, drop_versions)]
