"""The learning-effect test (学习效果测试): attempts, a server-side clock, grading.

The deadline of an attempt is fixed when it starts (the time limit, or the
window's close if sooner). Answers are saved as the trainee goes; whatever
arrives after the deadline is ignored, and the attempt is graded as it stood
at the limit — whether he submits late, or never.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from courses.blocks import Question, QuestionKind
from courses.models import Attempt, AttemptAnswer, ClassPage, Enrolment
from lectures.services.errors import ServiceError

ACTIONS = {
    "courses.test.started": gettext_lazy("Started the class test"),
    "courses.test.submitted": gettext_lazy("Submitted the class test"),
}


class AssessmentError(ServiceError):
    """Why a test could not be started, saved or submitted."""


def _rng() -> random.Random:
    return random.SystemRandom()


def attempts_used(class_page: ClassPage, user) -> int:
    return Attempt.objects.filter(class_page=class_page, user=user).count()


@transaction.atomic
def start_attempt(
    class_page: ClassPage, user, *, now: datetime | None = None
) -> Attempt:
    """The trainee's open attempt, or a new one with its own shuffled order."""
    now = now or timezone.now()
    ClassPage.objects.select_for_update().filter(pk=class_page.pk).first()
    if (
        not Enrolment.objects.enrolled()
        .filter(class_page=class_page, user=user)
        .exists()
    ):
        raise AssessmentError(
            "not_enrolled", _("Only trainees enrolled in the class take its test.")
        )
    current = Attempt.objects.open().filter(class_page=class_page, user=user).first()
    if current is not None:
        if now <= current.deadline:
            return current
        grade(current, now=now)
    if not class_page.test_open(now):
        raise AssessmentError("closed", _("The test is not open."))
    used = attempts_used(class_page, user)
    if used >= class_page.max_attempts:
        raise AssessmentError(
            "attempts", _("You have used all %(n)d attempt(s).") % {"n": used}
        )
    rng = _rng()
    questions = class_page.question_list
    rng.shuffle(questions)
    layout = []
    for question in questions:
        option_ids = [option.id for option in question.options]
        if question.kind != QuestionKind.TRUE_FALSE:
            rng.shuffle(option_ids)
        layout.append({"q": question.id, "o": option_ids})
    deadline = now + timedelta(minutes=class_page.time_limit)
    if class_page.test_closes:
        deadline = min(deadline, class_page.test_closes)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                class_page=class_page,
                user=user,
                number=used + 1,
                started_at=now,
                deadline=deadline,
                layout=layout,
            )
    except IntegrityError as error:
        raise AssessmentError(
            "busy", _("An attempt is already under way; reload the page.")
        ) from error
    log(instance=attempt, action="courses.test.started", user=user)
    return attempt


def _own_attempt(class_page: ClassPage, user, attempt_id) -> Attempt:
    try:
        attempt_id = int(attempt_id)
    except (TypeError, ValueError):
        attempt_id = None
    attempt = (
        Attempt.objects.select_for_update()
        .filter(pk=attempt_id, class_page=class_page, user=user)
        .first()
        if attempt_id
        else None
    )
    if attempt is None:
        raise AssessmentError("not_yours", _("This is not an attempt of yours."))
    return attempt


def _clean_answers(attempt: Attempt, posted: dict[str, list[str]]) -> dict:
    """Keep only answers to questions of this attempt, with options it offered."""
    offered = {item["q"]: item["o"] for item in attempt.layout}
    kinds = {q.id: q.kind for q in attempt.class_page.question_list}
    cleaned = {}
    for question_id, chosen in posted.items():
        if question_id not in offered:
            raise AssessmentError(
                "question", _("An answer names a question that is not in your test.")
            )
        chosen = list(dict.fromkeys(chosen))
        if any(option not in offered[question_id] for option in chosen):
            raise AssessmentError(
                "option", _("An answer names an option the question does not have.")
            )
        if kinds.get(question_id) != QuestionKind.MULTIPLE and len(chosen) > 1:
            raise AssessmentError(
                "single", _("Choose only one answer for a single-choice question.")
            )
        cleaned[question_id] = chosen
    return cleaned


