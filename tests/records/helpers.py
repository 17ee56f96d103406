"""Rows for the records tests: attended sessions and training elsewhere."""

from datetime import date, datetime
from decimal import Decimal

from records.models import ExternalStatus, ExternalTraining
from tests.factories import SessionFactory, attended
from training_site.dates import day_start

LAST_YEAR = date.today().year - 1


def session_on(parent, day: date, hours: str, *users):
    """A held session on `day` worth `hours`, attended by `users`: a lesson
    if `parent` is a training class (`ClassFactory`)."""
    start = day_start(day).replace(hour=9)
    session = SessionFactory(
        parent=parent,
        start=start,
        end=start.replace(hour=11),
        study_hours=Decimal(hours),
        status="held",
    )
    attended(session, *users)
    return session


def elsewhere(
    user,
    kind: str,
    hours: str,
    *,
    status=ExternalStatus.APPROVED,
    ended: date | None = None,
    **extra,
) -> ExternalTraining:
    ended = ended or date(LAST_YEAR, 6, 30)
    return ExternalTraining.objects.create(
        user=user,
        kind=kind,
        title=extra.pop("title", "专题培训"),
        organiser=extra.pop("organiser", "区委党校"),
        start_date=extra.pop("start_date", ended),
        end_date=ended,
        hours_claimed=Decimal(hours),
        hours=Decimal(hours) if status == ExternalStatus.APPROVED else None,
        status=status,
        **extra,
    )


def noon(day: date) -> datetime:
    return day_start(day).replace(hour=12)
