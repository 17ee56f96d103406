"""Periodic notices: the day-before reminder and evaluations waiting. Each
is told once, however often cron runs. (Study hours behind the quota are
`stats.warnings`, the monthly `hours_warnings`.)"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from lectures.counting import ATTENDED
from lectures.models import (
    Attendance,
    EvaluationReceipt,
    Registration,
    SessionPage,
    SessionStatus,
)
from lectures.notices import session_context
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
