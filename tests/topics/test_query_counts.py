"""The menu's pages and the order admin cost a fixed number of queries, for
one item or many (see tests/lectures/test_query_counts.py).

Each page is rendered over data holding one item in each of its lists (one
topic with one lecturer, one held and evaluated session from it, one order,
one trainee asking), then over data holding many. Both must cost the same
literal number below.
"""

import pytest

from lectures.models import TraineeProfile
from tests.factories import (
    CategoryFactory,
    FieldFactory,
    LecturerFactory,
    UserFactory,
    make_form,
)
from tests.topics.factories import TopicFactory, place
from tests.topics.test_pages import evaluate, held_from
from topics.services import orders, support

pytestmark = pytest.mark.django_db

# Logged-in pages include the header's or the admin menu's unread messages.
QUERIES = {
    "topics": 6,
    "topics filtered": 8,
    "topic": 9,
    "topic (trainee)": 15,
    "order admin": 22,
    "order admin (lecturer)": 20,
    "order": 20,
    "topic admin": 23,
}


def build(tree, people, *, many: bool) -> dict:
    field, category = FieldFactory(slug="rural"), CategoryFactory(slug="talk")
    form = make_form("评估表", 1, 1)
    tree["district"].evaluation_form = form
    tree["district"].save()
    town_lecturer = people["lecturer"].lecturer
    count = 4 if many else 1
    lecturers = [town_lecturer] + [
        LecturerFactory(forums=[tree["town"]]) for _ in range(count * 2 - 1)
    ]
    topics = [
        TopicFactory(
            field=field,
            category=category,
            tier="village",
            lecturers=lecturers[2 * n : 2 * n + 2] if many else lecturers[:1],
        )
        for n in range(count)
    ]
    topic = topics[0]
    for n in range(count):
        forum = tree["town"] if n % 2 == 0 else tree["district"]
        session = held_from(topic, forum, town_lecturer)
        evaluate(session, form, 4, 3, 4)
    waiting = []
    for n, item in enumerate(topics):
        order = place(item, tree["village"], people["village_admin"])
        waiting.append(order)
        if n % 2:
            orders.dispatch(order.pk, people["town_admin"], item.lecturers.first())
    for n in range(count):
        user = UserFactory()
        TraineeProfile.objects.create(
            user=user,
            real_name=f"学员{n}",
            mobile=f"1350000{n:04d}",
            unit_forum=tree["village"],
        )
        support.support(topics[n], user)
    return {"topic": topic, "order": waiting[0]}


def pages(built) -> dict[str, tuple[str | None, str]]:
    topic = built["topic"]
    return {
        "topics": (None, "/topics/"),
        "topics filtered": (None, "/topics/?field=rural&category=talk&level=village"),
        "topic": (None, topic.get_absolute_url()),
        "topic (trainee)": ("trainee", topic.get_absolute_url()),
        "order admin": ("town_admin", "/admin/topics/orders/"),
        "order admin (lecturer)": ("lecturer", "/admin/topics/orders/"),
        "order": ("town_admin", f"/admin/topics/orders/{built['order'].pk}/"),
        "topic admin": ("town_admin", "/admin/topics/"),
    }


@pytest.mark.parametrize("many", [False, True], ids=["one", "many"])
def test_each_page_costs_a_fixed_number_of_queries(
    client, tree, people, many, subtests, django_assert_num_queries
):
    built = build(tree, people, many=many)
    for name, (role, url) in pages(built).items():
        with subtests.test(page=name):
            client.logout()
            if role:
                client.force_login(people[role])
            assert client.get(url).status_code == 200  # warm the caches
            with django_assert_num_queries(QUERIES[name]):
                response = client.get(url)
            assert response.status_code == 200
