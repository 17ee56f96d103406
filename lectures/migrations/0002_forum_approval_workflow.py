"""One workflow for the whole network: approval by the forum above.

Wagtail's default groups and workflow hold the root of the tree; the network
grants by forum instead, so they are removed.
"""

from django.db import migrations

WORKFLOW_NAME = "讲坛审批"
TASK_NAME = "上级讲坛审批"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    ForumApprovalTask = apps.get_model("lectures.ForumApprovalTask")

    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()
    Workflow.objects.exclude(name=WORKFLOW_NAME).update(active=False)

    content_type, _ = ContentType.objects.get_or_create(
        app_label="lectures", model="forumapprovaltask"
    )
    task, _ = ForumApprovalTask.objects.get_or_create(
        name=TASK_NAME, defaults={"content_type": content_type, "active": True}
    )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, sort_order=0)
    root = Page.objects.get(depth=1)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("lectures", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
