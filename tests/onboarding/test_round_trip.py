"""Demo → workbook → an empty installation → the same figures."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from lectures.demo.builder import DemoBuilder, reset_demo
from onboarding.services.export import export_network
from onboarding.services.network import import_network
from onboarding.services.setup import setup_network


def stats() -> dict:
    out = StringIO()
    call_command("lecture_stats", "--format", "json", stdout=out)
    return without_satisfaction(json.loads(out.getvalue()))


def without_satisfaction(value):
    """Evaluations are not part of the workbook: satisfaction stays behind."""
    if isinstance(value, dict):
        return {
            k: without_satisfaction(v)
            for k, v in value.items()
            if k != "satisfaction_rate"
        }
    if isinstance(value, list):
        return [without_satisfaction(v) for v in value]
    return value


@pytest.mark.django_db
def test_the_demo_exported_and_imported_into_an_empty_install_gives_the_same_stats():
    DemoBuilder(scale=1).build()
    before = stats()
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
    assert stats() == before
    again = import_network([("network.xlsx", workbook)], commit=True)
    assert (again.total("created"), again.total("updated")) == (0, 0)
