"""Pages added in bulk (the demo at 100×) look exactly as `add_child` makes them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageLogEntry,
    ReferenceIndex,
)
from wagtail.search.models import IndexEntry

from lectures.demo.pages import PageBatch
from lectures.models import ForumPage, SessionPage, VillageForumPage
from tests.factories import CategoryFactory, FieldFactory, LecturerFactory

pytestmark = pytest.mark.django_db

SAME = (
    "depth",
    "numchild",
    "live",
    "has_unpublished_changes",
    "locale_id",
    "content_type_id",
    "latest_revision_id",
    "live_revision_id",
    "locked",
    "show_in_menus",
    "owner_id",
    "alias_of_id",
)


def village(slug: str) -> VillageForumPage:
    page = VillageForumPage(
        title=f"{slug}微讲坛", slug=slug, unit_kind="village", unit_name=slug
    )
    page.level = VillageForumPage.forum_level
    return page


def session(forum, slug, field, category, lecturer, number=1) -> SessionPage:
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=2)
    return SessionPage(
        title="讲座" + slug,
        slug=slug,
        start=start,
        end=start + timedelta(hours=2),
        venue="礼堂",
        forum=forum,
        number=number,
        field=field,
        category=category,
        lecturers=[lecturer],
    )


def grants(forum: ForumPage) -> dict:
    """What a forum's groups may do, by role, without the ids."""
    out = {}
    for role, group in (
        ("admin", forum.admin_group),
        ("lecturer", forum.lecturer_group),
    ):
        out[role] = (
            sorted(
                (p.page_id == forum.pk, p.permission.codename)
                for p in GroupPagePermission.objects.filter(group=group)
            ),
            sorted(group.permissions.values_list("codename", flat=True)),
            sorted(
                GroupCollectionPermission.objects.filter(group=group).values_list(
                    "permission__codename", flat=True
                )
            ),
        )
    return out


def references(page) -> list:
    return sorted(
        ReferenceIndex.objects.filter(object_id=str(page.pk)).values_list(
            "content_type_id",
            "base_content_type_id",
            "to_content_type_id",
            "model_path",
        )
    )


def test_a_forum_and_a_session_in_bulk_match_add_child(tree):
    town = Page.objects.get(pk=tree["town"].pk).specific
    field, category, lecturer = FieldFactory(), CategoryFactory(), LecturerFactory()
    by_hand = town.add_child(instance=village("by-hand"))
    by_hand_session = by_hand.add_child(
        instance=session(by_hand, "s1", field, category, lecturer)
    )

    batch = PageBatch()
    bulk = batch.add(town, village("in-bulk"))
    batch.flush()
    bulk_session = batch.add(bulk, session(bulk, "s2", field, category, lecturer))
    batch.flush()

    for made, built in ((by_hand, bulk), (by_hand_session, bulk_session)):
        made = Page.objects.get(pk=made.pk)
        built = Page.objects.get(pk=built.pk)
        assert {f: getattr(built, f) for f in SAME} == {
            f: getattr(made, f) for f in SAME
        }
        assert built.draft_title == built.title
        assert built.url_path == built.get_parent().url_path + built.slug + "/"
        assert type(built.specific) is type(made.specific)
        assert (
            PageLogEntry.objects.filter(page=built, action="wagtail.create").count()
            == 1
        )
    assert Page.objects.get(pk=town.pk).numchild == town.get_children().count()

    made, built = (
        ForumPage.objects.get(pk=by_hand.pk),
        ForumPage.objects.get(pk=bulk.pk),
    )
    assert built.level == "village"
    assert grants(built) == grants(made)
    assert references(bulk_session) == references(by_hand_session)
    assert len(references(bulk_session)) == 3  # forum, field, category
    assert list(
        SessionPage.objects.get(pk=bulk_session.pk).lecturers.values_list(
            "pk", flat=True
        )
    ) == [lecturer.pk]
    indexed = IndexEntry.objects.filter(
        object_id__in=[str(by_hand_session.pk), str(bulk_session.pk)]
    )
    assert (
        sorted(indexed.values_list("content_type_id", flat=True))
        == [by_hand_session.content_type_id] * 2
    )
    assert (
        ContentType.objects.get_for_id(built.content_type_id).model
        == "villageforumpage"
    )


def test_the_tree_needs_no_mending(tree):
    batch = PageBatch()
    parent = batch.add(tree["town"], village("first"))
    batch.add(tree["town"], village("second"))
    batch.flush()
    for index in range(3):
        batch.add(
            parent,
            session(parent, f"x{index}", None, None, LecturerFactory(), index + 1),
        )
    batch.flush()
    assert Page.find_problems() == ([], [], [], [], [])
    paths = list(parent.get_children().values_list("path", flat=True))
    assert paths == sorted(paths)
    assert len(paths) == 3
