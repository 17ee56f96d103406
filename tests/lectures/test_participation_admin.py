"""Registrations and attendance lists in the admin: the subtree only, exportable."""

import io

import pytest
from openpyxl import load_workbook

from lectures.models import TraineeProfile
from lectures.services.registration import register
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrations(tree):
    def trainee(name, mobile):
        user = UserFactory()
        TraineeProfile.objects.create(
            user=user, real_name=name, mobile=mobile, unit_name="单位"
        )
        return user

    register(
        SessionFactory(parent=tree["village"], title="东风村讲座"),
        trainee("东风学员", "13800000001"),
    )
    register(
        SessionFactory(parent=tree["sibling"], title="邻镇讲座"),
        trainee("邻镇学员", "13800000002"),
    )


def test_a_town_admin_lists_and_exports_his_subtree_only(client, people, registrations):
    client.force_login(people["town_admin"])
    page = client.get("/admin/registrations/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "东风学员" in html
    assert "邻镇学员" not in html
    export = client.get("/admin/registrations/", {"export": "xlsx"})
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = {c.value for row in book.active.iter_rows() for c in row}
    assert "东风学员" in cells
    assert "邻镇学员" not in cells
    csv = client.get("/admin/registrations/", {"export": "csv"})
    assert "东风学员" in b"".join(csv.streaming_content).decode()


def test_the_district_sees_all_and_a_trainee_nothing(client, people, registrations):
    client.force_login(people["district_admin"])
    html = client.get("/admin/attendance/").content.decode()
    assert client.get("/admin/registrations/").status_code == 200
    assert "邻镇学员" in client.get("/admin/registrations/").content.decode()
    assert html
    client.force_login(people["trainee"])
    assert client.get("/admin/registrations/").status_code in (302, 403)


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_costs_the_same_queries_for_one_or_many(
    client, tree, people, count, django_assert_num_queries
):
    for n in range(count):
        user = UserFactory()
        TraineeProfile.objects.create(
            user=user, real_name=f"人{n}", mobile=f"137{n:08d}"
        )
        register(SessionFactory(parent=tree["village"]), user)
    client.force_login(people["town_admin"])
    client.get("/admin/registrations/")
    with django_assert_num_queries(16):
        client.get("/admin/registrations/")
