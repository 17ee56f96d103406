"""The admin's view of the page tree, narrowed to each user's own subtrees."""

from wagtail.permission_policies.pages import PagePermissionPolicy

from lectures.rules import admin_visible_pages_filter


class ForumPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, but listings and search hide others' drafts.

    Grants stay Wagtail's own; only what can be *explored* (explorer, admin
    search, the explorer menu) is narrowed by `admin_visible_pages_filter`.
    """

    def explorable_instances(self, user):
        pages = super().explorable_instances(user)
        visible = admin_visible_pages_filter(user)
        return pages if visible is None else pages.filter(visible)
