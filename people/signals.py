"""The first-password flag follows the login; a founding follows approval."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved

from lectures.models import ForumPage
from people.services.founding import forum_approved
from people.services.passwords import SESSION_FLAG, must_change_password


@receiver(user_logged_in)
def remember_first_password(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        if must_change_password(user):
            request.session[SESSION_FLAG] = True
        else:
            request.session.pop(SESSION_FLAG, None)


@receiver(workflow_approved, sender=WorkflowState)
def founding_approved(sender, instance, user=None, **kwargs):
    page = instance.content_object
    if isinstance(page, ForumPage) or (
        hasattr(page, "specific_class")
        and page.specific_class
        and issubclass(page.specific_class, ForumPage)
    ):
        forum_approved(page.specific, user, instance)
