"""Evaluating a session: which table, who may, when, once — and anonymously.

`submit` owns its transaction and first locks the session row (PostgreSQL
`SELECT … FOR UPDATE`; SQLite transactions begin IMMEDIATE), so two answers
of one trainee at once give one receipt, and tallies are counted one
response at a time. The unique receipt (session, user) backs it up.

Anonymity: the receipt (who) is written apart from the answers (what). A
response adds 1 to tallies — and every tally row of the session is rewritten
by the same statement, so no row's physical position or version says which
levels the last respondent chose. Comments get random ids, no time, and the
session's comments are rewritten in a random order on each new one, so the
physical row order (SQLite rowid, PostgreSQL ctid) does not follow the order
of the receipts either.
"""

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, Site

from lectures.models import (
    ATTENDED,
    Attendance,
    EvaluationComment,
    EvaluationForm,
    EvaluationFormHost,
    EvaluationReceipt,
    ParticipationSettings,
    RatingTally,
    SessionEvaluation,
    SessionPage,
    SessionStatus,
)
from lectures.models.evaluations import is_satisfied, level_points
from lectures.services.errors import ServiceError

COMMENT_MAX_LENGTH = 1000
LOG_ACTION = "lectures.evaluation.submitted"


class EvaluationError(ServiceError):
    """Why an evaluation was refused."""


# Which table ---------------------------------------------------------------


@cache
def host_models() -> tuple[type, ...]:
    """The concrete models that hold an `evaluation_form` column (one per table).

    Forum tiers share `ForumPage`'s table; a training class page (in
    `courses`) brings its own. Found by subclassing, so `lectures` needs no
    import of whoever hosts a table.
    """
    owners = []
    for model in apps.get_models():
        if issubclass(model, EvaluationFormHost) and issubclass(model, Page):
            owner = model._meta.get_field("evaluation_form").model
            if owner not in owners:
                owners.append(owner)
    return tuple(owners)


def ancestor_paths(path: str) -> list[str]:
    return [path[:end] for end in range(Page.steplen, len(path), Page.steplen)]


def resolve_form(session: SessionPage) -> EvaluationForm | None:
    """The table of the nearest ancestor that chose one, else the default.

    Three queries whatever the depth: the hosts above (one UNION over the
    host tables), the table, its indicators.
    """
    paths = ancestor_paths(session.path)
    chosen = None
    if paths:
        queries = [
            model.objects.filter(path__in=paths, evaluation_form__isnull=False)
            .order_by()
            .values_list("path", "evaluation_form_id")
            for model in host_models()
        ]
        rows = list(queries[0].union(*queries[1:])) if queries else []
        if rows:
            chosen = max(rows, key=lambda row: len(row[0]))[1]
    forms = EvaluationForm.objects.prefetch_related("indicators")
    if chosen is not None:
        return forms.filter(pk=chosen).first()
    return forms.default().first()


def form_in_force(session: SessionPage) -> EvaluationForm | None:
    """The table a session is evaluated with: fixed by its first response."""
    envelope = (
        SessionEvaluation.objects.filter(session=session)
        .select_related("form")
        .prefetch_related("form__indicators")
        .first()
    )
    return envelope.form if envelope else resolve_form(session)


# Who and when -------------------------------------------------------------------


def window_days(site: Site | None = None) -> int:
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ParticipationSettings._meta.get_field("evaluation_window_days").default
    return ParticipationSettings.for_site(site).evaluation_window_days


def check_may_evaluate(session: SessionPage, user, *, now: datetime, days: int) -> None:
    """Raise `EvaluationError` unless the user may evaluate the session now."""
    if not session.live or session.status in (
        SessionStatus.CANCELLED,
        SessionStatus.POSTPONED,
    ):
        raise EvaluationError("not_open", _("This session is not being evaluated."))
    if now < session.end:
        raise EvaluationError(
            "not_ended",
            _("Evaluation opens when the session ends (%(when)s).")
            % {"when": timezone.localtime(session.end).strftime("%Y-%m-%d %H:%M")},
        )
    if now > session.end + timedelta(days=days):
        raise EvaluationError(
            "closed",
            _("Evaluation of this session closed %(days)d days after it ended.")
            % {"days": days},
        )
    if not Attendance.objects.attended().filter(session=session, user=user).exists():
        raise EvaluationError(
            "not_attended",
            _("Only those who attended this session (present or late) may evaluate."),
        )
    if EvaluationReceipt.objects.filter(session=session, user=user).exists():
        raise EvaluationError(
            "already", _("You have already evaluated this session. Thank you.")
        )


# The answer -----------------------------------------------------------------------


