"""Two indexes for the public forum pages at the scale of a province.

- The sessions not held, by start: the pages' "coming up" lists read the
  next few from it (`SessionQuerySet.next_first`) instead of sorting every
  session of the subtree.
- Wagtail's pages by (type, path, live): each forum tier is a page type of
  its own, so a subtree's forums by tier are counted in this index alone
  (`lectures.services.overview.forum_counts`). It is on Wagtail's table,
  which no model of ours declares, hence plain SQL (the same on SQLite and
  PostgreSQL).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lectures", "0020_session_forum_start_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="sessionpage",
            index=models.Index(
                condition=models.Q(("status", "held"), _negated=True),
                fields=["start"],
                name="session_not_held_by_start",
            ),
        ),
        migrations.RunSQL(
            "CREATE INDEX lectures_page_type_path_live "
            "ON wagtailcore_page (content_type_id, path, live)",
            "DROP INDEX lectures_page_type_path_live",
        ),
    ]
