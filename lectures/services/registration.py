"""Registration: capacity that never overbooks, a waiting list, promotion on cancel.

Every function owns its transaction and first locks the session row, so the
confirmed count it reads cannot change before it writes: on PostgreSQL by
`SELECT … FOR UPDATE`, on SQLite because transactions begin IMMEDIATE (one
writer at a time). The database's unique constraint (one registration per
trainee and session) backs the rest.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from lectures.models import (
    ForumPage,
    Registration,
    RegistrationStatus,
    SessionKind,
    SessionPage,
    SessionStatus,
)
from lectures.models.sessions import AudienceScope
from lectures.notices import session_context
from lectures.services.errors import ServiceError
from training_site.notify.service import notify


class RegistrationError(ServiceError):
    """Why a registration or cancellation was refused."""


@dataclass(frozen=True)
class Seats:
    capacity: int | None
    confirmed: int
    waiting: int

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)


ACTIONS = {
    "lectures.registration.confirmed": gettext_lazy("Registered"),
    "lectures.registration.waiting": gettext_lazy("Joined the waiting list"),
    "lectures.registration.promoted": gettext_lazy("Promoted from the waiting list"),
    "lectures.registration.cancelled": gettext_lazy("Cancelled a registration"),
}


def seats(session: SessionPage) -> Seats:
    counts = session.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    )
    return Seats(capacity=session.capacity, **counts)


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in line; None when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    places = {registration.session_id: registration.queued_at}
    return waiting_positions(places)[registration.session_id]


def waiting_positions(places: dict[int, datetime]) -> dict[int, int]:
    """One trainee's place in several waiting lists (1: first in line), from
    `places`, session id → when he joined its list: one query, counted by
    the database per session, none when he waits nowhere."""
    if not places:
        return {}
    ahead = Q()
    for session_id, queued_at in places.items():
        ahead |= Q(session_id=session_id, queued_at__lt=queued_at)
    counted = dict(
        Registration.objects.waiting()
        .filter(ahead)
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    return {session_id: counted.get(session_id, 0) + 1 for session_id in places}


def _locked(session: SessionPage) -> SessionPage:
    return SessionPage.objects.select_for_update().get(pk=session.pk)


class WindowState(models.TextChoices):
    """Where a session's registration stands, as the page shows it."""

    LESSON = "lesson", gettext_lazy("A lesson: enrol in its class")
    UNAVAILABLE = "unavailable", gettext_lazy("Not taking registrations")
    NOT_YET = "not_yet", gettext_lazy("Registration not open yet")
    OPEN = "open", gettext_lazy("Registration open")
    FULL = "full", gettext_lazy("Full: waiting list")
    CLOSED = "closed", gettext_lazy("Registration closed")
    STARTED = "started", gettext_lazy("Started")


@dataclass(frozen=True)
class Window:
    """A session's registration window at one moment: the one place that
    says whether registering can succeed (`register` asks it too)."""

    state: str
    opens: datetime | None
    closes: datetime

    @property
    def can_register(self) -> bool:
        """Registering would succeed (a seat, or a place in line when full)."""
        return self.state in (WindowState.OPEN, WindowState.FULL)

    @property
    def label(self) -> str:
        return WindowState(self.state).label

    # Flags for templates, which never compare states themselves.
    @property
    def is_not_yet(self) -> bool:
        return self.state == WindowState.NOT_YET

    @property
    def is_open(self) -> bool:
        return self.state == WindowState.OPEN

    @property
    def is_full(self) -> bool:
        return self.state == WindowState.FULL

    @property
    def is_closed(self) -> bool:
        return self.state in (WindowState.CLOSED, WindowState.STARTED)


def closes_at(session: SessionPage) -> datetime:
    """When registration closes: its own closing time, never after the start."""
    closes = session.registration_closes
    return min(closes, session.start) if closes else session.start


