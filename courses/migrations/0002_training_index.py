"""Create the training index at /classes/ under the home page.

Its district administrators' grants are given by `courses.signals` when the
district forum is founded; on a database that already has one, here.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4
ADMIN_CODENAMES = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def _next_child_path(Page, parent):
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = 0
    if last:
        for char in last[-STEP:]:
            number = number * len(ALPHABET) + ALPHABET.index(char)
    number += 1
    step = ""
    for _ in range(STEP):
        number, digit = divmod(number, len(ALPHABET))
        step = ALPHABET[digit] + step
    return parent.path + step


def create_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("training_site.HomePage")
    TrainingIndexPage = apps.get_model("courses.TrainingIndexPage")
    home = HomePage.objects.first()
    if home is None or TrainingIndexPage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(
        model="trainingindexpage", app_label="courses"
    )
    index = TrainingIndexPage.objects.create(
        title="培训班",
        draft_title="培训班",
        slug="classes",
        content_type=content_type,
        path=_next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=home.url_path + "classes/",
        live=True,
        locale_id=home.locale_id,
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)

    ForumPage = apps.get_model("lectures.ForumPage")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Permission = apps.get_model("auth.Permission")
    district = ForumPage.objects.filter(level="district").first()
    if district is not None and district.admin_group_id:
        GroupPagePermission.objects.bulk_create(
            GroupPagePermission(
                group_id=district.admin_group_id, page_id=index.pk, permission=perm
            )
            for perm in Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=ADMIN_CODENAMES
            )
        )


def remove_index(apps, schema_editor):
    apps.get_model("courses.TrainingIndexPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("training_site", "0002_create_homepage"),
        ("lectures", "0006_session_kind"),
    ]

    operations = [migrations.RunPython(create_index, remove_index)]
