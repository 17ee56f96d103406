"""Check-in: rotating signed QR tokens, short codes, and the attendance rules.

A token or code is only good for a short time, so a photo of the screen sent
to a friend has expired before it is of use; and whoever presents it is
checked in as himself (the logged-in user), never as someone else.
Nothing is kept in process memory: tokens are signed, codes are derived from
the secret key and the clock, and attempt counters live in the database
cache, shared by every process.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lectures.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    SessionPage,
    SessionStatus,
)
from lectures.services.errors import ServiceError
from training_site.audit import log_at_once
from training_site.prepared import get_by, insert

ROTATION_SECONDS = 30
TOKEN_MAX_AGE = 90  # a token shown on screen stays good for three rotations
OPENS_BEFORE = timedelta(minutes=30)
LATE_AFTER = timedelta(minutes=10)
MAX_WRONG_CODES_PER_USER = 5
MAX_WRONG_CODES_PER_SESSION = 200
WRONG_CODE_WINDOW = 15 * 60

LOG_ACTION = "lectures.attendance.checked_in"


class CheckInError(ServiceError):
    """Why a check-in was refused."""


@dataclass(frozen=True)
class Credentials:
    """What the organiser's screen shows right now."""

    token: str
    code: str
    rotates_in: int


def _salt(session: SessionPage) -> str:
    return f"lectures.checkin.{session.pk}"


def _slot(moment: datetime) -> int:
    return int(moment.timestamp()) // ROTATION_SECONDS


def code_for(session: SessionPage, slot: int) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"checkin-code:{session.pk}:{slot}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"


def current_credentials(
    session: SessionPage, now: datetime | None = None
) -> Credentials:
    now = now or timezone.now()
    slot = _slot(now)
    token = signing.TimestampSigner(salt=_salt(session)).sign(str(slot))
    return Credentials(
        token=token,
        code=code_for(session, slot),
        rotates_in=ROTATION_SECONDS - int(now.timestamp()) % ROTATION_SECONDS,
    )


def verify_token(session: SessionPage, token: str) -> None:
    try:
        signing.TimestampSigner(salt=_salt(session)).unsign(
            token, max_age=TOKEN_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise CheckInError(
            "expired", _("This QR code has expired. Scan the one on screen now.")
        ) from error
    except signing.BadSignature as error:
        raise CheckInError(
            "bad_token", _("This QR code does not belong to this session.")
        ) from error


def _wrong_code_keys(session: SessionPage, user) -> tuple[str, str]:
    return (f"checkin:wrong:{session.pk}:{user.pk}", f"checkin:wrong:{session.pk}")


def _refuse_guess(verdict: str) -> None:
    if verdict == "too_many":
        raise CheckInError(
            "too_many",
            _("Too many wrong codes. Ask the organiser or scan the QR code."),
        )
    if verdict == "wrong_code":
        raise CheckInError("wrong_code", _("That code is not right, or has expired."))


def _count_guess(session: SessionPage, user, code: str, now: datetime) -> str:
    cache = caches["counters"]
    user_key, session_key = _wrong_code_keys(session, user)
    wrong = cache.get_many([user_key, session_key])  # one round trip
    if (wrong.get(user_key) or 0) >= MAX_WRONG_CODES_PER_USER or (
        wrong.get(session_key) or 0
    ) >= MAX_WRONG_CODES_PER_SESSION:
        return "too_many"
    slot = _slot(now)
    valid = {code_for(session, s) for s in (slot, slot - 1)}
    if (code or "").strip() in valid:
        return "right"
    for key in (user_key, session_key):
        cache.add(key, 0, WRONG_CODE_WINDOW)
        cache.incr(key)
    return "wrong_code"


def check_window(session: SessionPage, now: datetime) -> None:
    if session.status in (SessionStatus.CANCELLED, SessionStatus.POSTPONED):
        raise CheckInError("not_open", _("This session is not taking place."))
    if now < session.start - OPENS_BEFORE:
        raise CheckInError(
            "too_early", _("Check-in opens 30 minutes before the start.")
        )
    if now > session.end:
        raise CheckInError("closed", _("Check-in has closed: the session has ended."))


def check_in(
    session: SessionPage,
    user,
    *,
    method: str,
    token: str | None = None,
    code: str | None = None,
    now: datetime | None = None,
) -> Attendance:
    """Check the user in as himself; a second check-in returns the first.

    One short write transaction: a typed code is judged with the session row
    locked — so guesses sent in parallel are counted one after another, each
    seeing the ones before it, and no burst gets more guesses than the limit
    — and, if right, the attendance is written under the same lock. (Two
    transactions per check-in halved the rate SQLite's single writer allows.)
    """
    now = now or timezone.now()
    check_window(session, now)
    if method == CheckInMethod.QR:
        verify_token(session, token or "")
    elif method != CheckInMethod.CODE:
        raise CheckInError("method", _("Unknown check-in method."))
    # Read before taking the write lock: a second scan costs no write. (One
    # row by the unique pair, by a statement built once: the ORM's building
    # of it cost more than the read.)
    existing = get_by(Attendance, session_id=session.pk, user_id=user.pk)
    if existing and existing.checked_in_at:
        return existing
    status = (
        AttendanceStatus.LATE
        if now > session.start + LATE_AFTER
        else (AttendanceStatus.PRESENT)
    )
    fields = {"status": status, "method": method, "checked_in_at": now}
    verdict = "right"
    try:
        with transaction.atomic():
            if method == CheckInMethod.CODE:
                _lock(session)
                verdict = _count_guess(session, user, code or "", now)
            if verdict == "right":
                attendance = _record(existing, session, user, fields, now)
    except IntegrityError:
        # Two first check-ins at the same instant: the other one won.
        return Attendance.objects.get(session=session, user=user)
    _refuse_guess(verdict)  # after the commit, so the wrong guess is counted
    return attendance


def _lock(session: SessionPage) -> None:
    """Lock the session's own row for the rest of the transaction. SQLite
    has no row locks: its transactions take the write lock at BEGIN
    (IMMEDIATE, see settings), so there the transaction is already the lock.

    On PostgreSQL the row of `lectures_sessionpage` alone, FOR NO KEY
    UPDATE: typed codes at one session take turns, while a check-in by QR
    (whose insert only checks that the session exists, FOR KEY SHARE) does
    not wait. The ORM's `select_for_update()` locked the joined Wagtail page
    too, FOR UPDATE, and built its query on every check-in (0.35 ms of CPU)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_SESSION, [session.pk])


_LOCK_SESSION = (
    f"SELECT 1 FROM {SessionPage._meta.db_table}"
    f" WHERE {SessionPage._meta.pk.column} = %s FOR NO KEY UPDATE"
)


def _record(existing, session, user, fields: dict, now: datetime) -> Attendance:
    """Write the check-in and its log entry (inside the caller's transaction)."""
    if existing is None:
        # As `create()`, without its save() and signals (none concerns an
        # attendance: the database's triggers keep what follows from it).
        attendance = insert(Attendance(session=session, user=user, **fields))
    else:
        # A roster row without a check-in (marked on leave, say): updated
        # only if still without one, so the first is kept.
        claimed = Attendance.objects.filter(pk=existing.pk, checked_in_at=None).update(
            **fields, updated_at=now
        )
        if not claimed:
            return Attendance.objects.get(pk=existing.pk)
        attendance = existing
        for name, value in fields.items():
            setattr(attendance, name, value)
    log_at_once(attendance, LOG_ACTION, user)
    return attendance
