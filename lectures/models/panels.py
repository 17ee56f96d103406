"""The 人员 tab of a forum's editor: who administers it and who lectures.

Read-only here: appointing and removing people are their own admin pages
(the `people` app's, reached by URL name so that this app imports nothing of
it). Whoever can open the editor administers the forum or one above it, and
so may manage its people.
"""

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from wagtail.admin.panels import Panel


def _link(name: str, pk: int) -> str | None:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


class ForumPeoplePanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "lectures/admin/panels/forum_people.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            forum = self.instance
            administrators, lecturers = [], []
            if forum.pk and forum.admin_group_id:
                administrators = list(
                    get_user_model()
                    .objects.filter(groups=forum.admin_group_id)
                    .select_related("trainee")
                    .order_by("username")
                )
                lecturers = list(
                    forum.lecturers.select_related("user").order_by("name", "pk")
                )
            context.update(
                forum=forum,
                administrators=administrators,
                lecturers=lecturers,
                manage_url=_link("people_forum", forum.pk) if forum.pk else None,
            )
            return context
