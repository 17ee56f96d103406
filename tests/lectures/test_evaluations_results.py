"""Evaluation figures checked by hand, the 3-response threshold, scopes, exports.

The small case (a table with two indicators weighted 1 and 3, four levels
worth 100 / 75 / 50 / 25 points):

    session A, 5 attendees (4 present, 1 late; 1 absent), 3 responses:
        (满意, 满意), (较满意, 一般), (满意, 不满意)
        indicator 1: 100 + 75 + 100 = 275      indicator 2: 100 + 50 + 25 = 175
        weighted score = (1·275 + 3·175) / (1·3 + 3·3) = 800 / 12 = 66.67
        satisfied ratings: 3 + 1 of 6 = 66.67 %;  response rate 3 / 5 = 60 %
    session B, 3 attendees, 2 responses: counted in the response rate only.
    Together: 8 attendees, 5 responses (62.5 %), score 66.67, 66.67 % satisfied.
"""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from lectures import rules
from lectures.services import evaluation_results as results
from lectures.services.evaluations import submit
from tests.factories import (
    LecturerFactory,
    UserFactory,
    answer,
    attended,
    ended_session,
    make_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(tree):
    form = make_form("两项评估表", 1, 3)
    tree["district"].evaluation_form = form
    tree["district"].save()
    return form


def evaluate(session, form, *answers, comment=""):
    """Attendees who each give one of `answers` (pairs of levels)."""
    for levels in answers:
        user = UserFactory()
        attended(session, user)
        submit(session, user, answer(form, *levels), comment)


@pytest.fixture
def case(tree, form, lecturer):
    me = lecturer.lecturer
    a = ended_session(tree["village"], title="讲座A", lecturers=[me])
    evaluate(a, form, (4, 4), (3, 2), (4, 1))
    attended(a, UserFactory())
    attended(a, UserFactory(), status="late")
    attended(a, UserFactory(), status="absent")
    b = ended_session(tree["town"], title="讲座B", lecturers=[me])
    evaluate(b, form, (1, 1), (1, 1))
    attended(b, UserFactory())
    return {"a": a, "b": b}


def selection(*sessions):
    from lectures.models import SessionPage

    return SessionPage.objects.filter(pk__in=[s.pk for s in sessions])


def test_one_session_by_hand(case):
    a = selection(case["a"])
    assert results.attendees(a) == 5
    assert results.responses(a) == 3
    assert results.weighted_score(a) == pytest.approx(800 / 12)
    assert results.satisfaction_rate(a) == pytest.approx(400 / 6)
    summary = results.summary(a)
    assert summary.response_rate == pytest.approx(60)

    row = results.with_figures(a).get()
    assert (row.attendees, row.responses) == (5, 3)
    assert row.response_rate == pytest.approx(60)
    assert row.score == pytest.approx(800 / 12)
    assert row.satisfaction == pytest.approx(400 / 6)


def test_indicators_by_hand(case):
    first, second = results.indicator_rows(selection(case["a"]))
    assert (first.name, first.weight, first.ratings) == ("指标1", 1, 3)
    assert [(c.label, c.count) for c in first.levels] == [
        ("满意", 2),
        ("较满意", 1),
        ("一般", 0),
        ("不满意", 0),
    ]
    assert first.score == pytest.approx(275 / 3)
    assert first.levels[0].share == pytest.approx(200 / 3)
    assert second.score == pytest.approx(175 / 3)
    assert second.satisfaction == pytest.approx(100 / 3)


def test_the_summary_line_of_a_selection(case, settings):
    both = selection(case["a"], case["b"])
    summary = results.summary(both)
    assert (summary.attendees, summary.responses) == (8, 5)
    assert summary.sessions_shown == 1
    assert summary.score == pytest.approx(800 / 12)
    assert summary.text == "共8人参训，发放8份，回收5份，回收率62.5%，满意率66.7%"
    with translation.override("en"):
        assert summary.text == (
            "8 took part, 8 forms issued, 5 returned, response rate 62.5%, "
            "satisfaction rate 66.7%"
        )


def test_nothing_is_shown_below_three_responses(case, form):
    b = selection(case["b"])
    assert results.weighted_score(b) is None
    assert results.satisfaction_rate(b) is None
    assert results.indicator_rows(b) == []
    assert results.with_figures(b).get().score is None
    assert results.responses(b) == 2  # counted, never shown

    submit_comment = case["b"]
    user = UserFactory()
    attended(submit_comment, user)
    submit(submit_comment, user, answer(form, 4, 4), "第三位的意见")
    assert results.comments(case["b"]) == ["第三位的意见"]
    assert results.weighted_score(b) == pytest.approx((25 * 8 + 100 * 4) / 12)


def test_comments_wait_for_the_threshold(tree, form):
    session = ended_session(tree["town"])
    evaluate(session, form, (4, 4), (4, 4), comment="很好")
    assert results.comments(session) == []
    evaluate(session, form, (3, 3), comment="不错")
    assert sorted(results.comments(session)) == ["不错", "很好", "很好"]


def test_the_ranking_by_hand(tree, form):
    """L1: A (800/12) and C (100); L2: C and D (25): (800+1200)/24, 1500/24."""
    one, two = LecturerFactory(name="甲"), LecturerFactory(name="乙")
    a = ended_session(tree["town"], lecturers=[one])
    evaluate(a, form, (4, 4), (3, 2), (4, 1))
    c = ended_session(tree["town"], lecturers=[one, two])
    evaluate(c, form, (4, 4), (4, 4), (4, 4))
    d = ended_session(tree["village"], lecturers=[two])
    evaluate(d, form, (1, 1), (1, 1), (1, 1))
    low = ended_session(tree["village"], lecturers=[two])
    evaluate(low, form, (1, 1), (1, 1))  # below the threshold: left out

    ranking = results.lecturer_ranking(selection(a, c, d, low))
    assert [(r.rank, r.name, r.sessions, r.responses) for r in ranking] == [
        (1, "甲", 2, 6),
        (2, "乙", 2, 6),
    ]
    assert ranking[0].score == pytest.approx(2000 / 24)
    assert ranking[1].score == pytest.approx(1500 / 24)
    assert ranking[1].satisfaction == pytest.approx(50)


# Who sees what ----------------------------------------------------------------------


def test_scopes(tree, people, form):
    own = ended_session(tree["village"], lecturers=[people["lecturer"].lecturer])
    other_in_town = ended_session(tree["town"])
    elsewhere = ended_session(tree["sibling_village"])

    def visible(user):
        return set(rules.visible_sessions(user))

    assert visible(people["lecturer"]) == {own}
    assert visible(people["town_admin"]) == {own, other_in_town}
    assert visible(people["village_admin"]) == {own}
    assert visible(people["district_admin"]) == {own, other_in_town, elsewhere}
    assert visible(people["trainee"]) == set()
    assert not rules.may_see_results(people["trainee"])


def test_the_admin_pages_keep_to_the_scope(client, tree, people, form):
    own = ended_session(tree["village"], lecturers=[people["lecturer"].lecturer])
    evaluate(own, form, (4, 4), (4, 4), (4, 4))
    elsewhere = ended_session(tree["sibling_village"], title="青山的讲座")
    evaluate(elsewhere, form, (4, 4), (4, 4), (4, 4))

    client.force_login(people["lecturer"])
    listing = client.get(reverse("lectures_evaluations")).content.decode()
    assert own.title in listing
    assert "青山的讲座" not in listing
    detail = reverse("lectures_evaluation_session", args=[elsewhere.pk])
    assert client.get(detail).status_code == 302  # refused by the admin
    mine = reverse("lectures_evaluation_session", args=[own.pk])
    assert client.get(mine).status_code == 200

    client.force_login(people["town_admin"])
    assert client.get(detail).status_code == 302
    client.force_login(people["district_admin"])
    assert client.get(detail).status_code == 200

    client.force_login(people["trainee"])
    assert client.get(reverse("lectures_evaluations")).status_code == 302


def test_the_detail_page_hides_answers_below_three(client, tree, people, form):
    session = ended_session(tree["town"])
    evaluate(session, form, (4, 4), (1, 1), comment="只有两人")
    client.force_login(people["town_admin"])
    response = client.get(reverse("lectures_evaluation_session", args=[session.pk]))
    assert response.context["shown"] is False
    assert "只有两人" not in response.content.decode()
    assert response.context["lines"] == []


# Exports ------------------------------------------------------------------------------


def sheet(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response)))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("url_name", "lines", "first_row"),
    [
        ("lectures_evaluations", 1, ("讲座A",)),
        ("lectures_evaluation_indicators", 2, ("两项评估表", "指标1", 1, 3)),
        ("lectures_evaluation_ranking", 1, (1,)),
    ],
)
def test_every_table_exports(client, case, people, url_name, lines, first_row):
    client.force_login(people["district_admin"])
    response = client.get(reverse(url_name) + "?export=xlsx&forum=dongfeng")
    assert response.status_code == 200
    rows = sheet(response)
    assert len(rows) == 1 + lines
    assert rows[1][: len(first_row)] == first_row
    csv = client.get(reverse(url_name) + "?export=csv")
    assert csv.status_code == 200
    assert b"".join(csv).count(b"\n") >= 2


