"""Registration: seats, the waiting list, promotion, windows and refusals."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lectures.models import Registration, RegistrationStatus, TraineeProfile
from lectures.models.sessions import AudienceScope
from lectures.services.registration import (
    RegistrationError,
    cancel,
    register,
    seats,
    waiting_position,
)
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(tree):
    return SessionFactory(parent=tree["town"], capacity=2)


def trainees(n):
    return [UserFactory() for _ in range(n)]


def test_seats_then_the_waiting_list(session):
    a, b, c, d = trainees(4)
    statuses = [register(session, user).status for user in (a, b, c, d)]
    assert statuses == ["confirmed", "confirmed", "waiting", "waiting"]
    assert seats(session).confirmed == 2
    assert seats(session).waiting == 2
    assert waiting_position(Registration.objects.get(user=d)) == 2


def test_registering_twice_is_harmless(session):
    user = UserFactory()
    first = register(session, user)
    again = register(session, user)
    assert first.pk == again.pk
    assert Registration.objects.count() == 1


def test_a_cancellation_promotes_the_first_in_line_and_tells_him(
    session, django_capture_on_commit_callbacks
):
    a, b, c, d = trainees(4)
    for user in (a, b, c, d):
        register(session, user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel(session, a)
    status = dict(Registration.objects.values_list("user__username", "status"))
    assert status == {
        a.username: "cancelled",
        b.username: "confirmed",
        c.username: "confirmed",
        d.username: "waiting",
    }
    assert [m.to for m in mail.outbox] == [[c.email]]
    assert waiting_position(Registration.objects.get(user=d)) == 1


def test_leaving_the_waiting_list_promotes_nobody(session):
    a, b, c = trainees(3)
    for user in (a, b, c):
        register(session, user)
    cancel(session, c)
    assert seats(session).confirmed == 2
    assert seats(session).waiting == 0


def test_a_cancelled_trainee_may_come_back_at_the_end_of_the_line(session):
    a, b, c = trainees(3)
    for user in (a, b, c):
        register(session, user)
    cancel(session, a)
    back = register(session, a)
    assert back.status == RegistrationStatus.WAITING
    assert Registration.objects.filter(user=a).count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"registration_opens": timedelta(days=1)}, "not_yet"),
        ({"registration_closes": timedelta(days=-1)}, "closed"),
        ({"status": "cancelled"}, "not_open"),
        ({"live": False}, "not_open"),
    ],
)
def test_refusals_outside_the_window(tree, change, code):
    now = timezone.now()
    fields = {
        key: now + value if isinstance(value, timedelta) else value
        for key, value in change.items()
    }
    session = SessionFactory(parent=tree["town"], **fields)
    with pytest.raises(RegistrationError) as error:
        register(session, UserFactory())
    assert error.value.code == code
    assert not Registration.objects.exists()


def test_cancelling_after_the_start_is_refused(session):
    user = UserFactory()
    register(session, user)
    with pytest.raises(RegistrationError) as error:
        cancel(session, user, now=session.start + timedelta(minutes=1))
    assert error.value.code == "started"
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_sessions_for_the_units_below_only(tree):
    session = SessionFactory(parent=tree["town"], audience_scope=AudienceScope.SUBTREE)
    inside, outside, nobody = trainees(3)
    TraineeProfile.objects.create(
        user=inside, real_name="甲", mobile="13800000001", unit_forum=tree["village"]
    )
    TraineeProfile.objects.create(
        user=outside, real_name="乙", mobile="13800000002", unit_forum=tree["sibling"]
    )
    assert register(session, inside).status == RegistrationStatus.CONFIRMED
    for user in (outside, nobody):
        with pytest.raises(RegistrationError) as error:
            register(session, user)
        assert error.value.code == "not_in_audience"


def test_every_change_is_logged(session):
    user = UserFactory()
    register(session, user)
    cancel(session, user)
    actions = list(
        ModelLogEntry.objects.order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        "lectures.registration.confirmed",
        "lectures.registration.cancelled",
    ]


def test_over_http(client, session):
    user = UserFactory()
    url = session.url
    assert client.post(url + "register/").status_code == 302  # to the login
    assert not Registration.objects.exists()
    client.force_login(user)
    assert client.get(url + "register/").status_code == 405
    response = client.post(url + "register/", follow=True)
    assert "您已报名" in response.content.decode()
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    response = client.post(url + "cancel/", follow=True)
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED
    assert client.post(url + "cancel/", follow=True).status_code == 200
