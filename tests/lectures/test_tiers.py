"""The tiers of the network: a wrong tier is impossible, numbers and slugs hold."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from lectures.models import (
    DistrictForumPage,
    ForumPage,
    SessionPage,
    SessionStatus,
    UnitForumPage,
    VillageForumPage,
)
from tests.factories import SessionFactory, TownFactory, VillageFactory
from training_site.models import HomePage


class TierRules(WagtailPageTestCase):
    def test_the_district_sits_under_home_only(self):
        self.assertAllowedParentPageTypes(DistrictForumPage, {HomePage})
        self.assertCanCreateAt(HomePage, DistrictForumPage)
        self.assertCanNotCreateAt(Page, DistrictForumPage)
        self.assertCanNotCreateAt(UnitForumPage, DistrictForumPage)

    def test_towns_sit_under_the_district(self):
        self.assertAllowedParentPageTypes(UnitForumPage, {DistrictForumPage})
        self.assertCanNotCreateAt(HomePage, UnitForumPage)
        self.assertCanNotCreateAt(VillageForumPage, UnitForumPage)

    def test_villages_sit_under_towns(self):
        self.assertAllowedParentPageTypes(VillageForumPage, {UnitForumPage})
        self.assertCanNotCreateAt(DistrictForumPage, VillageForumPage)
        self.assertAllowedSubpageTypes(VillageForumPage, {SessionPage})

    def test_sessions_sit_under_any_forum_and_hold_nothing(self):
        self.assertAllowedParentPageTypes(
            SessionPage, {DistrictForumPage, UnitForumPage, VillageForumPage}
        )
        self.assertAllowedSubpageTypes(SessionPage, set())
        self.assertCanNotCreateAt(HomePage, SessionPage)

    def test_the_shared_forum_table_is_not_creatable(self):
        assert not ForumPage.is_creatable


@pytest.mark.django_db
def test_a_kind_of_unit_must_belong_to_the_tier(tree):
    village = tree["village"]
    village.unit_kind = "town"
    with pytest.raises(ValidationError) as error:
        village.full_clean()
    assert "unit_kind" in error.value.message_dict


@pytest.mark.django_db
def test_forum_slugs_are_unique_across_the_network(tree):
    clash = VillageForumPage(
        title="另一个东风村", slug="dongfeng", unit_kind="village", unit_name="东风村"
    )
    with pytest.raises(ValidationError) as error:
        tree["sibling"].add_child(instance=clash)
    assert "slug" in error.value.message_dict


@pytest.mark.django_db
def test_sessions_are_numbered_per_forum(tree):
    first = SessionFactory(parent=tree["town"])
    second = SessionFactory(parent=tree["town"])
    elsewhere = SessionFactory(parent=tree["village"])
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert first.forum.specific == tree["town"]
    assert elsewhere.forum_id == tree["village"].pk


@pytest.mark.django_db
def test_a_session_must_end_after_it_starts(tree):
    session = SessionFactory.build()
    session.end = session.start - timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        tree["town"].add_child(instance=session)
    assert "end" in error.value.message_dict


@pytest.mark.django_db
def test_calendar_sequence_rises_only_when_the_calendar_changes(tree):
    session = SessionFactory(parent=tree["town"])
    assert session.ical_sequence == 0
    session.audience = "全体干部"
    session.save()
    assert session.ical_sequence == 0
    session.venue = "改在区委党校"
    session.save()
    session.status = SessionStatus.CANCELLED
    session.save()
    session.refresh_from_db()
    assert session.ical_sequence == 2


@pytest.mark.django_db
def test_a_moved_session_follows_its_new_forum(tree):
    session = SessionFactory(parent=tree["village"])
    SessionFactory(parent=tree["village2"])
    session.move(tree["village2"], pos="last-child")
    session.refresh_from_db()
    assert session.forum_id == tree["village2"].pk
    assert session.number == 2


@pytest.mark.django_db
def test_new_forums_get_their_groups(tree):
    town = TownFactory(parent=tree["district"])
    village = VillageFactory(parent=town)
    for forum in (town, village):
        assert forum.admin_group.page_permissions.filter(page=forum).exists()
        assert forum.lecturer_group.page_permissions.get().permission.codename == (
            "add_page"
        )
