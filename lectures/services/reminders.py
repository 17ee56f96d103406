"""Periodic notices: the day-before reminder, evaluations waiting, study
hours behind the quota. Each is told once, however often cron runs."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from lectures.counting import ATTENDED
from lectures.models import (
    Attendance,
    EvaluationReceipt,
    Registration,
    SessionPage,
    SessionStatus,
    TraineeProfile,
)
from lectures.notices import session_context
from lectures.services.trainee_page import year_attendance
from training_site.dates import day_after, day_start
from training_site.notify.service import notify


def send_reminders(day: date) -> int:
    """Remind the confirmed registrants of live, scheduled sessions on `day`:
    an in-app message to each, a text message and an email in the background."""
    with transaction.atomic():
        due = list(
            Registration.objects.confirmed()
            .select_for_update(of=("self",))
            .filter(
                reminded_at=None,
                session__live=True,
                session__status=SessionStatus.SCHEDULED,
                session__start__gte=day_start(day),
                session__start__lt=day_after(day),
            )
            .values_list("pk", "session_id", "user_id")
        )
        Registration.objects.filter(pk__in=[pk for pk, _s, _u in due]).update(
            reminded_at=timezone.now()
        )
        by_session = defaultdict(list)
        for _pk, session_id, user_id in due:
            by_session[session_id].append(user_id)
        sessions = SessionPage.objects.filter(pk__in=list(by_session)).only(
            "pk", "title", "start", "venue", "url_path", "path"
        )
        for session in sessions:
            notify(
                by_session[session.pk],
                "lectures.reminder",
                session_context(session),
                link=session.url or "",
                once_key=f"reminder:{session.pk}",
            )
    return len(due)


def tell_evaluations_waiting(*, days: int, now: datetime | None = None) -> int:
    """Ask everyone who attended a session that ended in the last day (and is
    still open for evaluation) to evaluate it, unless he has; once each."""
    now = now or timezone.now()
    sessions = SessionPage.objects.filter(
        live=True,
        end__lte=now,
        end__gt=now - timedelta(days=days),
    ).exclude(status__in=[SessionStatus.CANCELLED, SessionStatus.POSTPONED])
    told = 0
    with transaction.atomic():
        for session in sessions.only(
            "pk", "title", "start", "end", "venue", "url_path", "path"
        ):
            attendees = Attendance.objects.filter(
                session=session, status__in=ATTENDED
            ).exclude(
                user_id__in=EvaluationReceipt.objects.filter(session=session).values(
                    "user_id"
                )
            )
            context = session_context(session)
            until = timezone.localtime(session.end) + timedelta(days=days)
            context["until"] = until.strftime("%Y-%m-%d %H:%M")
            told += notify(
                attendees.values("user_id"),
                "lectures.evaluation.waiting",
                context,
                link=(session.url or "") + "evaluate/",
                once_key=f"evaluate:{session.pk}",
                now=now,
            )
    return told


def tell_hours_behind(quota: Decimal, *, today: date | None = None) -> int:
    """Tell trainees whose study hours this year are behind the share of the
    quota the year so far calls for; once a month each."""
    today = today or timezone.localdate()
    if not quota:
        return 0
    start = date(today.year, 1, 1)
    days_in_year = (date(today.year + 1, 1, 1) - start).days
    expected = (quota * Decimal((today - start).days + 1) / days_in_year).quantize(
        Decimal("0.1")
    )
    earned = dict(
        year_attendance(today.year)
        .order_by()
        .values("user_id")
        .annotate(hours=Sum("session__study_hours"))
        .values_list("user_id", "hours")
    )
    behind = defaultdict(list)
    for user_id in TraineeProfile.objects.filter(Q(user__is_active=True)).values_list(
        "user_id", flat=True
    ):
        hours = earned.get(user_id) or Decimal(0)
        if hours < expected:
            behind[hours].append(user_id)
    told = 0
    with transaction.atomic():
        for hours, users in behind.items():
            told += notify(
                users,
                "lectures.hours.behind",
                {"hours": hours, "quota": quota, "expected": expected},
                link="/me/",
                once_key=f"hours:{today:%Y-%m}",
            )
    return told
