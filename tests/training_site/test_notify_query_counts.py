"""The inbox, the admin inbox and the delivery log each cost one fixed number
of queries, for one message or many (the QUERIES table of
tests/lectures/test_query_counts.py, for the notices).

Each page is fetched once before it is measured, so per-process caches are
warm, as on a running server.
"""

import pytest

from tests.factories import TraineeProfileFactory
from training_site.notify import sending
from training_site.notify.models import Delivery
from training_site.notify.service import notify

pytestmark = pytest.mark.django_db

# page → (who looks, its fixed cost in queries whatever the number of messages)
QUERIES = {
    "/me/messages/": ("trainee", 7),
    "/admin/messages/": ("town_admin", 16),
    "/admin/reports/deliveries/": ("town_admin", 20),
    "/admin/reports/deliveries/?channel=sms&status=sent": ("district_admin", 19),
}


def build(tree, trainee, town_admin, *, many: bool) -> dict[str, str]:
    """Messages to the trainee and to the administrator, and deliveries of
    the administrator's trainees (some sent, some failed), one or many."""
    n = 12 if many else 1
    people = [TraineeProfileFactory(unit_forum=tree["village"]).user for _ in range(n)]
    for i in range(n):
        notify([trainee, *people], "lectures.reminder", {"title": f"讲座{i}"})
        notify([town_admin], "lectures.approval.requested", {"title": f"待审{i}"})
    sending.deliver(Delivery.objects.values_list("pk", flat=True))
    # What each page must show: the last item made, so all of them.
    last = people[-1].trainee.mobile
    return {
        "/me/messages/": f"讲座{n - 1}",
        "/admin/messages/": f"待审{n - 1}",
        "/admin/reports/deliveries/": last,
        "/admin/reports/deliveries/?channel=sms&status=sent": last,
    }


@pytest.mark.parametrize("many", [False, True], ids=["one", "many"])
def test_each_notice_page_costs_a_fixed_number_of_queries(
    client,
    tree,
    trainee,
    town_admin,
    district_admin,
    many,
    subtests,
    django_assert_num_queries,
):
    TraineeProfileFactory(user=trainee, unit_forum=tree["village"])
    shown = build(tree, trainee, town_admin, many=many)
    users = {
        "trainee": trainee,
        "town_admin": town_admin,
        "district_admin": district_admin,
    }
    for url, (who, queries) in QUERIES.items():
        with subtests.test(page=url):
            client.force_login(users[who])
            assert client.get(url).status_code == 200  # warm the caches
            with django_assert_num_queries(queries):
                response = client.get(url)
            assert response.status_code == 200
            assert shown[url] in response.content.decode()
