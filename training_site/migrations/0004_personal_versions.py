from django.db import migrations, models

from training_site import personal_versions as versions

# A person's name heads his page when he has no trainee profile.
USERS = versions.person_rows(
    "auth_user", "id", columns=("username", "first_name", "last_name")
)


def keep_versions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        versions.run(schema_editor, {"postgresql": versions.POSTGRESQL_FUNCTIONS})
    versions.run(schema_editor, USERS)


def drop_versions(apps, schema_editor):
    versions.run(schema_editor, versions.dropped(USERS))
    if schema_editor.connection.vendor == "postgresql":
        versions.run(
            schema_editor, {"postgresql": versions.POSTGRESQL_FUNCTIONS_REVERSE}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("training_site", "0003_cache_tables"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonalVersion",
            fields=[
                (
                    "user_id",
                    models.BigIntegerField(
                        primary_key=True, serialize=False, verbose_name="user"
                    ),
                ),
                (
                    "version",
                    models.BigIntegerField(default=0, verbose_name="version"),
                ),
            ],
            options={
                "verbose_name": "personal page version",
                "verbose_name_plural": "personal page versions",
            },
        ),
        migrations.RunPython(keep_versions, drop_versions),
    ]
