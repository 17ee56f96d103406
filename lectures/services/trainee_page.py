"""What a trainee sees of himself: registrations, attendance, hours, calendar."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.core import signing
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from lectures.filters import day_start
from lectures.models import (
    Attendance,
    PersonalCalendar,
    Registration,
    RegistrationStatus,
    SessionPage,
)
from lectures.services.evaluations import awaiting_evaluation

CALENDAR_SALT = "lectures.personal-calendar"
HISTORY_SHOWN = 50
# What a row linking to a session shows: its title, time, hours and URL
# (`pageurl` reads the url_path).
SESSION_LINK_FIELDS = ("title", "start", "study_hours", "url_path", "content_type")


def year_attendance(year: int):
    """Attendance that earns study hours in a calendar year: present or late
    at a session starting that year (Asia/Shanghai)."""
    start = day_start(timezone.datetime(year, 1, 1).date())
    end = day_start(timezone.datetime(year + 1, 1, 1).date())
    return Attendance.objects.attended().filter(
        session__start__gte=start, session__start__lt=end
    )


def year_hours(user, year: int) -> Decimal:
    """Study hours credited this calendar year: sessions attended (present or late)."""
    total = (
        year_attendance(year)
        .filter(user=user)
        .aggregate(hours=Sum("session__study_hours"))["hours"]
    )
    return total or Decimal("0")


def overview(user, quota: Decimal, evaluation_days: int = 7) -> dict:
    now = timezone.now()
    ahead = (
        Registration.objects.waiting()
        .filter(session_id=OuterRef("session_id"), queued_at__lt=OuterRef("queued_at"))
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    upcoming = list(
        Registration.objects.active()
        .filter(user=user, session__end__gte=now, session__live=True)
        .select_related("session", "session__forum")
        .annotate(ahead=Coalesce(Subquery(ahead), 0))
        .order_by("session__start")
    )
    for registration in upcoming:
        waiting = registration.status == RegistrationStatus.WAITING
        registration.position = registration.ahead + 1 if waiting else None
    history = list(
        Attendance.objects.filter(user=user)
        .select_related("session")
        # The table shows these; fifty full session pages cost more to build
        # than the rest of the page.
        .only("status", *(f"session__{name}" for name in SESSION_LINK_FIELDS))
        .order_by("-session__start")[:HISTORY_SHOWN]
    )
    hours = year_hours(user, timezone.localdate().year)
    return {
        "upcoming": upcoming,
        "history": history,
        "to_evaluate": list(awaiting_evaluation(user, days=evaluation_days, now=now)),
        "hours": hours,
        "quota": quota,
        "hours_short": max(quota - hours, Decimal("0")),
        "calendar_token": calendar_token(user),
    }


def _key(user) -> str:
    calendar, _created = PersonalCalendar.objects.get_or_create(user=user)
    return calendar.key.hex


def calendar_token(user) -> str:
    return signing.Signer(salt=CALENDAR_SALT).sign(f"{user.pk}.{_key(user)}")


def reset_calendar(user) -> str:
    """A new key: every link given out before stops working."""
    PersonalCalendar.objects.update_or_create(user=user, defaults={"key": uuid.uuid4()})
    return calendar_token(user)


def user_for_calendar_token(token: str):
    """The user a calendar link belongs to, or None if forged or reset since."""
    try:
        value = signing.Signer(salt=CALENDAR_SALT).unsign(token)
    except signing.BadSignature:
        return None
    user_pk, _dot, key = value.partition(".")
    calendar = (
        PersonalCalendar.objects.select_related("user")
        .filter(user_id=user_pk if user_pk.isdigit() else None)
        .first()
    )
    if calendar is None or calendar.key.hex != key or not calendar.user.is_active:
        return None
    return calendar.user


def calendar_sessions(user):
    """His registered (not cancelled) and attended sessions, recent and ahead."""
    since = timezone.now() - timedelta(days=90)
    registered = Registration.objects.active().filter(user=user).values("session_id")
    attended = Attendance.objects.attended().filter(user=user).values("session_id")
    return (
        SessionPage.objects.live()
        .filter(pk__in=registered.union(attended))
        .filter(end__gte=since)
        .for_listing()
        .order_by("start")
    )