def test_the_session_exports_its_indicators_and_comments(client, tree, people, form):
    session = ended_session(tree["town"])
    evaluate(session, form, (4, 4), (4, 3), (3, 3), comment="建议多举案例")
    client.force_login(people["town_admin"])
    url = reverse("lectures_evaluation_session", args=[session.pk])
    indicators = sheet(client.get(url + "?export=xlsx"))
    assert [row[1] for row in indicators[1:]] == ["指标1", "指标2"]
    comments = sheet(client.get(url + "?export=xlsx&table=comments"))
    assert comments[1:] == [("建议多举案例",)] * 3


def test_a_bad_selection_is_a_message_not_a_500(client, people):
    client.force_login(people["district_admin"])
    response = client.get(
        reverse("lectures_evaluations") + "?forum=nowhere&start=99999-01-01"
    )
    assert response.status_code == 200
    assert response.context["selection_form"].errors


# Query counts -------------------------------------------------------------------------


def many(tree, form, lecturers, count):
    for n in range(count):
        session = ended_session(
            tree["village" if n % 2 else "town"], lecturers=[lecturers[n % 3]]
        )
        evaluate(session, form, (4, 4), (3, 2), (4, 1), comment=f"意见{n}")


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize(
    "url_name",
    [
        "lectures_evaluations",
        "lectures_evaluation_indicators",
        "lectures_evaluation_ranking",
    ],
)
def test_the_reports_cost_the_same_for_one_or_many(
    client, tree, people, form, url_name, count, django_assert_num_queries
):
    lecturers = [LecturerFactory() for _ in range(3)]
    many(tree, form, lecturers, count)
    client.force_login(people["town_admin"])
    url = reverse(url_name)
    client.get(url)
    fixed = {
        "lectures_evaluations": 21,
        "lectures_evaluation_indicators": 20,
        "lectures_evaluation_ranking": 17,
    }[url_name]
    with django_assert_num_queries(fixed):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 12])
def test_the_session_page_costs_the_same_for_few_or_many_answers(
    client, tree, people, form, count, django_assert_num_queries
):
    session = ended_session(tree["town"], lecturers=[LecturerFactory()])
    evaluate(session, form, *[(4, 3)] * count, comment="意见")
    client.force_login(people["town_admin"])
    url = reverse("lectures_evaluation_session", args=[session.pk])
    client.get(url)
    with django_assert_num_queries(23):
        response = client.get(url)
    assert len(response.context["comments"]) == count