@transaction.atomic
def save_answers(
    class_page: ClassPage,
    user,
    attempt_id,
    posted: dict[str, list[str]],
    *,
    now: datetime | None = None,
) -> Attempt:
    """Keep what the trainee has chosen so far; refused once time is up."""
    now = now or timezone.now()
    attempt = _own_attempt(class_page, user, attempt_id)
    if attempt.submitted_at is not None:
        raise AssessmentError("submitted", _("This attempt has been submitted."))
    if now > attempt.deadline:
        raise AssessmentError(
            "time_up", _("Time is up: answers after the limit are not kept.")
        )
    attempt.answers = {**attempt.answers, **_clean_answers(attempt, posted)}
    attempt.save(update_fields=["answers"])
    return attempt


@transaction.atomic
def submit(
    class_page: ClassPage,
    user,
    attempt_id,
    posted: dict[str, list[str]],
    *,
    now: datetime | None = None,
) -> Attempt:
    """Hand the attempt in and grade it; late answers do not count."""
    now = now or timezone.now()
    attempt = _own_attempt(class_page, user, attempt_id)
    if attempt.submitted_at is not None:
        return attempt
    if now <= attempt.deadline:
        attempt.answers = {**attempt.answers, **_clean_answers(attempt, posted)}
    grade(attempt, now=now)
    log(instance=attempt, action="courses.test.submitted", user=user)
    return attempt


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def one_decimal(value) -> Decimal | None:
    """Scores to one decimal place; SQLite's MAX() hands back a float."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grade(attempt: Attempt, *, now: datetime) -> Attempt:
    """Score the attempt from its saved answers; call inside a transaction."""
    questions: dict[str, Question] = {q.id: q for q in attempt.class_page.question_list}
    rows, points, max_points = [], 0, 0
    for item in attempt.layout:
        question = questions.get(item["q"])
        if question is None:  # removed from the bank since: not counted
            continue
        chosen = attempt.answers.get(question.id, [])
        right = question.is_right(set(chosen))
        max_points += question.points
        points += question.points if right else 0
        rows.append(
            AttemptAnswer(
                attempt=attempt, question_id=question.id, chosen=chosen, correct=right
            )
        )
    AttemptAnswer.objects.filter(attempt=attempt).delete()
    AttemptAnswer.objects.bulk_create(rows)
    attempt.points, attempt.max_points = points, max_points
    attempt.score = percent(points, max_points)
    attempt.passed = attempt.score >= attempt.class_page.pass_mark
    attempt.submitted_at = min(now, attempt.deadline)
    attempt.save()
    return attempt


@transaction.atomic
def close_expired(
    class_page: ClassPage, *, user=None, now: datetime | None = None
) -> int:
    """Grade every attempt left open past its deadline, as it stood then
    (only the user's own, if one is given: he was away when time ran out)."""
    now = now or timezone.now()
    expired = (
        Attempt.objects.select_for_update()
        .open()
        .filter(class_page=class_page, deadline__lt=now)
        .select_related("class_page")
    )
    if user is not None:
        expired = expired.filter(user=user)
    expired = list(expired)
    for attempt in expired:
        grade(attempt, now=now)
    return len(expired)


# Results ------------------------------------------------------------------


@dataclass
class QuestionStat:
    question: Question
    answered: int
    correct: int

    @property
    def rate(self) -> Decimal:
        return percent(self.correct, self.answered)


@dataclass
class TestSummary:
    trainees: int
    mean: Decimal | None
    pass_rate: Decimal
    passed: int
    questions: list[QuestionStat]


def best_attempts(class_page: ClassPage):
    """One row per trainee who submitted: best score and whether he passed."""
    return (
        Attempt.objects.submitted()
        .filter(class_page=class_page)
        .values("user_id")
        .annotate(
            best=Max("score"),
            attempts=Count("pk"),
            passed_any=Count("pk", filter=Q(passed=True)),
        )
        .order_by()
    )


def summary(class_page: ClassPage) -> TestSummary:
    best = list(best_attempts(class_page))
    scores = [one_decimal(row["best"]) for row in best]
    passed = sum(1 for row in best if row["passed_any"])
    stats = {
        row["question_id"]: row
        for row in AttemptAnswer.objects.filter(
            attempt__class_page=class_page, attempt__submitted_at__isnull=False
        )
        .values("question_id")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(correct=True)))
        .order_by()
    }
    questions = [
        QuestionStat(
            question=q,
            answered=stats.get(q.id, {}).get("answered", 0),
            correct=stats.get(q.id, {}).get("correct", 0),
        )
        for q in class_page.question_list
    ]
    mean = None
    if scores:
        mean = (sum(scores) / len(scores)).quantize(Decimal("0.1"))
    return TestSummary(
        trainees=len(best),
        mean=mean,
        pass_rate=percent(passed, len(best)),
        passed=passed,
        questions=questions,
    )
