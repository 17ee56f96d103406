"""Each forum's administrators' and lecturers' groups and their grants.

Permissions are Wagtail group page permissions granted at forum nodes, never
per session: each forum gets an administrators' group holding its page (and
so everything below it) and a lecturers' group that may draft there. A
forum's administrators may also propose a sibling forum (add on the parent),
which the tier above approves through `ForumApprovalTask`. What the grants
allow is decided in `lectures.rules`.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from lectures.models.forums import ForumPage

ADMIN_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
LECTURER_PAGE_PERMISSIONS = ("add",)
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)
# Rows are scoped to the subtree by the views; these only open the lists.
# Opens the evaluation results; each sees only his own sessions' or subtree's.
RESULTS_PERMISSION = ("lectures", "view_sessionevaluation")
ORGANISER_MODEL_PERMISSIONS = (
    RESULTS_PERMISSION,
    ("lectures", "view_registration"),
    ("lectures", "view_attendance"),
)
DISTRICT_MODEL_PERMISSIONS = (
    ("lectures", "add_lecturer"),
    ("lectures", "change_lecturer"),
    ("lectures", "delete_lecturer"),
    ("lectures", "add_field"),
    ("lectures", "change_field"),
    ("lectures", "add_category"),
    ("lectures", "change_category"),
    ("lectures", "add_rank"),
    ("lectures", "change_rank"),
    # The ledger's caps (records.LedgerSettings): named, not imported.
    ("records", "change_ledgersettings"),
    ("lectures", "add_traineeprofile"),
    ("lectures", "change_traineeprofile"),
    ("lectures", "add_evaluationform"),
    ("lectures", "change_evaluationform"),
    ("lectures", "view_evaluationform"),
)


def _permissions(pairs) -> list[Permission]:
    query = Q()
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def _group_name(forum: ForumPage, role: str) -> str:
    # The pk keeps names unique when two forums share a title.
    return f"{forum.title} · {role} #{forum.pk}"


def provision_forum_groups(forum: ForumPage) -> None:
    """Create the forum's administrators' and lecturers' groups with their grants."""
    provision_groups([forum])


@transaction.atomic
def provision_groups(forums: list[ForumPage]) -> None:
    """`provision_forum_groups` for many forums in a fixed number of queries.

    The demo builder adds thousands of forums at once; a forum saved on its
    own goes through the same code with a list of one.
    """
    forums = [f for f in forums if not (f.admin_group_id and f.lecturer_group_id)]
    if not forums:
        return
    pairs = {}
    for forum in forums:
        pairs[forum.pk] = (
            Group(name=_group_name(forum, _("administrators"))),
            Group(name=_group_name(forum, _("lecturers"))),
        )
    Group.objects.bulk_create([group for pair in pairs.values() for group in pair])

    admin_perms = page_permissions(ADMIN_PAGE_PERMISSIONS)
    add_perms = page_permissions(("add",))
    lecturer_perms = page_permissions(LECTURER_PAGE_PERMISSIONS)
    step = Page.steplen
    parent_forums = {
        f["path"]: f["pk"]
        for f in ForumPage.objects.filter(
            path__in={forum.path[:-step] for forum in forums}
        ).values("path", "pk")
    }
    grants = []
    for forum in forums:
        admins, lecturers = pairs[forum.pk]
        grants += [
            GroupPagePermission(group=admins, page_id=forum.pk, permission=perm)
            for perm in admin_perms
        ]
        parent_pk = parent_forums.get(forum.path[:-step])
        if parent_pk is not None:
            grants += [
                GroupPagePermission(group=admins, page_id=parent_pk, permission=perm)
                for perm in add_perms
            ]
        grants += [
            GroupPagePermission(group=lecturers, page_id=forum.pk, permission=perm)
            for perm in lecturer_perms
        ]
    GroupPagePermission.objects.bulk_create(grants, batch_size=2000)

    admin_access = _permissions([("wagtailadmin", "access_admin")])
    organiser = _permissions(ORGANISER_MODEL_PERMISSIONS)
    district = _permissions(DISTRICT_MODEL_PERMISSIONS)
    results = _permissions([RESULTS_PERMISSION])
    media = _permissions(MEDIA_PERMISSIONS)
    root = Collection.get_first_root_node()
    model_grants, media_grants = [], []
    for forum in forums:
        admins, lecturers = pairs[forum.pk]
        for group in (admins, lecturers):
            model_grants += [(group, perm) for perm in admin_access]
            media_grants += [
                GroupCollectionPermission(group=group, collection=root, permission=p)
                for p in media
            ]
        model_grants += [(admins, perm) for perm in organiser]
        model_grants += [(lecturers, perm) for perm in results]
        if forum.level == "district":
            model_grants += [(admins, perm) for perm in district]
    Through = Group.permissions.through
    Through.objects.bulk_create(
        [Through(group_id=g.pk, permission_id=p.pk) for g, p in model_grants],
        batch_size=2000,
        ignore_conflicts=True,
    )
    GroupCollectionPermission.objects.bulk_create(
        media_grants, batch_size=2000, ignore_conflicts=True
    )

    for forum in forums:
        forum.admin_group, forum.lecturer_group = pairs[forum.pk]
    ForumPage.objects.bulk_update(
        forums, ["admin_group", "lecturer_group"], batch_size=1000
    )


def page_permissions(types) -> list[Permission]:
    return _permissions([("wagtailcore", f"{kind}_page") for kind in types])


def sync_lecturer_groups(lecturer) -> None:
    """Make the lecturer's user a member of exactly his forums' lecturers' groups."""
    user = lecturer.user
    if user is None:
        return
    wanted = set(
        lecturer.forums.exclude(lecturer_group=None).values_list(
            "lecturer_group_id", flat=True
        )
    )
    current = set(
        user.groups.filter(lecturing_forum__isnull=False).values_list("pk", flat=True)
    )
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))
