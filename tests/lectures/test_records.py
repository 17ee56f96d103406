"""Participation is kept: never hard-deleted by normal use, every change logged.

Registrations and attendance hold their session and user (PROTECT); the
admin lists them read-only, even for superusers, and refuses with a message
to delete a session, a forum or an account that records depend on.
Each change of a row through the services leaves a `ModelLogEntry`.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page

from lectures.models import (
    Attendance,
    CheckInMethod,
    Registration,
    RegistrationStatus,
    TraineeProfile,
)
from lectures.services import checkin, roster
from lectures.services.registration import cancel, register
from tests.factories import SessionFactory, UserFactory
from tests.wagtail_admin import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def kept(tree):
    """A session with a registration and an attendance row."""
    session = SessionFactory(parent=tree["village"], capacity=5)
    user = UserFactory()
    registration = register(session, user)
    attendance = roster.mark(session, user.pk, "present", by=None)
    return {"session": session, "user": user, "rows": (registration, attendance)}


def rows_remain(kept) -> bool:
    registration, attendance = kept["rows"]
    return (
        Registration.objects.filter(pk=registration.pk).exists()
        and Attendance.objects.filter(pk=attendance.pk).exists()
    )


# Never deleted ----------------------------------------------------------------


def test_cancelling_keeps_the_row(tree):
    session = SessionFactory(parent=tree["town"])
    user = UserFactory()
    registration = register(session, user)
    cancel(session, user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.cancelled_at is not None


@pytest.mark.parametrize("model", ["registrations", "attendance"])
def test_the_admin_lists_participation_read_only_even_for_a_superuser(
    client, superuser, kept, model
):
    client.force_login(superuser)
    index = client.get(f"/admin/{model}/")
    assert index.status_code == 200
    pk = kept["rows"][0 if model == "registrations" else 1].pk
    for url in (f"/admin/{model}/delete/{pk}/", f"/admin/{model}/edit/{pk}/"):
        assert f'href="{url}"' not in index.content.decode()
        assert refused(client.get(url))
        assert refused(client.post(url, {"status": "cancelled"}))
    assert refused(client.get(f"/admin/{model}/new/"))
    assert rows_remain(kept)


@pytest.mark.parametrize("what", ["session", "forum", "forum above"])
def test_a_page_that_records_depend_on_is_not_deleted(
    client, superuser, kept, tree, what
):
    page = {
        "session": kept["session"],
        "forum": tree["village"],
        "forum above": tree["town"],
    }[what]
    client.force_login(superuser)
    url = f"/admin/pages/{page.pk}/delete/"
    response = client.post(url)
    assert response.status_code == 302
    message = client.get(response["Location"]).content.decode()
    assert "条参与记录" in message
    assert Page.objects.filter(pk=page.pk).exists()
    assert rows_remain(kept)


def test_a_page_without_records_is_deleted_as_usual(client, superuser, tree):
    empty = SessionFactory(parent=tree["village2"])
    client.force_login(superuser)
    client.post(f"/admin/pages/{empty.pk}/delete/")
    assert not Page.objects.filter(pk=empty.pk).exists()


def test_an_account_that_records_depend_on_is_not_deleted(client, superuser, kept):
    client.force_login(superuser)
    response = client.post(f"/admin/users/delete/{kept['user'].pk}/")
    assert response.status_code == 302
    assert kept["user"].__class__.objects.filter(pk=kept["user"].pk).exists()
    assert rows_remain(kept)


def test_bulk_deletes_keep_records_too(client, superuser, kept, tree):
    client.force_login(superuser)
    pages = client.post(
        "/admin/bulk/wagtailcore/page/delete/",
        {"id": [kept["session"].pk]},
        QUERY_STRING=f"id={kept['session'].pk}",
    )
    users = client.post(
        "/admin/bulk/auth/user/delete/",
        {"id": [kept["user"].pk]},
        QUERY_STRING=f"id={kept['user'].pk}",
    )
    assert pages.status_code == users.status_code == 302
    assert Page.objects.filter(pk=kept["session"].pk).exists()
    assert rows_remain(kept)


# Every change logged --------------------------------------------------------


def logged(action: str, instance) -> list:
    return list(ModelLogEntry.objects.filter(action=action, object_id=str(instance.pk)))


def test_every_change_of_participation_leaves_a_log_entry(tree, town_admin):
    soon = timezone.now() + timedelta(minutes=5)
    session = SessionFactory(
        parent=tree["town"], capacity=1, start=soon, end=soon + timedelta(hours=2)
    )
    first, second, walk_in, listed = (UserFactory() for _ in range(4))
    TraineeProfile.objects.create(
        user=listed, real_name="名单学员", mobile="13712345678"
    )

    seat = register(session, first)
    line = register(session, second)
    cancel(session, first)  # promotes second
    code = checkin.current_credentials(session).code
    attended = checkin.check_in(session, second, method=CheckInMethod.CODE, code=code)
    marked = roster.mark(session, second.pk, "late", by=town_admin)
    walked = roster.add_walk_in(session, walk_in.pk, by=town_admin)
    roster.bulk_entry(session, by=town_admin, text="13712345678")
    bulk = Attendance.objects.get(session=session, user=listed)

    expected = [
        ("lectures.registration.confirmed", seat, first),
        ("lectures.registration.waiting", line, second),
        ("lectures.registration.cancelled", seat, first),
        ("lectures.registration.promoted", line, None),
        ("lectures.attendance.checked_in", attended, second),
        ("lectures.attendance.marked", marked, town_admin),
        ("lectures.attendance.walk_in", walked, town_admin),
        ("lectures.attendance.marked", bulk, town_admin),
    ]
    for action, instance, user in expected:
        entries = logged(action, instance)
        assert entries, action
        assert entries[-1].user_id == (user.pk if user else None), action


def test_closing_the_roster_logs_each_absence(tree, town_admin):
    session = SessionFactory(parent=tree["town"])
    absentees = [UserFactory() for _ in range(3)]
    for user in absentees:
        register(session, user)
    assert roster.close(session, by=town_admin) == 3
    for row in Attendance.objects.filter(session=session):
        assert row.status == "absent"
        assert logged("lectures.attendance.marked", row), row