def clean_ratings(form: EvaluationForm, ratings: Mapping) -> dict[int, int]:
    """Every indicator rated once, on the table's scale; else a refusal."""
    cleaned = {}
    for indicator in form.indicators.all():
        raw = ratings.get(indicator.pk, ratings.get(str(indicator.pk)))
        if raw in (None, ""):
            raise EvaluationError(
                "missing",
                _("Please rate “%(indicator)s”.") % {"indicator": indicator.name},
            )
        try:
            level = int(raw)
        except (TypeError, ValueError):
            level = 0
        if not 1 <= level <= form.scale:
            raise EvaluationError(
                "out_of_range",
                _("The rating of “%(indicator)s” is not on the scale.")
                % {"indicator": indicator.name},
            )
        cleaned[indicator.pk] = level
    return cleaned


def clean_comment(form: EvaluationForm, comment: str | None) -> str:
    text = (comment or "").strip()
    if not form.allow_comments:
        return ""
    if len(text) > COMMENT_MAX_LENGTH:
        raise EvaluationError(
            "too_long",
            _("Please keep the comment within %(n)d characters.")
            % {"n": COMMENT_MAX_LENGTH},
        )
    return text


def _make_tallies(session: SessionPage, form: EvaluationForm) -> None:
    RatingTally.objects.bulk_create(
        [
            RatingTally(
                session=session,
                indicator=indicator,
                level=level,
                points=level_points(form.scale, level),
                weight=indicator.weight,
                satisfied=is_satisfied(form.scale, level),
            )
            for indicator in form.indicators.all()
            for level in range(1, form.scale + 1)
        ]
    )


def _count(session: SessionPage, levels: dict[int, int]) -> None:
    """+1 on the chosen tallies, in one statement that rewrites them all."""
    chosen = Q(pk__in=[])
    for indicator_id, level in levels.items():
        chosen |= Q(indicator_id=indicator_id, level=level)
    RatingTally.objects.filter(session=session).update(
        count=F("count") + Case(When(chosen, then=1), default=0)
    )


def _add_comment(session: SessionPage, text: str) -> None:
    """Rewrite the session's comments, the new one among them, in random order."""
    texts = list(
        EvaluationComment.objects.filter(session=session).values_list("text", flat=True)
    )
    texts.append(text)
    secrets.SystemRandom().shuffle(texts)
    EvaluationComment.objects.filter(session=session).delete()
    EvaluationComment.objects.bulk_create(
        [EvaluationComment(session=session, text=t) for t in texts]
    )


@transaction.atomic
def submit(
    session: SessionPage,
    user,
    ratings: Mapping,
    comment: str | None = "",
    *,
    now: datetime | None = None,
    days: int | None = None,
) -> EvaluationReceipt:
    """Record one trainee's evaluation: a receipt for him, anonymous counts apart.

    `ratings` maps indicator ids to levels (1 … the table's scale). Refused
    (nothing stored) if he did not attend, outside the window, a second time,
    or with a missing or out-of-range rating.
    """
    now = now or timezone.now()
    days = window_days() if days is None else days
    session = SessionPage.objects.select_for_update().get(pk=session.pk)
    check_may_evaluate(session, user, now=now, days=days)
    form = form_in_force(session)
    if form is None or not form.indicators.all():
        raise EvaluationError(
            "no_form", _("No evaluation form has been set up for this session.")
        )
    levels = clean_ratings(form, ratings)
    text = clean_comment(form, comment)
    try:
        with transaction.atomic():
            receipt = EvaluationReceipt.objects.create(
                session=session, user=user, submitted_on=timezone.localdate(now)
            )
    except IntegrityError as error:
        raise EvaluationError(
            "already", _("You have already evaluated this session. Thank you.")
        ) from error
    envelope, created = SessionEvaluation.objects.get_or_create(
        session=session, defaults={"form": form}
    )
    if created:
        _make_tallies(session, form)
    _count(session, levels)
    SessionEvaluation.objects.filter(pk=envelope.pk).update(
        responses=F("responses") + 1
    )
    if text:
        _add_comment(session, text)
    # The log names the receipt (who, when), never the answers.
    log(instance=receipt, action=LOG_ACTION, user=user)
    return receipt


def awaiting_evaluation(user, *, days: int, now: datetime | None = None):
    """Sessions he attended whose window is open and that he has not evaluated."""
    now = now or timezone.now()
    attended = Attendance.objects.filter(user=user, status__in=ATTENDED)
    evaluated = EvaluationReceipt.objects.filter(user=user)
    # One filter rather than a chain: each step of a chain copies the query.
    return SessionPage.objects.filter(
        Q(pk__in=attended.values("session_id"))
        & ~Q(pk__in=evaluated.values("session_id"))
        & ~Q(status__in=[SessionStatus.CANCELLED, SessionStatus.POSTPONED]),
        live=True,
        end__lte=now,
        end__gt=now - timedelta(days=days),
    ).order_by("end")
