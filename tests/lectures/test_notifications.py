"""Submitting a page for approval mails the administrators of the forum above."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from lectures.models import DistrictForumPage, SessionPage, UnitForumPage
from training_site.models import HomePage

pytestmark = pytest.mark.django_db


def make_user(name, group=None):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", "x")
    if group is not None:
        user.groups.add(group)
    return user


def test_a_submitted_session_is_mailed_to_its_forums_administrators_only():
    district = HomePage.objects.get().add_child(
        instance=DistrictForumPage(
            title="区级大讲坛", slug="district", unit_kind="district", unit_name="区"
        )
    )
    town = district.add_child(
        instance=UnitForumPage(
            title="城关镇小讲坛", slug="chengguan", unit_kind="town", unit_name="城关镇"
        )
    )
    town_admin = make_user("town_admin", town.admin_group)
    make_user("district_admin", district.admin_group)
    lecturer = make_user("lecturer", town.lecturer_group)
    start = timezone.now() + timedelta(days=5)
    session = town.add_child(
        instance=SessionPage(
            title="专题讲座",
            start=start,
            end=start + timedelta(hours=2),
            venue="礼堂",
            live=False,
            owner=lecturer,
        )
    )
    session.save_revision(user=lecturer)
    mail.outbox.clear()

    session.get_workflow().start(session, lecturer)

    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {town_admin.email}