def registration_window(
    session: SessionPage, *, confirmed: int, now: datetime | None = None
) -> Window:
    """The window of `session` with `confirmed` seats taken."""
    now = now or timezone.now()
    closes = closes_at(session)

    def at(state: str) -> Window:
        return Window(state=state, opens=session.registration_opens, closes=closes)

    if session.kind == SessionKind.LESSON:
        return at(WindowState.LESSON)
    if not session.live or session.status != SessionStatus.SCHEDULED:
        return at(WindowState.UNAVAILABLE)
    if now >= session.start:
        return at(WindowState.STARTED)
    if session.registration_opens and now < session.registration_opens:
        return at(WindowState.NOT_YET)
    if now >= closes:
        return at(WindowState.CLOSED)
    if session.capacity is not None and confirmed >= session.capacity:
        return at(WindowState.FULL)
    return at(WindowState.OPEN)


def attach_windows(sessions, *, now: datetime | None = None) -> None:
    """Set `registration_window` on each session of a list, counting the
    seats taken of all of them in one query (none when no session has both
    a capacity and a window that could be open)."""
    now = now or timezone.now()
    sessions = list(sessions)
    limited = [
        s.pk
        for s in sessions
        if s.capacity is not None
        and registration_window(s, confirmed=0, now=now).state == WindowState.OPEN
    ]
    confirmed = {}
    if limited:
        confirmed = dict(
            Registration.objects.confirmed()
            .filter(session__in=limited)
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values_list("session", "n")
        )
    for session in sessions:
        session.registration_window = registration_window(
            session, confirmed=confirmed.get(session.pk, 0), now=now
        )


def may_cancel(kind: str, start: datetime, now: datetime | None = None) -> bool:
    """Whether a registration for a session of `kind` starting at `start` may
    still be cancelled: lectures only (a lesson asks its class for leave),
    before the start."""
    return kind != SessionKind.LESSON and (now or timezone.now()) < start


@dataclass(frozen=True)
class Standing:
    """A visitor's standing at a session: the window, his registration (if
    any), his place in line, and what he may do — flags for the page."""

    window: Window
    registration: Registration | None
    position: int | None
    may_cancel: bool
    logged_in: bool
    in_audience: bool = True

    @property
    def is_confirmed(self) -> bool:
        return (
            self.registration is not None
            and self.registration.status == RegistrationStatus.CONFIRMED
        )

    @property
    def can_register(self) -> bool:
        return (
            self.logged_in
            and self.registration is None
            and self.window.can_register
            and self.in_audience
        )

    @property
    def outside_audience(self) -> bool:
        """He could register but for his unit: the page says why."""
        return (
            self.logged_in
            and self.registration is None
            and self.window.can_register
            and not self.in_audience
        )

    @property
    def can_log_in_to_register(self) -> bool:
        return not self.logged_in and self.window.can_register

    @property
    def can_cancel(self) -> bool:
        return self.registration is not None and self.may_cancel


def standing(
    session: SessionPage, user, *, now: datetime | None = None
) -> tuple[Standing, Seats]:
    """The visitor's standing at `session` and its seats, as the page shows them."""
    now = now or timezone.now()
    taken = seats(session)
    mine = None
    logged_in = bool(user and user.is_authenticated)
    if logged_in:
        mine = session.registrations.active().filter(user=user).first()
    window = registration_window(session, confirmed=taken.confirmed, now=now)
    result = Standing(
        window=window,
        registration=mine,
        position=waiting_position(mine) if mine else None,
        may_cancel=may_cancel(session.kind, session.start, now),
        logged_in=logged_in,
        in_audience=(
            in_audience(session, user)
            if logged_in and mine is None and window.can_register
            else True
        ),
    )
    return result, taken


_REFUSALS = {
    WindowState.LESSON: gettext_lazy(
        "This is a lesson of a training class: enrol in the class."
    ),
    WindowState.UNAVAILABLE: gettext_lazy("This session is not taking registrations."),
    WindowState.STARTED: gettext_lazy(
        "The session has started; registration is closed."
    ),
    WindowState.CLOSED: gettext_lazy("Registration for this session has closed."),
}


