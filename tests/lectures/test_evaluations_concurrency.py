"""Evaluations under real concurrency: threads against the real database."""

import pytest
from django.db.models import Sum

from lectures.models import (
    EvaluationComment,
    EvaluationForm,
    EvaluationReceipt,
    RatingTally,
    SessionEvaluation,
)
from lectures.services.evaluations import EvaluationError, submit
from tests.factories import UserFactory, answer, attended, ended_session
from tests.lectures.test_registration_concurrency import all_at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def attempt(session, user, ratings, comment):
    try:
        submit(session, user, ratings, comment)
    except EvaluationError as error:
        return error.code
    return "ok"


def per_indicator_totals(session):
    return set(
        RatingTally.objects.filter(session=session)
        .values("indicator")
        .annotate(n=Sum("count"))
        .values_list("n", flat=True)
    )


def test_one_trainee_submitting_many_times_at_once_counts_once(tree):
    session = ended_session(tree["town"])
    user = UserFactory()
    attended(session, user)
    ratings = answer(EvaluationForm.objects.get(is_default=True), 4, 3, 4, 2, 4)

    outcomes = all_at_once(
        lambda n: attempt(session, user, ratings, f"意见{n}"), range(8)
    )

    assert sorted(outcomes) == ["already"] * 7 + ["ok"]
    assert EvaluationReceipt.objects.filter(session=session).count() == 1
    assert SessionEvaluation.objects.get(session=session).responses == 1
    assert per_indicator_totals(session) == {1}
    assert EvaluationComment.objects.filter(session=session).count() == 1


def test_many_trainees_at_once_are_all_counted(tree):
    session = ended_session(tree["town"])
    users = [UserFactory() for _ in range(16)]
    attended(session, *users)
    ratings = answer(EvaluationForm.objects.get(is_default=True), 4, 4, 3, 4, 1)

    outcomes = all_at_once(
        lambda user: attempt(session, user, ratings, f"{user.username}的意见"), users
    )

    assert outcomes == ["ok"] * 16
    assert SessionEvaluation.objects.get(session=session).responses == 16
    assert EvaluationReceipt.objects.filter(session=session).count() == 16
    assert per_indicator_totals(session) == {16}
    assert EvaluationComment.objects.filter(session=session).count() == 16
