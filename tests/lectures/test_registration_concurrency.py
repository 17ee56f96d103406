"""Registration and check-in under real concurrency: threads, the real database.

Run on SQLite (IMMEDIATE transactions, one writer at a time) and on
PostgreSQL (row locks) in CI; the counts must be exact afterwards.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lectures.models import Attendance, Registration, RegistrationStatus
from lectures.services.checkin import current_credentials
from lectures.services.registration import cancel, register
from tests.concurrency import all_at_once
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_sixty_people_for_forty_seats(tree):
    session = SessionFactory(parent=tree["town"], capacity=40)
    users = [UserFactory() for _ in range(60)]

    statuses = all_at_once(lambda user: register(session, user).status, users)

    assert Counter(statuses) == {"confirmed": 40, "waiting": 20}
    rows = Counter(Registration.objects.values_list("status", flat=True))
    assert rows == {"confirmed": 40, "waiting": 20}


def test_concurrent_cancellations_promote_each_waiting_person_once(tree):
    session = SessionFactory(parent=tree["town"], capacity=10)
    users = [UserFactory() for _ in range(16)]
    for user in users:
        register(session, user)
    leaving = users[:6]

    all_at_once(lambda user: cancel(session, user), leaving)

    rows = Counter(Registration.objects.values_list("status", flat=True))
    assert rows == {"confirmed": 10, "cancelled": 6}
    promoted = Registration.objects.filter(user__in=users[10:])
    assert set(promoted.values_list("status", flat=True)) == {
        RegistrationStatus.CONFIRMED
    }


def test_one_person_registering_many_times_at_once_gets_one_row(tree):
    session = SessionFactory(parent=tree["town"], capacity=5)
    user = UserFactory()

    all_at_once(lambda _: register(session, user).pk, range(10))

    assert Registration.objects.filter(user=user).count() == 1


def test_cancellations_and_new_registrations_at_once_keep_the_line(tree):
    """Five leave while five newcomers arrive: the five in line move up, in order;
    the newcomers queue behind them; no seat is ever left empty or given twice."""
    session = SessionFactory(parent=tree["town"], capacity=10)
    seated = [UserFactory() for _ in range(10)]
    in_line = [UserFactory() for _ in range(5)]
    newcomers = [UserFactory() for _ in range(5)]
    for user in seated + in_line:
        register(session, user)

    def act(pair):
        verb, user = pair
        return verb(session, user).status

    all_at_once(
        act,
        [(cancel, user) for user in seated[:5]]
        + [(register, user) for user in newcomers],
    )

    rows = Counter(Registration.objects.values_list("status", flat=True))
    assert rows == {"confirmed": 10, "waiting": 5, "cancelled": 5}
    status = dict(Registration.objects.values_list("user", "status"))
    assert {status[user.pk] for user in in_line} == {"confirmed"}
    assert {status[user.pk] for user in newcomers} == {"waiting"}
    promotions = ModelLogEntry.objects.filter(action="lectures.registration.promoted")
    assert promotions.count() == 5


def test_a_check_in_rush_over_http_records_everyone_once(tree):
    """Forty trainees type the code at the same moment, some twice."""
    soon = timezone.now() + timedelta(minutes=5)
    session = SessionFactory(
        parent=tree["town"], start=soon, end=soon + timedelta(hours=2)
    )
    users = [UserFactory() for _ in range(40)]
    code = current_credentials(session).code
    url = session.url + "checkin/"

    def type_code(user):
        client = Client()
        client.force_login(user)
        return client.post(url, {"code": code}).status_code

    statuses = all_at_once(type_code, users + users[:10])

    assert set(statuses) == {200}
    assert Attendance.objects.filter(session=session).count() == 40
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}
    assert set(Attendance.objects.values_list("user", flat=True)) == {
        user.pk for user in users
    }
    checked_in = ModelLogEntry.objects.filter(action="lectures.attendance.checked_in")
    assert checked_in.count() == 40


def test_parallel_wrong_codes_are_counted_every_one(tree):
    """Twenty guesses sent at once by one trainee: five are checked, the rest
    refused, so parallel requests do not multiply the guesses allowed."""
    from lectures.services import checkin

    soon = timezone.now() + timedelta(minutes=5)
    session = SessionFactory(
        parent=tree["town"], start=soon, end=soon + timedelta(hours=2)
    )
    guesser = UserFactory()
    right = {current_credentials(session).code}
    wrong = [f"{n:06d}" for n in range(100, 200) if f"{n:06d}" not in right][:20]

    def guess(code):
        try:
            checkin.check_in(session, guesser, method="code", code=code)
        except checkin.CheckInError as error:
            return error.code
        return "in"

    verdicts = Counter(all_at_once(guess, wrong))
    assert verdicts == {
        "wrong_code": checkin.MAX_WRONG_CODES_PER_USER,
        "too_many": 20 - checkin.MAX_WRONG_CODES_PER_USER,
    }
