"""The learning-effect test: grading of each question kind, the server's clock,
attempts, windows, and answers that are not the trainee's to give."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from courses.models import Attempt, AttemptAnswer
from courses.services.assessment import (
    AssessmentError,
    close_expired,
    save_answers,
    start_attempt,
    submit,
    summary,
)
from courses.services.enrolment import assign
from tests.courses.helpers import (
    M_A,
    M_B,
    M_WRONG,
    MULTIPLE,
    RIGHT_ANSWERS,
    S_RIGHT,
    S_WRONG,
    SINGLE,
    TRUE_FALSE,
    bank,
    now_minute,
    take,
)
from tests.factories import (
    ClassFactory,
    UserFactory,
    choice_question,
    question_id,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_class(index):
    """A class whose test is open now: 30 minutes, 2 attempts, pass mark 60."""
    return ClassFactory(
        parent=index,
        questions=bank(),
        test_opens=now_minute() - timedelta(days=1),
        test_closes=now_minute() + timedelta(days=1),
        time_limit=30,
        max_attempts=2,
        pass_mark=60,
    )


@pytest.fixture
def taker(test_class, organiser):
    user = UserFactory()
    assign(test_class, [user], by=organiser)
    return user


def graded(attempt) -> dict[str, bool]:
    return dict(
        AttemptAnswer.objects.filter(attempt=attempt).values_list(
            "question_id", "correct"
        )
    )


# Grading --------------------------------------------------------------------


def test_all_right_scores_full_marks(test_class, taker):
    attempt = take(test_class, taker, RIGHT_ANSWERS)
    assert (attempt.points, attempt.max_points) == (3, 3)
    assert attempt.score == Decimal("100.0")
    assert attempt.passed
    assert graded(attempt) == {SINGLE: True, MULTIPLE: True, TRUE_FALSE: True}


@pytest.mark.parametrize(
    ("chosen", "right"),
    [
        ([S_RIGHT], True),
        ([S_WRONG], False),
        ([], False),
    ],
    ids=["right", "wrong", "blank"],
)
def test_single_choice(test_class, taker, chosen, right):
    attempt = take(test_class, taker, {SINGLE: chosen})
    assert graded(attempt)[SINGLE] is right


@pytest.mark.parametrize(
    ("chosen", "right"),
    [
        ([M_A, M_B], True),
        ([M_B, M_A], True),
        ([M_A], False),
        ([M_A, M_B, M_WRONG], False),
        ([M_WRONG], False),
        ([], False),
    ],
    ids=["exact", "any order", "partial", "one too many", "wrong", "blank"],
)
def test_multiple_choice_is_all_or_nothing(test_class, taker, chosen, right):
    attempt = take(test_class, taker, {MULTIPLE: chosen})
    assert graded(attempt)[MULTIPLE] is right
    assert attempt.points == (1 if right else 0)


@pytest.mark.parametrize(
    ("chosen", "right"), [(["true"], True), (["false"], False), ([], False)]
)
def test_true_false(test_class, taker, chosen, right):
    attempt = take(test_class, taker, {TRUE_FALSE: chosen})
    assert graded(attempt)[TRUE_FALSE] is right


@pytest.mark.parametrize(("pass_mark", "passed"), [(60, True), (67, False), (66, True)])
def test_the_score_against_the_pass_mark(test_class, taker, pass_mark, passed):
    test_class.pass_mark = pass_mark
    test_class.save()
    answers = {**RIGHT_ANSWERS, MULTIPLE: [M_A]}  # two of three right
    attempt = take(test_class, taker, answers)
    assert attempt.score == Decimal("66.7")
    assert attempt.passed is passed


def test_points_weigh_the_score(index, organiser):
    questions = bank()
    questions[0]["value"]["points"] = 7  # the single choice
    class_page = ClassFactory(parent=index, questions=questions)
    user = UserFactory()
    assign(class_page, [user], by=organiser)
    attempt = take(class_page, user, {SINGLE: [S_RIGHT]})
    assert (attempt.points, attempt.max_points) == (7, 9)
    assert attempt.score == Decimal("77.8")


def test_a_submitted_attempt_is_not_graded_again(test_class, taker):
    attempt = take(test_class, taker, {SINGLE: [S_WRONG]})
    again = submit(test_class, taker, attempt.pk, RIGHT_ANSWERS)
    assert again.pk == attempt.pk
    assert again.points == 0
    assert Attempt.objects.get(pk=attempt.pk).points == 0


# The server's clock ------------------------------------------------------------


def test_a_late_submission_counts_as_it_stood_at_the_limit(test_class, taker):
    start = now_minute()
    attempt = start_attempt(test_class, taker, now=start)
    assert attempt.deadline == start + timedelta(minutes=30)
    save_answers(
        test_class, taker, attempt.pk, RIGHT_ANSWERS, now=start + timedelta(minutes=10)
    )
    late = start + timedelta(minutes=45)
    done = submit(
        test_class,
        taker,
        attempt.pk,
        {SINGLE: [S_WRONG], MULTIPLE: [M_WRONG], TRUE_FALSE: ["false"]},
        now=late,
    )
    assert done.points == 3
    assert done.passed
    assert done.submitted_at == attempt.deadline
    assert done.answers == RIGHT_ANSWERS


def test_answers_saved_after_the_limit_are_refused(test_class, taker):
    start = now_minute()
    attempt = start_attempt(test_class, taker, now=start)
    save_answers(test_class, taker, attempt.pk, {SINGLE: [S_WRONG]}, now=start)
    with pytest.raises(AssessmentError) as error:
        save_answers(
            test_class,
            taker,
            attempt.pk,
            {SINGLE: [S_RIGHT]},
            now=start + timedelta(minutes=30, seconds=1),
        )
    assert error.value.code == "time_up"
    assert Attempt.objects.get(pk=attempt.pk).answers == {SINGLE: [S_WRONG]}


def test_answers_posted_with_a_timely_submission_count(test_class, taker):
    start = now_minute()
    attempt = start_attempt(test_class, taker, now=start)
    done = submit(
        test_class, taker, attempt.pk, RIGHT_ANSWERS, now=start + timedelta(minutes=30)
    )
    assert done.points == 3


def test_the_deadline_is_never_after_the_window_closes(index, organiser):
    closes = now_minute() + timedelta(minutes=10)
    class_page = ClassFactory(
        parent=index, questions=bank(), time_limit=60, test_closes=closes
    )
    user = UserFactory()
    assign(class_page, [user], by=organiser)
    assert start_attempt(class_page, user).deadline == closes


def test_an_abandoned_attempt_is_graded_as_it_stood(test_class, taker):
    start = now_minute()
    attempt = start_attempt(test_class, taker, now=start)
    save_answers(test_class, taker, attempt.pk, RIGHT_ANSWERS, now=start)
    assert close_expired(test_class, now=start + timedelta(minutes=29)) == 0
    assert close_expired(test_class, now=start + timedelta(minutes=31)) == 1
    attempt.refresh_from_db()
    assert attempt.points == 3
    assert attempt.submitted_at == attempt.deadline


def test_starting_again_after_the_time_ran_out_grades_the_old_attempt(
    test_class, taker
):
    start = now_minute()
    first = start_attempt(test_class, taker, now=start)
    assert start_attempt(test_class, taker, now=start + timedelta(minutes=5)) == first
    second = start_attempt(test_class, taker, now=start + timedelta(hours=1))
    assert second.number == 2
    first.refresh_from_db()
    assert first.submitted_at == first.deadline
    assert first.points == 0


# Attempts and windows ---------------------------------------------------------


def test_the_attempts_limit(test_class, taker):
    take(test_class, taker, {})
    take(test_class, taker, {})
    with pytest.raises(AssessmentError) as error:
        start_attempt(test_class, taker)
    assert error.value.code == "attempts"
    assert Attempt.objects.filter(user=taker).count() == 2


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(timedelta(hours=1), timedelta(days=1)), (-timedelta(days=2), -timedelta(1))],
    ids=["not yet", "closed"],
)
def test_no_attempt_outside_the_window(test_class, taker, opens, closes):
    test_class.test_opens = now_minute() + opens
    test_class.test_closes = now_minute() + closes
    test_class.save()
    with pytest.raises(AssessmentError) as error:
        start_attempt(test_class, taker)
    assert error.value.code == "closed"
    assert not Attempt.objects.exists()


def test_a_class_without_questions_has_no_test(class_page, organiser):
    user = UserFactory()
    assign(class_page, [user], by=organiser)
    with pytest.raises(AssessmentError) as error:
        start_attempt(class_page, user)
    assert error.value.code == "closed"


def test_only_the_enrolled_take_the_test(test_class):
    with pytest.raises(AssessmentError) as error:
        start_attempt(test_class, UserFactory())
    assert error.value.code == "not_enrolled"


# Answers that are not his to give ------------------------------------------


def test_another_trainees_attempt_is_refused(test_class, taker, organiser):
    other = UserFactory()
    assign(test_class, [other], by=organiser)
    attempt = start_attempt(test_class, taker)
    for call in (save_answers, submit):
        with pytest.raises(AssessmentError) as error:
            call(test_class, other, attempt.pk, RIGHT_ANSWERS)
        assert error.value.code == "not_yours"
    attempt.refresh_from_db()
    assert attempt.answers == {}
    assert attempt.submitted_at is None


def test_an_attempt_of_another_class_is_refused(test_class, taker, index, organiser):
    other_class = ClassFactory(parent=index, questions=bank())
    assign(other_class, [taker], by=organiser)
    attempt = start_attempt(other_class, taker)
    with pytest.raises(AssessmentError) as error:
        submit(test_class, taker, attempt.pk, RIGHT_ANSWERS)
    assert error.value.code == "not_yours"


@pytest.mark.parametrize(
    ("posted", "code"),
    [
        ({question_id(99): [S_RIGHT]}, "question"),
        ({SINGLE: [M_A]}, "option"),
        ({SINGLE: ["not-an-option"]}, "option"),
        ({TRUE_FALSE: ["maybe"]}, "option"),
        ({SINGLE: [S_RIGHT, S_WRONG]}, "single"),
        ({TRUE_FALSE: ["true", "false"]}, "single"),
    ],
    ids=[
        "unknown question",
        "option of another question",
        "unknown option",
        "not true or false",
        "two answers to a single choice",
        "true and false",
    ],
)
def test_tampered_answers_are_refused_and_nothing_is_kept(
    test_class, taker, posted, code
):
    attempt = start_attempt(test_class, taker)
    save_answers(test_class, taker, attempt.pk, {SINGLE: [S_WRONG]})
    for call in (save_answers, submit):
        with pytest.raises(AssessmentError) as error:
            call(test_class, taker, attempt.pk, posted)
        assert error.value.code == code
    attempt.refresh_from_db()
    assert attempt.answers == {SINGLE: [S_WRONG]}
    assert attempt.submitted_at is None
    assert not AttemptAnswer.objects.exists()


# Shuffling --------------------------------------------------------------------


def big_bank(n=12):
    return [
        choice_question(
            question_id(100 + q),
            "single",
            f"第{q}题",
            [(question_id(1000 + q * 10 + o), f"选项{o}", o == 0) for o in range(4)],
        )
        for q in range(n)
    ]


def test_each_attempt_has_its_own_order_of_questions_and_options(index, organiser):
    questions = big_bank()
    class_page = ClassFactory(parent=index, questions=questions)
    users = [UserFactory() for _ in range(4)]
    assign(class_page, users, by=organiser)
    layouts = [start_attempt(class_page, user).layout for user in users]

    options = {
        q["id"]: sorted(o["id"] for o in q["value"]["options"]) for q in questions
    }
    for layout in layouts:
        # Every question once, each with all of its options once.
        assert sorted(item["q"] for item in layout) == sorted(options)
        for item in layout:
            assert sorted(item["o"]) == options[item["q"]]
    question_orders = {tuple(item["q"] for item in layout) for layout in layouts}
    option_orders = {tuple(tuple(item["o"]) for item in layout) for layout in layouts}
    # 12! orders of questions, 24 of each question's options: four attempts
    # all alike by chance is out of the question.
    assert len(question_orders) > 1
    assert len(option_orders) > 1


def test_true_or_false_keeps_its_order(test_class, taker):
    layout = start_attempt(test_class, taker).layout
    (item,) = [item for item in layout if item["q"] == TRUE_FALSE]
    assert item["o"] == ["true", "false"]


# Results ----------------------------------------------------------------------


def test_summary_mean_pass_rate_and_rate_per_question(test_class, organiser):
    users = [UserFactory() for _ in range(4)]
    assign(test_class, users, by=organiser)
    take(test_class, users[0], RIGHT_ANSWERS)  # 100
    take(test_class, users[1], {SINGLE: [S_RIGHT], TRUE_FALSE: ["true"]})  # 66.7
    take(test_class, users[2], {SINGLE: [S_WRONG]})  # 0 ...
    take(test_class, users[2], {SINGLE: [S_RIGHT]})  # ... then 33.3: best counts
    result = summary(test_class)
    assert result.trainees == 3
    assert result.passed == 2
    assert result.pass_rate == Decimal("66.7")
    assert result.mean == Decimal("66.7")  # (100 + 66.7 + 33.3) / 3
    rates = {row.question.id: (row.answered, row.correct) for row in result.questions}
    # Every submitted attempt counts once per question.
    assert rates == {SINGLE: (4, 3), MULTIPLE: (4, 1), TRUE_FALSE: (4, 2)}


# Over HTTP ---------------------------------------------------------------------


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_taking_the_test_over_http(client, test_class, taker):
    client.force_login(taker)
    url = test_class.url + "test/"
    # The page's own URL takes no POST: naming an action there starts nothing.
    assert client.post(url, {"action": "start"}).status_code == 405
    assert not Attempt.objects.exists()
    assert client.post(url + "start/").status_code == 302
    attempt = Attempt.objects.get(user=taker)
    page = client.get(url).content.decode()
    positions = [page.index(f'name="q-{item["q"]}"') for item in attempt.layout]
    assert positions == sorted(positions)  # shown in the attempt's own order

    saved = client.post(url + "save/", {"attempt": attempt.pk, f"q-{SINGLE}": S_RIGHT})
    assert saved.status_code == 200
    assert json.loads(saved.content)["saved"] == 1
    response = client.post(
        url + "submit/",
        {
            "attempt": attempt.pk,
            f"q-{MULTIPLE}": [M_A, M_B],
            f"q-{TRUE_FALSE}": "true",
        },
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.points == 3
    assert "100.0%" in said(response)[0]


def test_another_trainees_attempt_over_http(client, test_class, taker, organiser):
    attempt = start_attempt(test_class, taker)
    other = UserFactory()
    assign(test_class, [other], by=organiser)
    client.force_login(other)
    url = test_class.url + "test/"
    response = client.post(
        url + "submit/", {"attempt": attempt.pk, f"q-{SINGLE}": S_RIGHT}
    )
    assert response.status_code == 302
    assert said(response) == ["这不是您的作答。"]
    response = client.post(
        url + "save/", {"attempt": attempt.pk, f"q-{SINGLE}": S_RIGHT}
    )
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == "这不是您的作答。"
    attempt.refresh_from_db()
    assert attempt.answers == {}
    assert attempt.submitted_at is None


def test_a_tampered_question_over_http(client, test_class, taker):
    attempt = start_attempt(test_class, taker)
    client.force_login(taker)
    url = test_class.url + "test/"
    tampered = {"attempt": attempt.pk, f"q-{question_id(99)}": S_RIGHT}
    response = client.post(url + "save/", tampered)
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == "答卷中含有不属于本次测试的题目。"
    response = client.post(url + "submit/", tampered)
    assert said(response) == ["答卷中含有不属于本次测试的题目。"]
    response = client.post(
        url + "save/", {"attempt": attempt.pk, f"q-{SINGLE}": "forged"}
    )
    assert json.loads(response.content)["error"] == "答卷中含有该题不存在的选项。"
    attempt.refresh_from_db()
    assert attempt.answers == {}
    assert attempt.submitted_at is None


@pytest.mark.parametrize(
    "attempt_id", ["", "abc", "-1", "0", "1e3", "99999999", "99999999999999999999"]
)
def test_junk_attempt_ids_are_refused_not_a_500(client, test_class, taker, attempt_id):
    start_attempt(test_class, taker)
    client.force_login(taker)
    url = test_class.url + "test/"
    response = client.post(url + "submit/", {"attempt": attempt_id})
    assert response.status_code == 302
    assert said(response) == ["这不是您的作答。"]
    response = client.post(url + "save/", {"attempt": attempt_id})
    assert response.status_code == 400
    assert Attempt.objects.get().submitted_at is None


def test_save_after_the_deadline_over_http(client, test_class, taker):
    attempt = start_attempt(test_class, taker, now=now_minute() - timedelta(minutes=40))
    client.force_login(taker)
    response = client.post(
        test_class.url + "test/save/", {"attempt": attempt.pk, f"q-{SINGLE}": S_RIGHT}
    )
    assert response.status_code == 400
    assert json.loads(response.content)["code"] == "time_up"
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_the_test_page_needs_a_login_and_the_right_methods(client, test_class):
    url = test_class.url + "test/"
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.post(url + "save/", {}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url + "save/").status_code == 405
    assert client.put(url).status_code == 405
    assert client.get(url + "start/").status_code == 405
    assert client.get(url + "submit/").status_code == 405
    response = client.post(url, {"action": "explode"})
    assert response.status_code == 405
    assert said(response) == []


def test_an_outsider_cannot_start_over_http(client, test_class):
    client.force_login(UserFactory())
    response = client.post(test_class.url + "test/start/")
    assert response.status_code == 302
    assert len(said(response)) == 1
    assert not Attempt.objects.exists()


def test_explanations_only_after_the_window_closes(client, test_class, taker):
    now = now_minute()
    test_class.test_opens = now - timedelta(hours=3)
    test_class.test_closes = now + timedelta(hours=1)
    test_class.save()
    take(test_class, taker, RIGHT_ANSWERS, now=now - timedelta(hours=2))
    client.force_login(taker)
    url = test_class.url + "test/"
    page = client.get(url).content.decode()
    assert "100.0%" in page
    for explanation in ("条例第一条。", "两项都是。", "见考勤规定。"):
        assert explanation not in page

    test_class.test_closes = now - timedelta(minutes=1)
    test_class.save()
    page = client.get(url).content.decode()
    for explanation in ("条例第一条。", "两项都是。", "见考勤规定。"):
        assert explanation in page


def test_unticking_a_multiple_choice_question_is_kept(client, test_class, taker):
    attempt = start_attempt(test_class, taker)
    client.force_login(taker)
    save = test_class.url + "test/save/"
    # What the page's script posts: the whole form, unticked boxes absent,
    # every question it shows named in `asked`.
    asked = [MULTIPLE, SINGLE]
    client.post(
        save, {"attempt": attempt.pk, "asked": asked, f"q-{MULTIPLE}": [M_A, M_B]}
    )
    client.post(save, {"attempt": attempt.pk, "asked": asked, f"q-{SINGLE}": S_RIGHT})
    attempt.refresh_from_db()
    assert attempt.answers.get(MULTIPLE, []) == []


def test_starting_and_submitting_have_their_own_urls(client, test_class, taker):
    url = test_class.url + "test/"
    assert client.get(url + "start/").status_code == 405
    assert client.post(url + "start/").status_code == 302  # to the login page
    assert not Attempt.objects.exists()
    client.force_login(taker)
    assert client.post(url + "start/")["Location"] == url
    attempt = Attempt.objects.get(user=taker)
    client.post(url + "submit/", {"attempt": attempt.pk, f"q-{SINGLE}": S_RIGHT})
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
