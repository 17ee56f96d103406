"""Who organises classes under the training index: the district's administrators."""

from wagtail.models import GroupPagePermission

from courses.models import TrainingIndexPage
from lectures.models import ForumPage
from lectures.services.groups import ADMIN_PAGE_PERMISSIONS, page_permissions


def grant_index_to_district(index: TrainingIndexPage, district: ForumPage) -> None:
    """Give the district forum's administrators the index and its classes."""
    if district.admin_group_id is None:
        return
    have = set(
        GroupPagePermission.objects.filter(
            group_id=district.admin_group_id, page=index
        ).values_list("permission_id", flat=True)
    )
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(
            group_id=district.admin_group_id, page=index, permission=permission
        )
        for permission in page_permissions(ADMIN_PAGE_PERMISSIONS)
        if permission.pk not in have
    )
