"""The header's "Administration" link: for those the admin lets in, asked once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

ADMIN_LINK = 'href="/admin/"'


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("district_admin", True),
        ("village_admin", True),
        ("lecturer", True),
        ("trainee", False),
    ],
)
def test_the_link_is_shown_to_whom_the_admin_lets_in(login, people, role, shown):
    client = login(people[role])
    assert (ADMIN_LINK in client.get("/schedule/").text) is shown
    assert (client.get("/admin/").status_code == 200) is shown


def test_anonymous_visitors_have_no_link(client, tree):
    assert ADMIN_LINK not in client.get("/schedule/").text


def test_permissions_are_asked_once_per_login(login, people):
    client = login(people["lecturer"])
    client.get("/schedule/")
    with CaptureQueriesContext(connection) as queries:
        assert ADMIN_LINK in client.get("/schedule/").text
    asked = [
        q["sql"] for q in queries.captured_queries if "auth_permission" in q["sql"]
    ]
    assert asked == []
    # A new login asks again: the next page follows what he may do now.
    people["lecturer"].groups.clear()
    client = login(type(people["lecturer"]).objects.get(pk=people["lecturer"].pk))
    assert ADMIN_LINK not in client.get("/schedule/").text
