"""Registration under real concurrency: threads against the real database."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from lectures.models import Registration, RegistrationStatus
from lectures.services.registration import cancel, register
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def all_at_once(function, items):
    """Run function(item) in one thread per item, released together."""
    barrier = threading.Barrier(len(items))

    def worker(item):
        barrier.wait()
        try:
            return function(item)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(worker, items))


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
