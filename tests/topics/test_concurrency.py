"""Orders under real concurrency: threads against the real database.

On SQLite transactions begin IMMEDIATE (one writer at a time); on
PostgreSQL the order row is locked (`SELECT … FOR UPDATE`). Either way a
second click must read the first one's result.
"""

from collections import Counter

import pytest

from lectures.models import SessionPage
from tests.concurrency import all_at_once
from tests.topics.factories import next_week, place
from topics.models import OrderStatus, TopicOrder
from topics.services import orders
from topics.services.errors import OrderError

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def attempt(action):
    try:
        action()
    except OrderError as error:
        return error.code
    return "done"


def test_concurrent_accepts_of_one_order_give_one_session(
    topic, tree, village_admin, town_admin, town_lecturer, lecturer
):
    order = place(topic, tree["village"], village_admin)
    orders.dispatch(order.pk, town_admin, town_lecturer)

    outcomes = all_at_once(
        lambda hour: attempt(
            lambda: orders.accept(
                order.pk, lecturer, start=next_week(hour), venue="村委会议室"
            )
        ),
        [9, 10, 11, 14, 15, 16],
    )

    assert Counter(outcomes) == {"done": 1, "wrong_status": 5}
    assert SessionPage.objects.count() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert order.session_id == SessionPage.objects.get().pk


def test_concurrent_dispatch_and_decline_leave_one_outcome(
    topic, tree, village_admin, town_admin, district_admin, town_lecturer
):
    order = place(topic, tree["village"], village_admin)

    outcomes = all_at_once(
        lambda act: attempt(act),
        [
            lambda: orders.dispatch(order.pk, town_admin, town_lecturer),
            lambda: orders.decline(order.pk, district_admin, "已另行安排"),
            lambda: orders.dispatch(order.pk, district_admin, town_lecturer),
        ],
    )

    assert Counter(outcomes) == {"done": 1, "wrong_status": 2}
    assert TopicOrder.objects.get().status in ("dispatched", "declined")
