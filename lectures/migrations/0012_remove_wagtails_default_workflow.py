"""Wagtail's own default workflow and task ("Moderators approval"), left
inactive by 0002, are removed when nothing ever ran through them: their
English name showed in the admin's workflow reports."""

from django.db import migrations

DEFAULT_NAME = "Moderators approval"


def remove_default_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore.Workflow")
    Task = apps.get_model("wagtailcore.Task")
    Workflow.objects.filter(
        name=DEFAULT_NAME, active=False, workflow_states__isnull=True
    ).delete()
    Task.objects.filter(name=DEFAULT_NAME, task_states__isnull=True).exclude(
        workflow_tasks__workflow__active=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("lectures", "0011_founding_and_first_password")]

    operations = [
        migrations.RunPython(remove_default_workflow, migrations.RunPython.noop)
    ]
