"""Evaluating a session: who may, when, once, with which table; the page and /me/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lectures.models import (
    EvaluationComment,
    EvaluationForm,
    EvaluationReceipt,
    RatingTally,
    SessionEvaluation,
    SessionStatus,
)
from lectures.services import evaluations as service
from tests.factories import (
    UserFactory,
    answer,
    attended,
    ended_session,
    make_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_form():
    return EvaluationForm.objects.get(is_default=True)


@pytest.fixture
def session(tree):
    return ended_session(tree["village"])


def nothing_stored():
    return not (
        EvaluationReceipt.objects.exists()
        or RatingTally.objects.exists()
        or EvaluationComment.objects.exists()
        or SessionEvaluation.objects.exists()
    )


def refused(code, session, user, ratings, **kwargs):
    with pytest.raises(service.EvaluationError) as caught:
        service.submit(session, user, ratings, **kwargs)
    assert caught.value.code == code
    assert caught.value.message
    return caught.value


def test_the_default_table_ships_with_five_weighted_indicators(default_form):
    names = list(default_form.indicators.values_list("name", flat=True))
    assert names == ["内容针对性", "讲授水平", "组织管理", "学习收获", "总体评价"]
    assert default_form.scale == 4
    labels = [label for _level, label in default_form.levels()]
    assert labels == ["满意", "较满意", "一般", "不满意"]


def test_an_attendee_evaluates_once(session, default_form):
    user = UserFactory()
    attended(session, user, status="late")
    receipt = service.submit(session, user, answer(default_form, 4, 4, 3, 4, 2), "好")
    assert receipt.submitted_on == timezone.localdate()
    assert SessionEvaluation.objects.get(session=session).responses == 1
    counted = RatingTally.objects.filter(session=session, count=1)
    assert counted.count() == 5
    assert RatingTally.objects.filter(session=session).count() == 5 * 4
    assert list(EvaluationComment.objects.values_list("text", flat=True)) == ["好"]

    refused("already", session, user, answer(default_form, 4, 4, 4, 4, 4))
    assert SessionEvaluation.objects.get(session=session).responses == 1


@pytest.mark.parametrize("status", ["absent", "on_leave", None])
def test_who_did_not_attend_may_not_evaluate(session, default_form, status):
    user = UserFactory()
    if status:
        attended(session, user, status=status)
    refused("not_attended", session, user, answer(default_form, 4, 4, 4, 4, 4))
    assert nothing_stored()


def test_not_before_the_session_ends(tree, default_form):
    start = timezone.now() - timedelta(minutes=30)
    session = ended_session(tree["village"], hours_ago=-1.5)
    assert session.start <= start + timedelta(minutes=1)
    user = UserFactory()
    attended(session, user)
    error = refused("not_ended", session, user, answer(default_form, 4, 4, 4, 4, 4))
    assert "结束后" in error.message
    assert nothing_stored()


def test_not_after_the_window(session, default_form):
    user = UserFactory()
    attended(session, user)
    later = session.end + timedelta(days=7, minutes=1)
    refused("closed", session, user, answer(default_form, 4, 4, 4, 4, 4), now=later)
    # The window comes from the site setting.
    ratings = answer(default_form, 4, 4, 4, 4, 4)
    service.submit(session, user, ratings, now=later, days=8)


@pytest.mark.parametrize("status", [SessionStatus.CANCELLED, SessionStatus.POSTPONED])
def test_not_a_session_that_did_not_take_place(tree, default_form, status):
    session = ended_session(tree["village"], status=status)
    user = UserFactory()
    attended(session, user)
    refused("not_open", session, user, answer(default_form, 4, 4, 4, 4, 4))
    assert nothing_stored()


@pytest.mark.parametrize(
    ("levels", "code"),
    [
        ((4, 4, 4, 4), "missing"),
        ((4, 4, 4, 4, 5), "out_of_range"),
        ((4, 4, 0, 4, 4), "out_of_range"),
        ((4, 4, "x", 4, 4), "out_of_range"),
        ((4, 4, "", 4, 4), "missing"),
    ],
)
def test_a_missing_or_out_of_range_rating_is_refused(
    session, default_form, levels, code
):
    user = UserFactory()
    attended(session, user)
    refused(code, session, user, answer(default_form, *levels))
    assert nothing_stored()


def test_a_too_long_comment_is_refused(session, default_form):
    user = UserFactory()
    attended(session, user)
    ratings = answer(default_form, 4, 4, 4, 4, 4)
    refused("too_long", session, user, ratings, comment="长" * 1001)
    assert nothing_stored()


# Which table ------------------------------------------------------------------


def test_the_nearest_forum_that_chose_a_table_decides(tree, default_form):
    town_form = make_form("镇评估表", 50, 50, scale=5)
    village_form = make_form("村评估表", 100)
    tree["town"].evaluation_form = town_form
    tree["town"].save()
    in_village = ended_session(tree["village"])
    in_town = ended_session(tree["town"])
    elsewhere = ended_session(tree["sibling"])
    assert service.resolve_form(in_village) == town_form
    assert service.resolve_form(in_town) == town_form
    assert service.resolve_form(elsewhere) == default_form

    tree["village"].evaluation_form = village_form
    tree["village"].save()
    assert service.resolve_form(in_village) == village_form


def test_resolving_costs_the_same_at_any_depth(
    tree, django_assert_num_queries, default_form
):
    tree["district"].evaluation_form = make_form("区评估表", 100)
    tree["district"].save()
    deep = ended_session(tree["village"])
    shallow = ended_session(tree["district"])
    for session in (deep, shallow):
        with django_assert_num_queries(3):
            form = service.resolve_form(session)
            list(form.indicators.all())


def test_the_table_of_the_first_response_sticks(tree, session, default_form):
    users = [UserFactory(), UserFactory()]
    attended(session, *users)
    service.submit(session, users[0], answer(default_form, 4, 4, 4, 4, 4))
    tree["village"].evaluation_form = make_form("新表", 100)
    tree["village"].save()
    assert service.form_in_force(session) == default_form
    service.submit(session, users[1], answer(default_form, 3, 3, 3, 3, 3))
    assert SessionEvaluation.objects.get(session=session).responses == 2


def test_a_five_point_table(tree):
    tree["town"].evaluation_form = make_form("五分制", 1, 1, scale=5)
    tree["town"].save()
    session = ended_session(tree["town"])
    user = UserFactory()
    attended(session, user)
    form = service.form_in_force(session)
    service.submit(session, user, answer(form, 5, 1))
    tallies = RatingTally.objects.filter(session=session, count=1)
    assert sorted(tallies.values_list("level", "points", "satisfied")) == [
        (1, 20, False),
        (5, 100, True),
    ]


# The page ----------------------------------------------------------------------


def test_the_page_asks_for_a_login(client, session):
    response = client.get(session.url + "evaluate/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_takes_an_evaluation_and_lands_on_me(client, session, default_form):
    user = UserFactory()
    attended(session, user)
    client.force_login(user)
    page = client.get(session.url + "evaluate/")
    assert page.status_code == 200
    assert "讲授水平" in page.content.decode()
    data = {
        f"indicator_{pk}": level
        for pk, level in answer(default_form, 4, 3, 4, 4, 4).items()
    }
    response = client.post(session.url + "evaluate/", {**data, "comment": "很实用"})
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert EvaluationReceipt.objects.filter(session=session, user=user).exists()
    again = client.get(session.url + "evaluate/")
    assert again.status_code == 409


def test_the_page_refuses_bad_answers_with_a_message(client, session, default_form):
    user = UserFactory()
    attended(session, user)
    client.force_login(user)
    data = {
        f"indicator_{pk}": level
        for pk, level in answer(default_form, 4, 9, 4, 4).items()
    }
    response = client.post(session.url + "evaluate/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    pks = list(answer(default_form, 1, 1, 1, 1, 1))
    assert set(errors) == {f"indicator_{pks[1]}", f"indicator_{pks[4]}"}
    assert "请为此项评分" in response.content.decode()
    assert nothing_stored()


def test_the_page_refuses_who_did_not_attend_in_chinese(client, session):
    client.force_login(UserFactory())
    response = client.post(
        session.url + "evaluate/", {"indicator_1": "4"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 403
    assert "只有" in response.content.decode() or "出席" in response.content.decode()
    assert nothing_stored()


# /me/ ----------------------------------------------------------------------------


def test_me_lists_sessions_awaiting_evaluation_until_evaluated(
    client, tree, default_form
):
    user = UserFactory()
    waiting = ended_session(tree["village"], title="待评价的讲座")
    too_old = ended_session(tree["village"], hours_ago=24 * 8, title="过期的讲座")
    missed = ended_session(tree["village"], title="缺席的讲座")
    attended(waiting, user)
    attended(too_old, user)
    attended(missed, user, status="absent")
    client.force_login(user)
    html = client.get("/me/").content.decode()
    section = html.split('class="to-evaluate"')[1].split("</section>")[0]
    assert "待评价的讲座" in section
    assert waiting.url + "evaluate/" in section
    assert "过期的讲座" not in section
    assert "缺席的讲座" not in section

    service.submit(waiting, user, answer(default_form, 4, 4, 4, 4, 4))
    assert client.get("/me/").context["to_evaluate"] == []
