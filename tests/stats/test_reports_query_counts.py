"""Each 统计 page costs one fixed number of queries, for 1 row or many.

Rendered over a network with one held session, then over one with more
forums (every tier), sessions of every status over two years with rosters,
lecturers and trainees: both must cost the literal number below.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import ClassPage
from lectures.models import Rank, SessionStatus
from records.models import ExternalStatus, ExternalTraining, Source
from tests.factories import (
    ClassFactory,
    FieldFactory,
    LecturerFactory,
    SessionFactory,
    TownFactory,
    TraineeProfileFactory,
    UserFactory,
    VillageFactory,
)
from tests.stats.report_data import generate

pytestmark = pytest.mark.django_db

PERIOD = "start=2025-01-01&end=2026-12-31"
# Pages (not exports) include the admin menu's unread messages (+1).
QUERIES = {
    # The paragraph's sentence on orders (topics' work_report_sentences hook)
    # is one query, and one more to find a forum asked for by its slug. The
    # table by forum lists its children from the subtree's forums, read once;
    # which forums held something is one query, the root's own line one, and
    # the children's sums one (those of the page shown, or all of them).
    f"/admin/reports/network/?{PERIOD}": 20,
    f"/admin/reports/network/?{PERIOD}&forum_rows=2": 20,
    f"/admin/reports/network/?{PERIOD}&export=xlsx": 13,
    f"/admin/reports/network/?{PERIOD}&forum=chengguan&field=f1": 24,
    f"/admin/reports/lecturers/?{PERIOD}": 14,
    # The trainees with their ledgers (records.services.ledger: three
    # queries, whatever the number of trainees and their sources).
    "/admin/reports/trainees/?year=2025": 12,
    "/admin/reports/trainees/?year=2025&export=xlsx": 7,
    "/admin/reports/classes/?start=2025-01-01": 9,
    # the admin home with the 统计 panel and the founding applications' (one
    # query when none is in progress); the panel's sessions awaiting approval
    # come from the task states the viewer can act on (Wagtail's
    # `reviewable_by`: the active tasks, his subtrees, the states), one query
    # more than a count of every workflow below his forum; its coverage is read
    # from the shared cache after the first visit (pinned in test_coverage.py)
    "/admin/": 28,
}


def build(tree, *, many: bool):
    if many:
        for _ in range(3):
            VillageFactory(parent=TownFactory(parent=tree["district"]))
        sessions = generate(tree, per_forum=8)
        lecturers = [LecturerFactory() for _ in range(4)]
        for index, session in enumerate(sessions):
            session.lecturers.add(lecturers[index % 4], lecturers[(index + 1) % 4])
            session.save()
        ranks = list(Rank.objects.order_by("pk")[:2])
        for index in range(5):
            profile = TraineeProfileFactory(
                unit_forum=tree["village"], rank=ranks[index % 2]
            )
            for kind in (Source.ONLINE, Source.PARTY_SCHOOL):
                ExternalTraining.objects.create(
                    user=profile.user,
                    kind=kind,
                    title="专题培训",
                    organiser="区委党校",
                    start_date=date(2025, 6, 1),
                    end_date=date(2025, 6, 30),
                    hours_claimed=Decimal("8"),
                    hours=Decimal("8"),
                    status=ExternalStatus.APPROVED,
                )
        for _ in range(3):
            ClassFactory(parent=tree["town"])
    else:
        from datetime import datetime

        from django.utils import timezone

        FieldFactory(name="领域1", slug="f1")
        session = SessionFactory(
            parent=tree["village"],
            start=timezone.make_aware(datetime(2025, 5, 1, 9)),
            status=SessionStatus.HELD,
            headcount=10,
        )
        session.lecturers.add(LecturerFactory())
        session.save()
        TraineeProfileFactory(unit_forum=tree["village"])
        ClassFactory(parent=tree["town"])
    assert ClassPage.objects.exists()


def costs(client) -> dict:
    result = {}
    for url in QUERIES:
        assert client.get(url).status_code == 200, url  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        result[url] = len(queries)
    return result


@pytest.mark.parametrize("many", [False, True], ids=["one", "many"])
def test_report_pages_cost_a_fixed_number_of_queries(tree, login, many):
    build(tree, many=many)
    user = UserFactory(username="su", is_superuser=True, is_staff=True)
    measured = costs(login(user))
    assert measured == QUERIES


def test_the_dashboard_costs_the_same_for_one_or_many(tree, login):
    user = UserFactory(username="su", is_superuser=True, is_staff=True)
    client = login(user)
    build(tree, many=False)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as one:
        client.get("/admin/")
    build(tree, many=True)
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/")
    assert len(one) == len(many)
