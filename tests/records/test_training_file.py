"""The training file (一人一档) in the admin: scoped to the viewer's subtree,
everything in it, a workbook, and the same queries for 1 row as for many."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lectures.models import Rank
from records.models import ExternalStatus, Source
from tests.factories import ClassFactory, TraineeProfileFactory, UserFactory
from tests.records.helpers import elsewhere, session_on

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def profile(tree):
    return TraineeProfileFactory(
        real_name="李学员",
        unit_forum=tree["village"],
        rank=Rank.objects.get(name="乡科级副职"),
    )


def url(profile, **query):
    base = reverse("records_training_file", args=[profile.pk])
    return base + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def fill(tree, user, count: int):
    class_page = ClassFactory(parent=tree["town"], title=f"班{count}")
    for n in range(count):
        day = date(YEAR - 1, 3, 1) + timedelta(days=n)
        session_on(tree["town"], day, "2", user)
        session_on(class_page, day, "3", user)
        elsewhere(user, Source.ONLINE, "4", ended=day, title=f"网络课程{n}")
        elsewhere(user, Source.OTHER, "4", status=ExternalStatus.PENDING, ended=day)


def test_the_file_shows_his_year_and_everything_he_took_part_in(
    login, tree, profile, town_admin
):
    fill(tree, profile.user, 2)
    html = login(town_admin).get(url(profile, year=YEAR - 1)).content.decode()
    assert "李学员" in html
    assert "乡科级副职" in html
    assert "网络课程1" in html
    ledger = login(town_admin).get(url(profile, year=YEAR - 1)).context["file"].ledger
    assert ledger.total == 2 * (2 + 3 + 4)
    assert "records/print.css" in html


def test_the_file_downloads_as_a_workbook(login, tree, profile, town_admin):
    fill(tree, profile.user, 1)
    response = login(town_admin).get(url(profile, year=YEAR - 1, format="xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 3
    cells = [
        c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
    ]
    assert "网络课程0" in cells


@pytest.mark.parametrize("count", [1, 8])
def test_the_file_costs_the_same_queries_for_one_or_many(
    login, tree, profile, town_admin, count
):
    fill(tree, profile.user, count)
    client = login(town_admin)
    client.get(url(profile))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(profile, year=YEAR - 1))
    assert len(response.context["file"].sessions) == 2 * count
    assert len(queries) == FILE_QUERIES, "\n".join(
        q["sql"][:120] for q in queries.captured_queries
    )


# The admin's own (session, user, permissions, menu, the header's unread
# count: 15), the viewer's subtrees and the profile (2), the settings (2),
# the file: his sessions, the ledger's three, classes, elsewhere,
# certificates, tests (8) — however long his history.
FILE_QUERIES = 24


def test_outside_his_subtree_an_administrator_gets_404(login, tree, profile):
    sibling_admin = UserFactory()
    sibling_admin.groups.add(tree["sibling"].admin_group)
    assert login(sibling_admin).get(url(profile)).status_code == 404


def test_a_trainee_opens_no_file(login, profile):
    other = TraineeProfileFactory().user
    response = login(other).get(url(profile))
    assert response.status_code == 302
