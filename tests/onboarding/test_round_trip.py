"""Demo → workbook → an empty installation → the same figures."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from lectures.demo.builder import reset_demo
from lectures.models import EvaluationReceipt, RatingTally, TraineeProfile
from lectures.services.kept_counts import rating_drift
from onboarding.services.export import export_network
from onboarding.services.network import import_network
from onboarding.services.setup import setup_network


def stats() -> dict:
    out = StringIO()
    call_command("lecture_stats", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_the_demo_exported_and_imported_into_an_empty_install_gives_the_same_stats(
    demo,
):
    before = stats()
    ranks = dict(TraineeProfile.objects.values_list("mobile", "rank__name"))
    assert None not in ranks.values()  # every demo cadre has his rank
    workbook = export_network()
    reset_demo()
    setup_network(
        district_name="新区干部大讲坛",
        department_name="区委组织部",
        username="first_admin",
        password="Zhong-Wen-2026",
    )
    report = import_network([("network.xlsx", workbook)], commit=True)
    assert report.written, report.errors[:5]
    assert before["sessions_held"] == 520
    assert "satisfaction_rate" in before
    assert stats() == before
    # Every cadre came back with his rank (required in the trainee sheet).
    assert dict(TraineeProfile.objects.values_list("mobile", "rank__name")) == ranks
    # The evaluations came as anonymous tallies: no receipt, and the counts
    # the database keeps agree with a recount.
    assert not EvaluationReceipt.objects.exists()
    assert RatingTally.objects.exists()
    assert rating_drift() == {}
    again = import_network([("network.xlsx", workbook)], commit=True)
    assert (again.total("created"), again.total("updated")) == (0, 0)