def _check_open(session: SessionPage, now: datetime) -> None:
    window = registration_window(session, confirmed=0, now=now)
    if window.can_register:
        return
    if window.state == WindowState.NOT_YET:
        when = timezone.localtime(window.opens)
        raise RegistrationError(
            "not_yet",
            _("Registration opens at %(when)s.")
            % {"when": when.strftime("%Y-%m-%d %H:%M")},
        )
    unavailable = window.state == WindowState.UNAVAILABLE
    code = "not_open" if unavailable else str(window.state)
    raise RegistrationError(code, str(_REFUSALS[window.state]))


def in_audience(session: SessionPage, user) -> bool:
    """Whether `user` may register for `session` by its audience: anyone,
    or (a session limited to its forum's units) a trainee of a unit at or
    below its forum. A query only for a limited session."""
    if session.audience_scope != AudienceScope.SUBTREE:
        return True
    forum = ForumPage.objects.filter(trainees__user=user).only("path").first()
    return (
        forum is not None
        and session.forum is not None
        and forum.path.startswith(session.forum.path)
    )


def _check_audience(session: SessionPage, user) -> None:
    if not in_audience(session, user):
        raise RegistrationError(
            "not_in_audience",
            _("This session is only open to units of %(forum)s and below.")
            % {"forum": session.forum.title if session.forum else ""},
        )


def _log(registration: Registration, action: str, user) -> None:
    log(instance=registration, action=action, user=user)


@transaction.atomic
def register(
    session: SessionPage, user, *, now: datetime | None = None
) -> Registration:
    """Confirm a seat, or a place on the waiting list when the session is full.

    Registering again is harmless: the existing registration is returned.
    """
    now = now or timezone.now()
    session = _locked(session)
    existing = Registration.objects.filter(session=session, user=user).first()
    if existing and existing.status != RegistrationStatus.CANCELLED:
        return existing
    _check_open(session, now)
    _check_audience(session, user)

    confirmed = session.registrations.confirmed().count()
    registration = existing or Registration(session=session, user=user)
    registration.cancelled_at = None
    if session.capacity is None or confirmed < session.capacity:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at, registration.queued_at = now, None
        action = "lectures.registration.confirmed"
    else:
        registration.status = RegistrationStatus.WAITING
        registration.queued_at, registration.confirmed_at = now, None
        action = "lectures.registration.waiting"
    registration.save()
    _log(registration, action, user)
    context = session_context(session)
    if registration.status == RegistrationStatus.WAITING:
        context["position"] = str(waiting_position(registration))
    notify([user], action, context, link=session.url or "", now=now)
    return registration


@transaction.atomic
def cancel(session: SessionPage, user, *, now: datetime | None = None) -> Registration:
    """Give up a seat (or a place in line); a freed seat goes to the first in line."""
    now = now or timezone.now()
    session = _locked(session)
    if session.is_lesson:
        raise RegistrationError(
            "lesson",
            _("This is a lesson of a training class: ask the class for leave."),
        )
    registration = (
        Registration.objects.active().filter(session=session, user=user).first()
    )
    if registration is None:
        raise RegistrationError(
            "not_registered", _("You are not registered for this session.")
        )
    if not may_cancel(session.kind, session.start, now):
        raise RegistrationError(
            "started",
            _("The session has started; registrations can no longer be cancelled."),
        )
    freed_a_seat = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save()
    _log(registration, "lectures.registration.cancelled", user)
    if freed_a_seat:
        promote_next(session, now=now)
    return registration


def promote_next(session: SessionPage, *, now: datetime) -> Registration | None:
    """Confirm the first in line if a seat is free; call with the session locked."""
    confirmed = session.registrations.confirmed().count()
    if session.capacity is not None and confirmed >= session.capacity:
        return None
    first = Registration.objects.in_line().filter(session=session).first()
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first.confirmed_at = now
    first.save(update_fields=["status", "confirmed_at"])
    _log(first, "lectures.registration.promoted", None)
    notify(
        [first.user_id],
        "lectures.registration.promoted",
        session_context(session),
        link=session.url or "",
        now=now,
    )
    return first
