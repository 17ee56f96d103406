"""Replace Wagtail's welcome page with our home page and point the site at it."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("training_site.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home").delete()
    content_type, _ = ContentType.objects.get_or_create(
        model="homepage", app_label="training_site"
    )
    home = HomePage.objects.create(
        title="干部讲坛",
        draft_title="干部讲坛",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=Locale.objects.order_by("pk").first(),
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True,
        site_name="干部讲坛",
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("training_site.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training_site", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
