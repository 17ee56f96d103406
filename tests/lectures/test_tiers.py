"""The tiers of the network: a wrong tier is impossible; slugs, numbers and
calendar sequences hold."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import ClassPage, TrainingIndexPage
from lectures.models import (
    DistrictForumPage,
    ForumPage,
    SessionPage,
    SessionStatus,
    UnitForumPage,
    VillageForumPage,
)
from tests.factories import (
    DistrictFactory,
    SessionFactory,
    TownFactory,
    VillageFactory,
)
from tests.wagtail_admin import add_url
from training_site.models import HomePage

FORUMS = {DistrictForumPage, UnitForumPage, VillageForumPage}


class TierRules(WagtailPageTestCase):
    def test_home_holds_the_district_only(self):
        self.assertAllowedSubpageTypes(HomePage, {DistrictForumPage, TrainingIndexPage})
        self.assertAllowedParentPageTypes(DistrictForumPage, {HomePage})
        self.assertCanCreateAt(HomePage, DistrictForumPage)
        self.assertCanNotCreateAt(Page, DistrictForumPage)
        self.assertCanNotCreateAt(HomePage, UnitForumPage)
        self.assertCanNotCreateAt(HomePage, VillageForumPage)
        self.assertCanNotCreateAt(HomePage, SessionPage)

    def test_the_district_holds_towns_and_sessions(self):
        self.assertAllowedSubpageTypes(
            DistrictForumPage, {UnitForumPage, SessionPage, ClassPage}
        )
        self.assertAllowedParentPageTypes(UnitForumPage, {DistrictForumPage})
        self.assertCanCreateAt(DistrictForumPage, UnitForumPage)
        self.assertCanNotCreateAt(DistrictForumPage, VillageForumPage)
        self.assertCanNotCreateAt(DistrictForumPage, DistrictForumPage)

    def test_a_town_holds_villages_and_sessions(self):
        self.assertAllowedSubpageTypes(
            UnitForumPage, {VillageForumPage, SessionPage, ClassPage}
        )
        self.assertAllowedParentPageTypes(VillageForumPage, {UnitForumPage})
        self.assertCanCreateAt(UnitForumPage, VillageForumPage)
        self.assertCanNotCreateAt(UnitForumPage, UnitForumPage)

    def test_a_village_holds_sessions_only(self):
        self.assertAllowedSubpageTypes(VillageForumPage, {SessionPage})
        self.assertCanNotCreateAt(VillageForumPage, VillageForumPage)
        self.assertCanNotCreateAt(VillageForumPage, UnitForumPage)

    def test_sessions_sit_under_any_forum_and_hold_nothing(self):
        # Lessons of a training class are sessions too (courses.ClassPage).
        self.assertAllowedParentPageTypes(SessionPage, FORUMS | {ClassPage})
        for forum in FORUMS:
            self.assertCanCreateAt(forum, SessionPage)
        self.assertAllowedSubpageTypes(SessionPage, set())

    def test_the_shared_forum_table_is_not_creatable(self):
        assert not ForumPage.is_creatable
        assert ForumPage not in HomePage.creatable_subpage_models()


@pytest.mark.django_db
def test_there_is_one_district_forum(home, district):
    assert not DistrictForumPage.can_create_at(home)


# Kind of unit ------------------------------------------------------------

KINDS = {
    "district": {"district"},
    "town": {"town", "street", "department"},
    "village": {"village", "community"},
}
ALL_KINDS = set().union(*KINDS.values())


@pytest.mark.django_db
@pytest.mark.parametrize("tier", list(KINDS))
def test_a_kind_of_unit_must_belong_to_the_tier(tree, tier):
    forum = tree[tier]
    for kind in sorted(ALL_KINDS):
        forum.unit_kind = kind
        if kind in KINDS[tier]:
            forum.full_clean()
        else:
            with pytest.raises(ValidationError) as error:
                forum.full_clean()
            assert "unit_kind" in error.value.message_dict, kind


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "parent", "tier"),
    [
        ("unitforumpage", "district", "town"),
        ("villageforumpage", "town", "village"),
    ],
)
def test_the_editor_offers_only_the_tiers_kinds(
    login, tree, district_admin, model, parent, tier
):
    response = login(district_admin).get(add_url(model, tree[parent]))
    choices = response.context["form"].fields["unit_kind"].choices
    assert {value for value, _label in choices if value} == KINDS[tier]


# Slugs -------------------------------------------------------------------


@pytest.mark.django_db
def test_forum_slugs_are_unique_across_the_network(tree):
    clash = VillageForumPage(
        title="另一个东风村", slug="dongfeng", unit_kind="village", unit_name="东风村"
    )
    with pytest.raises(ValidationError) as error:
        tree["sibling"].add_child(instance=clash)  # a different town
    assert "slug" in error.value.message_dict
    assert not VillageForumPage.objects.filter(title="另一个东风村").exists()


@pytest.mark.django_db
def test_a_forum_cannot_take_another_forums_slug(tree):
    town = tree["sibling"]
    town.slug = "dongfeng"  # a village's, in another town
    with pytest.raises(ValidationError) as error:
        town.save()
    assert "slug" in error.value.message_dict
    town.slug = "qingshan"
    town.save()  # keeping its own slug is no clash with itself


# 第N期 ----------------------------------------------------------------------


@pytest.mark.django_db
def test_sessions_are_numbered_per_forum(tree):
    town = [SessionFactory(parent=tree["town"]) for _ in range(3)]
    village = [SessionFactory(parent=tree["village"]) for _ in range(2)]
    sibling = SessionFactory(parent=tree["sibling"])
    assert [s.number for s in town] == [1, 2, 3]
    assert [s.number for s in village] == [1, 2]
    assert sibling.number == 1
    assert {s.forum_id for s in town} == {tree["town"].pk}
    assert {s.forum_id for s in village} == {tree["village"].pk}
    assert village[0].number_label == "第1期"


@pytest.mark.django_db
def test_numbers_go_on_after_the_highest_and_survive_publishing(tree):
    first, second = (SessionFactory(parent=tree["town"]) for _ in range(2))
    first.delete()
    assert SessionFactory(parent=tree["town"]).number == 3
    second.title = "改了标题"
    second.save_revision().publish()
    second.refresh_from_db()
    assert second.number == 2


@pytest.mark.django_db
def test_a_moved_session_follows_its_new_forum(tree):
    session = SessionFactory(parent=tree["village"])
    SessionFactory(parent=tree["village2"])
    session.move(tree["village2"], pos="last-child")
    session.refresh_from_db()
    assert session.forum_id == tree["village2"].pk
    assert session.number == 2


@pytest.mark.django_db
@pytest.mark.parametrize("to", ["village", "town"], ids=["same forum", "other forum"])
def test_a_copied_session_gets_its_own_forum_and_number(tree, to):
    original = SessionFactory(parent=tree["village"])
    original.venue = "改过地点"
    original.save()  # ical_sequence 1: the copy is a new event, from 0
    copy = original.copy(
        to=tree[to], update_attrs={"title": "再讲一次", "slug": "again"}
    )
    copy = SessionPage.objects.get(pk=copy.pk)
    assert copy.forum_id == tree[to].pk
    assert copy.number == (2 if to == "village" else 1)
    assert copy.ical_sequence == 0


# Times -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("length", [timedelta(minutes=-1), timedelta(0)])
def test_a_session_must_end_after_it_starts(tree, length):
    session = SessionFactory.build()
    session.end = session.start + length
    with pytest.raises(ValidationError) as error:
        tree["town"].add_child(instance=session)
    assert "end" in error.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_a_session_ending_before_it_starts(tree):
    session = SessionFactory(parent=tree["town"])
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionPage.objects.filter(pk=session.pk).update(end=session.start)


# iCalendar SEQUENCE --------------------------------------------------------

LATER = timedelta(days=1)
CALENDAR_CHANGES = {
    "start": lambda s: setattr(s, "start", s.start + timedelta(hours=1)),
    "end": lambda s: setattr(s, "end", s.end + LATER),
    "venue": lambda s: setattr(s, "venue", "改在区委党校"),
    "status": lambda s: setattr(s, "status", SessionStatus.POSTPONED),
    "title": lambda s: setattr(s, "title", "新题目"),
}
OTHER_CHANGES = {
    "audience": lambda s: setattr(s, "audience", "全体党员"),
    "capacity": lambda s: setattr(s, "capacity", 80),
    "study_hours": lambda s: setattr(s, "study_hours", 3),
    "description": lambda s: setattr(s, "description", "<p>提纲</p>"),
    "nothing": lambda s: None,
}
SAVES = {
    "save": lambda s: s.save(),
    "publish": lambda s: s.save_revision().publish(),  # what the editor does
}


@pytest.mark.django_db
@pytest.mark.parametrize("how", list(SAVES))
@pytest.mark.parametrize(
    ("change", "rises"),
    [(name, True) for name in CALENDAR_CHANGES]
    + [(name, False) for name in OTHER_CHANGES],
)
def test_the_calendar_sequence_rises_with_what_calendars_show(town, how, change, rises):
    session = SessionFactory(parent=town)
    assert session.ical_sequence == 0
    {**CALENDAR_CHANGES, **OTHER_CHANGES}[change](session)
    SAVES[how](session)
    session.refresh_from_db()
    assert session.ical_sequence == (1 if rises else 0)


@pytest.mark.django_db
def test_each_change_raises_the_sequence_again(town):
    session = SessionFactory(parent=town)
    for venue in ("甲", "乙", "丙"):
        session.venue = venue
        session.save()
    session.save()
    session.refresh_from_db()
    assert session.ical_sequence == 3


# Groups of new forums --------------------------------------------------------


@pytest.mark.django_db
def test_new_forums_get_their_groups(home):
    district = DistrictFactory(parent=home)
    town = TownFactory(parent=district)
    village = VillageFactory(parent=town)
    for forum in (district, town, village):
        grants = forum.admin_group.page_permissions
        assert set(
            grants.filter(page=forum).values_list("permission__codename", flat=True)
        ) == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
        assert forum.lecturer_group.page_permissions.get().permission.codename == (
            "add_page"
        )
    # Administrators may propose a sibling: 'add' on the forum above, no more.
    assert set(
        town.admin_group.page_permissions.filter(page=district).values_list(
            "permission__codename", flat=True
        )
    ) == {"add_page"}
