"""A trainee's own pages are kept until his rows change (training_site/
personal_pages.py): his enrolments, leave, test attempts and certificates;
and a class page as he sees it until its enrolments (its seats) change."""

from django.db import migrations

from training_site import personal_versions as versions

PEOPLE = [
    versions.person_rows(table)
    for table in (
        "courses_enrolment",
        "courses_leaverequest",
        "courses_attempt",
        "courses_certificate",
    )
]

PAGES = [versions.page_rows("courses_enrolment", "class_page_id")]


def keep_versions(apps, schema_editor):
    versions.run(schema_editor, *PEOPLE, *PAGES)


def drop_versions(apps, schema_editor):
    versions.run(schema_editor, *map(versions.dropped, [*PEOPLE, *PAGES]))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_class_evaluation_form"),
        ("training_site", "0004_personal_versions"),
    ]

    operations = [migrations.RunPython(keep_versions, drop_versions)]
