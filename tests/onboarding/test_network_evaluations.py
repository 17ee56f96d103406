"""Evaluation results and other attendees in the network workbook: carried
as anonymous tallies (never receipts), checked, replaced, never added twice."""

import pytest

from lectures.models import (
    EvaluationForm,
    EvaluationReceipt,
    OtherAttendees,
    RatingCount,
    RatingTally,
    SessionEvaluation,
    SessionPage,
)
from lectures.services.kept_counts import rating_drift
from onboarding.services.export import export_network
from onboarding.services.network import import_network
from onboarding.services.setup import setup_network
from tests.onboarding.workbooks import SESSIONS, sheets, xlsx

pytestmark = pytest.mark.django_db

FORM = "干部讲坛教学质量评估表"
RATINGS = (
    "内容针对性:6/3/1/0；讲授水平:7/2/1/0；组织管理:5/4/0/1；"
    "学习收获:6/4/0/0；总体评价:8/1/1/0"
)

HOW = "每项指标写作 指标:人数/人数/…（从最高等级起）"


@pytest.fixture
def installed():
    return setup_network(
        district_name="某区干部大讲坛",
        department_name="区委组织部",
        username="first_admin",
        password="Zhong-Wen-2026",
    )


def run(session_rows, *, commit=True):
    return import_network(
        [("network.xlsx", xlsx(sheets(sessions=session_rows)))], commit=commit
    )


def with_evaluation(others="", form=FORM, responses="10", ratings=RATINGS, row=0):
    """The good sessions, one of them (the held one with a roster) evaluated."""
    rows = [[*r, *[""] * (16 - len(r))] for r in SESSIONS]
    rows[row] = [*rows[row][:16], others, form, responses, ratings]
    return rows


def problems(report) -> list[str]:
    return [e.message for e in report.errors]


def counted(title="学习贯彻全会精神") -> tuple:
    session = SessionPage.objects.get(title=title)
    kept = RatingCount.objects.filter(session=session).first()
    return (
        session.evaluation.responses,
        (kept.rated, kept.satisfied) if kept else None,
        RatingTally.objects.filter(session=session).count(),
    )


def test_results_become_anonymous_tallies_the_triggers_count(installed):
    report = run(with_evaluation(others="12"))
    assert report.written, problems(report)
    # 5 indicators × 4 levels; 50 ratings, 46 of them 满意 or 较满意.
    assert counted() == (10, (50, 46), 20)
    assert SessionPage.objects.get(title="学习贯彻全会精神").other_attendees.count == 12
    assert not EvaluationReceipt.objects.exists()
    assert rating_drift() == {}


def test_a_reimport_is_unchanged_and_a_change_replaces_the_tallies(installed):
    run(with_evaluation(others="12"))
    again = run(with_evaluation(others="12"))
    assert (again.total("created"), again.total("updated")) == (0, 0)
    changed = run(
        with_evaluation(others="3", responses="2", ratings="总体评价:1/0/0/1")
    )
    assert (changed.total("created"), changed.total("updated")) == (0, 1)
    assert counted() == (2, (2, 1), 20)
    assert SessionEvaluation.objects.count() == 1
    assert OtherAttendees.objects.get().count == 3
    assert rating_drift() == {}
    # Left empty, what the session keeps stays as it is.
    same = run(with_evaluation(form="", responses="", ratings=""))
    assert (same.total("created"), same.total("updated")) == (0, 0)
    assert counted() == (2, (2, 1), 20)


def test_export_writes_the_results_and_reimporting_it_changes_nothing(installed):
    run(with_evaluation(others="12"))
    report = import_network([("n.xlsx", export_network())], commit=True)
    assert (report.total("created"), report.total("updated")) == (0, 0), problems(
        report
    )
    assert counted() == (10, (50, 46), 20)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"responses": "十"}, "评价人数“十”不是整数"),
        ({"responses": "-1"}, "评价人数“-1”不是整数"),
        ({"others": "²"}, "其他参加人数“²”不是整数"),
        ({"form": "无此表"}, "未知评估表“无此表”"),
        ({"responses": ""}, "填写评价结果时须同时填写评价人数"),
        ({"ratings": "总体评价 8/1/1/0"}, f"评价结果“总体评价 8/1/1/0”：{HOW}"),
        ({"ratings": "总体评价:8/-1/1/0"}, f"评价结果“总体评价:8/-1/1/0”：{HOW}"),
        ({"ratings": "口才:8/1/1/0"}, f"评估表“{FORM}”没有指标“口才”"),
        ({"ratings": "总体评价:8/1/1/0；总体评价:8/1/1/0"}, "指标“总体评价”填写了两次"),
        (
            {"ratings": "总体评价:8/1/1"},
            "“总体评价”：请填写4个人数，每个等级一个，从最高等级起",
        ),
        ({"ratings": "总体评价:9/1/1/0"}, "“总体评价”的评价次数多于评价人数"),
    ],
)
def test_refusals_name_the_row_and_write_nothing(installed, overrides, expected):
    report = run(with_evaluation(**overrides))
    assert (report.errors[-1].line, expected) in [
        (e.line, e.message) for e in report.errors
    ], problems(report)
    assert not report.written
    assert not SessionPage.objects.exists()
    assert not RatingTally.objects.exists()


def test_a_cancelled_session_has_no_results(installed):
    rows = with_evaluation(row=2)
    rows[2][9] = "已取消"
    report = run(rows)
    assert "只有已举办的讲座才有评价结果" in problems(report)


def test_responses_never_fewer_than_the_receipts_kept_here(installed):
    run(with_evaluation())
    session = SessionPage.objects.get(title="学习贯彻全会精神")
    users = [a.user for a in session.attendances.all()[:2]]
    for user in users:
        EvaluationReceipt.objects.create(
            session=session, user=user, submitted_on=session.end.date()
        )
    report = run(with_evaluation(responses="1", ratings="总体评价:1/0/0/0"))
    assert "本讲座已有2名学员在本系统中评价：评价人数不能更少" in problems(report)
    assert counted() == (10, (50, 46), 20)
    assert EvaluationReceipt.objects.count() == 2


def test_a_named_form_of_five_points_is_used(installed):
    form = EvaluationForm.objects.create(name="五分制", scale=5)
    form.indicators.create(name="总体", weight=100)
    form.save()
    report = run(with_evaluation(form="五分制", ratings="总体:4/3/2/1/0"))
    assert report.written, problems(report)
    assert counted() == (10, (10, 7), 5)
    assert SessionEvaluation.objects.get().form == form
