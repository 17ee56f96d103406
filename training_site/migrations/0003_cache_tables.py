"""The database cache tables, so that `migrate` alone leaves a working site.

Without REDIS_URL the default, page and counter caches are tables
(settings.base.CACHES); a site migrated without `createcachetable` would
fail on its first page. Creating them is idempotent, and a no-op for caches
that are not in the database.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command(
        "createcachetable", database=schema_editor.connection.alias, verbosity=0
    )


class Migration(migrations.Migration):
    dependencies = [("training_site", "0002_create_homepage")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
