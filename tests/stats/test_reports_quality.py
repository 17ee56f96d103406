"""Satisfaction and lecturers' scores in the reports are the evaluation
results' own figures (the case of test_evaluations_results, by hand:
session A 66.67 % satisfied, session B below the threshold)."""

import pytest

from stats.network import network_report
from stats.query import ReportQuery
from tests.factories import UserFactory
from tests.lectures.test_evaluations_results import case, evaluate, form  # noqa: F401

pytestmark = pytest.mark.django_db


def test_satisfaction_flows_into_the_report(case, tree, login):  # noqa: F811
    report = network_report(ReportQuery(start=None))
    assert report.stats.satisfaction_rate == pytest.approx(66.67, abs=0.01)
    village = next(row for row in report.tiers if row.key == "village")
    unit = next(row for row in report.tiers if row.key == "unit")
    assert village.satisfaction_rate == pytest.approx(66.67, abs=0.01)
    assert unit.satisfaction_rate is None  # below three responses: not shown
    town = next(row for row in report.forums if row.slug == "chengguan")
    assert town.satisfaction_rate == pytest.approx(66.67, abs=0.01)
    month = [row for row in report.months if row.sessions_held]
    assert any(row.satisfaction_rate is not None for row in month)
    admin = UserFactory(username="su", is_superuser=True, is_staff=True)
    page = login(admin).get("/admin/reports/lecturers/", {"start": ""})
    (row,) = page.context["object_list"]
    assert row.score_shown == pytest.approx(66.7, abs=0.05)
    assert row.satisfaction_shown == pytest.approx(66.7, abs=0.05)
