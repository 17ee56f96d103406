"""What a trainee sees of himself: registrations, attendance, hours, calendar."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils import timezone
from django.utils.functional import cached_property

from lectures.counting import attended
from lectures.models import (
    Attendance,
    AttendanceStatus,
    PersonalCalendar,
    Registration,
    RegistrationStatus,
    SessionKind,
    SessionPage,
)
from lectures.services.evaluations import awaiting_evaluation
from lectures.services.registration import may_cancel, waiting_positions
from training_site.dates import day_start

CALENDAR_SALT = "lectures.personal-calendar"
HISTORY_SHOWN = 50


@dataclass(frozen=True)
class SessionLink:
    """What a row of his page shows of a session, read as a few columns: his
    lists run to dozens of sessions, and building a session page for each
    cost more than the rest of the page. Templates link it with
    `{% path_url session.url_path %}` (lectures/templatetags/page_links.py)."""

    pk: int
    title: str
    start: datetime
    url_path: str
    study_hours: Decimal | None = None
    venue: str = ""
    kind: str = ""
    forum_title: str | None = None

    @property
    def is_lesson(self) -> bool:
        return self.kind == SessionKind.LESSON

    # As `|date:"Y-m-d"` and `|time:"H:i"` show it, at a tenth of the cost
    # (the filters' general formatter costs more than the rest of a row).
    @cached_property
    def _local_start(self) -> datetime:
        return timezone.localtime(self.start)

    @property
    def day(self) -> str:
        return self._local_start.strftime("%Y-%m-%d")

    @property
    def clock(self) -> str:
        return self._local_start.strftime("%H:%M")


def _with_links(queryset, fields, *own, through: str = "", limit=None):
    """(SessionLink, *own values) for each row of `queryset`: the session's
    pk, title, start, url_path and `fields`, reached `through` a foreign key
    or, without one, the rows' own."""
    names = ("pk", "title", "start", "url_path", *fields)
    prefix = f"{through}__" if through else ""
    rows = queryset.values_list(*(prefix + name for name in names), *own)
    if limit is not None:
        rows = rows[:limit]
    keys = [name.replace("__", "_") for name in names]
    return [
        (SessionLink(**dict(zip(keys, row, strict=False))), *row[len(names) :])
        for row in rows
    ]


@dataclass(frozen=True)
class UpcomingRow:
    session: SessionLink
    status: str
    position: int | None  # in the waiting list
    can_cancel: bool = False

    @property
    def status_label(self) -> str:
        return RegistrationStatus(self.status).label

    @property
    def waiting(self) -> bool:
        return self.status == RegistrationStatus.WAITING


@dataclass(frozen=True)
class HistoryRow:
    session: SessionLink
    status: str

    @property
    def status_label(self) -> str:
        return AttendanceStatus(self.status).label

    @property
    def attended(self) -> bool:
        """Present or late: the session's study hours are his."""
        return attended(self.status)


def year_attendance(year: int):
    """Attendance that earns study hours in a calendar year: present or late
    at a session starting that year (Asia/Shanghai)."""
    start = day_start(timezone.datetime(year, 1, 1).date())
    end = day_start(timezone.datetime(year + 1, 1, 1).date())
    return Attendance.objects.attended().filter(
        session__start__gte=start, session__start__lt=end
    )


def overview(user, evaluation_days: int = 7) -> dict:
    """His registrations, attendance and evaluations waiting. His study hours
    are the ledger's (`records.services.ledger`), shown by its own panel."""
    now = timezone.now()
    registrations = (
        Registration.objects.active()
        .filter(user=user, session__end__gte=now, session__live=True)
        .order_by("session__start")
    )
    rows = _with_links(
        registrations,
        ("venue", "kind"),
        "status",
        "queued_at",
        "session__end",
        through="session",
    )
    # His place in line where he waits: a query only then (an annotation
    # counting the line for every row cost more than the rest of the list).
    positions = waiting_positions(
        {
            session.pk: queued_at
            for session, status, queued_at, _end in rows
            if status == RegistrationStatus.WAITING
        }
    )
    upcoming = [
        UpcomingRow(
            session=session,
            status=status,
            position=positions.get(session.pk),
            can_cancel=may_cancel(session.kind, session.start, now),
        )
        for session, status, _queued_at, _end in rows
    ]
    attendances = Attendance.objects.filter(user=user).order_by("-session__start")
    history = [
        HistoryRow(session=session, status=status)
        for session, status in _with_links(
            attendances,
            ("study_hours",),
            "status",
            through="session",
            limit=HISTORY_SHOWN,
        )
    ]
    return {
        "upcoming": upcoming,
        "history": history,
        # When this reads differently by the clock alone: an upcoming
        # session's start (no more cancelling) and end (off the list); the
        # evaluation windows are `evaluation_moments`.
        "changes_at": [
            moment for session, *_, end in rows for moment in (session.start, end)
        ],
        "to_evaluate": [
            session
            for (session,) in _with_links(
                awaiting_evaluation(user, days=evaluation_days, now=now),
                ("forum__title",),
            )
        ],
    }


def evaluation_moments(user, days: int, now: datetime) -> list[datetime]:
    """When sessions he attended enter and leave `awaiting_evaluation`:
    their ends, and `days` after (evaluated or not: one query of a column)."""
    ends = (
        Attendance.objects.attended()
        .filter(user=user, session__end__gt=now - timedelta(days=days))
        .values_list("session__end", flat=True)
    )
    return [moment for end in ends for moment in (end, end + timedelta(days=days))]


@dataclass(frozen=True)
class ProfileHeading:
    real_name: str
    unit_display: str
    position: str
    rank: str
    mobile: str


def heading(user) -> tuple[ProfileHeading | None, str]:
    """His name, unit and position as the page's heading shows them
    (`TraineeProfile.unit_display`), and his calendar link's token, in one
    query of a few columns (the calendar's key is made on his first visit)."""
    columns = (
        "real_name",
        "unit_name",
        "unit_forum__unit_name",
        "position",
        "rank__name",
        "mobile",
        "pk",
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            *(f"trainee__{name}" for name in columns), "personal_calendar__key"
        )
        .first()
    )
    real_name, unit_name, forum_unit_name, position, rank, mobile, profile, key = row
    token = calendar_token(user, key.hex if key else None)
    if profile is None:
        return None, token
    profile = ProfileHeading(
        real_name, unit_name or forum_unit_name or "", position, rank or "", mobile
    )
    return profile, token


def _key(user) -> str:
    calendar, _created = PersonalCalendar.objects.get_or_create(user=user)
    return calendar.key.hex


def calendar_token(user, key: str | None = None) -> str:
    """The token of his calendar link (`key`: his calendar's, if already read)."""
    return signing.Signer(salt=CALENDAR_SALT).sign(f"{user.pk}.{key or _key(user)}")


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
