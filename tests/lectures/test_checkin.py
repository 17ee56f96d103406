"""Check-in: as oneself only, with a fresh token or code, inside the window."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from lectures.models import Attendance, AttendanceStatus, CheckInMethod
from lectures.services import checkin as service
from tests.factories import LecturerFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    caches["counters"].clear()


@pytest.fixture
def session(tree):
    start = timezone.now() + timedelta(minutes=5)
    return SessionFactory(
        parent=tree["town"], start=start, end=start + timedelta(hours=2)
    )


def test_the_qr_token_checks_in_the_logged_in_user(session):
    user = UserFactory()
    token = service.current_credentials(session).token
    attendance = service.check_in(session, user, method=CheckInMethod.QR, token=token)
    assert attendance.user == user
    assert attendance.status == AttendanceStatus.PRESENT


def test_checking_in_twice_keeps_the_first_time(session):
    user = UserFactory()
    token = service.current_credentials(session).token
    first = service.check_in(session, user, method=CheckInMethod.QR, token=token)
    later = timezone.now() + timedelta(minutes=30)
    again = service.check_in(
        session,
        user,
        method=CheckInMethod.QR,
        token=service.current_credentials(session, later).token,
        now=later,
    )
    assert again.pk == first.pk
    assert again.checked_in_at == first.checked_in_at
    assert Attendance.objects.count() == 1


def test_someone_marked_absent_beforehand_who_comes_is_present(session):
    user = UserFactory()
    marked = Attendance.objects.create(
        session=session,
        user=user,
        status=AttendanceStatus.ABSENT,
        method=CheckInMethod.ROSTER,
    )
    token = service.current_credentials(session).token
    attendance = service.check_in(session, user, method=CheckInMethod.QR, token=token)
    marked.refresh_from_db()
    assert attendance.pk == marked.pk
    assert marked.status == AttendanceStatus.PRESENT
    assert marked.method == CheckInMethod.QR
    assert marked.checked_in_at is not None
    assert Attendance.objects.count() == 1


def test_every_check_in_is_logged_once(session):
    from wagtail.models import ModelLogEntry

    user = UserFactory()
    token = service.current_credentials(session).token
    for _ in range(2):
        service.check_in(session, user, method=CheckInMethod.QR, token=token)
    assert ModelLogEntry.objects.filter(action=service.LOG_ACTION).count() == 1


def test_after_the_grace_period_it_counts_as_late(session):
    late = session.start + service.LATE_AFTER + timedelta(minutes=1)
    attendance = service.check_in(
        session,
        UserFactory(),
        method=CheckInMethod.CODE,
        code=service.code_for(session, service._slot(late)),
        now=late,
    )
    assert attendance.status == AttendanceStatus.LATE


def test_an_expired_token_is_refused(session, monkeypatch):
    token = service.current_credentials(session).token
    monkeypatch.setattr(service, "TOKEN_MAX_AGE", -1)
    with pytest.raises(service.CheckInError) as error:
        service.check_in(session, UserFactory(), method=CheckInMethod.QR, token=token)
    assert error.value.code == "expired"
    assert not Attendance.objects.exists()


def test_another_sessions_token_is_refused(session, tree):
    other = SessionFactory(parent=tree["town"], start=session.start)
    token = service.current_credentials(other).token
    with pytest.raises(service.CheckInError) as error:
        service.check_in(session, UserFactory(), method=CheckInMethod.QR, token=token)
    assert error.value.code == "bad_token"


def test_wrong_codes_are_limited_per_user(session):
    user = UserFactory()
    for _ in range(service.MAX_WRONG_CODES_PER_USER):
        with pytest.raises(service.CheckInError):
            service.check_in(session, user, method=CheckInMethod.CODE, code="000000x")
    right = service.current_credentials(session).code
    with pytest.raises(service.CheckInError) as error:
        service.check_in(session, user, method=CheckInMethod.CODE, code=right)
    assert error.value.code == "too_many"
    other = UserFactory()
    assert service.check_in(session, other, method=CheckInMethod.CODE, code=right)


@pytest.mark.parametrize(
    ("offset", "code"),
    [(-timedelta(hours=1), "too_early"), (timedelta(hours=3), "closed")],
)
def test_outside_the_window(session, offset, code):
    moment = session.start + offset
    with pytest.raises(service.CheckInError) as error:
        service.check_in(
            session,
            UserFactory(),
            method=CheckInMethod.QR,
            token=service.current_credentials(session, moment).token,
            now=moment,
        )
    assert error.value.code == code


def test_scanning_while_logged_out_checks_in_after_login(client, session):
    user = UserFactory()
    token = service.current_credentials(session).token
    response = client.get(session.url + "checkin/", {"t": token})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.post(
        response["Location"],
        {"username": user.username, "password": "pass-1234"},
    )
    page = client.get(session.url + "checkin/")
    assert page.status_code == 200
    assert Attendance.objects.get().user == user


def test_typing_the_code_over_http(client, session):
    user = UserFactory()
    client.force_login(user)
    code = service.current_credentials(session).code
    client.post(session.url + "checkin/", {"code": code})
    assert Attendance.objects.get().user == user
    wrong = client.post(session.url + "checkin/", {"code": "<bad>"})
    assert wrong.status_code == 200


def test_the_check_in_page_shows_the_session_as_it_is_now(client, session):
    """The page's frame is kept per process: an edited session, another
    language, a message and the result still show as they are."""
    user = UserFactory()
    client.force_login(user)
    url = session.url + "checkin/"
    first = client.get(url).content.decode()
    assert f"<h1>{session.title}</h1>" in first
    assert 'name="code"' in first
    assert "csrfmiddlewaretoken" in first
    assert f'href="{session.url}"' in first
    session.title = "改过的<标题>"
    session.venue = "新会场"
    session.save_revision().publish()
    wrong = client.post(url, {"code": "000000x"}).content.decode()
    assert "<h1>改过的&lt;标题&gt;</h1>" in wrong
    assert "新会场" in wrong
    assert 'class="message error"' in wrong
    code = service.current_credentials(session).code
    done = client.post(url, {"code": code}, HTTP_ACCEPT_LANGUAGE="en").content
    attended = Attendance.objects.get()
    when = timezone.localtime(attended.checked_in_at).strftime("%H:%M")
    assert f"Checked in at {when} (Present)." in done.decode()
    assert 'lang="en"' in done.decode()
    assert "Back to the session" in done.decode()
    assert 'class="message' not in done.decode()
    again = client.get(url).content.decode()
    assert f"已于 {when} 签到（出勤）。" in again
    assert "返回" in again
    assert again.count("<h1>") == 1
    assert 'name="code"' not in again


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_check_in_over_http_writes_the_attendance_alone(client, tree):
    """The one write transaction holds the guess counters' read and the
    insert with its log entry; the session row is not saved and the light
    result page asks nothing more (no unread count): in a rush every
    check-in waits for the one before it to commit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = timezone.now() + timedelta(minutes=5)
    session = SessionFactory(
        parent=tree["town"], start=start, end=start + timedelta(hours=1)
    )
    user = UserFactory()
    client.force_login(user)
    client.get(session.url + "checkin/")  # the route and site cached
    code = service.current_credentials(session).code
    with CaptureQueriesContext(connection) as queries:
        response = client.post(session.url + "checkin/", {"code": code})
    assert response.status_code == 200
    assert "✓" in response.content.decode()
    assert "sessionid" not in response.cookies
    statements = [q["sql"] for q in queries.captured_queries]
    writes = [
        sql.split("(")[0].strip()
        for sql in statements
        if sql.startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    # No other write: neither the session row nor a counter.
    assert writes == [
        'INSERT INTO "lectures_attendance"',
        'INSERT INTO "wagtailcore_modellogentry"',
    ]
    if connection.vendor == "sqlite":
        # SQLite logs its transaction's bounds (PostgreSQL's are not queries).
        begin = statements.index("BEGIN IMMEDIATE")
        commit = statements.index("COMMIT")
        assert statements.count("BEGIN IMMEDIATE") == 1
        inside = statements[begin + 1 : commit]
        assert inside[0].startswith('SELECT "cache_key"')  # the wrong guesses
        assert [sql for sql in inside if sql.startswith("INSERT")] == [
            sql for sql in statements if sql.startswith("INSERT")
        ]
        outside = statements[:begin] + statements[commit + 1 :]
        assert not [sql for sql in outside if not sql.startswith("SELECT")]
    assert not [sql for sql in statements if "notify_notice" in sql]


def test_only_organisers_open_the_screen(client, session, people):
    url = session.url + "checkin/screen/"
    client.force_login(people["trainee"])
    assert client.get(url).status_code == 403
    assert client.get(session.url + "checkin/status/").status_code == 403
    client.force_login(people["village_admin"])
    assert client.get(url).status_code == 403
    client.force_login(people["town_admin"])
    screen = client.get(url)
    assert screen.status_code == 200
    assert "data:image/svg+xml" in screen.content.decode()
    status = client.get(session.url + "checkin/status/").json()
    assert set(status) >= {"qr", "code", "checked_in", "registered", "rotates_in"}


def test_the_sessions_lecturer_opens_the_screen(client, session):
    user = UserFactory()
    session.lecturers.set([LecturerFactory(user=user)])
    session.save()
    client.force_login(user)
    assert client.get(session.url + "checkin/screen/").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_check_ins_of_one_person_give_one_record(tree):
    start = timezone.now() + timedelta(minutes=5)
    session = SessionFactory(
        parent=tree["town"], start=start, end=start + timedelta(hours=1)
    )
    user = UserFactory()
    token = service.current_credentials(session).token
    barrier = threading.Barrier(8)
    errors = []

    def scan():
        from django.db import connection

        barrier.wait()
        try:
            service.check_in(session, user, method=CheckInMethod.QR, token=token)
        except Exception as error:  # noqa: BLE001 - the assertion reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Attendance.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("count", [1, 15])
def test_the_screen_status_costs_the_same_for_one_or_many(
    client, session, people, count, django_assert_num_queries
):
    from lectures.services.registration import register

    for _ in range(count):
        user = UserFactory()
        register(session, user)
        service.check_in(
            session,
            user,
            method=CheckInMethod.QR,
            token=service.current_credentials(session).token,
        )
    client.force_login(people["town_admin"])
    url = session.url + "checkin/status/"
    client.get(url)
    with django_assert_num_queries(11):
        status = client.get(url).json()
    assert status["checked_in"] == count
    assert status["registered"] == count


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL plans by size"
)
def test_a_check_in_recounts_its_forums_day_by_an_index_not_the_whole_forum():
    """The kept figures' trigger (DayFigures) recounts the session's forum ×
    day on every check-in: a forum's sessions of one day by (forum, start),
    not all of the forum's sessions (5,600 of the district's own at 100×)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM lectures_sessionpage s "
            "WHERE s.forum_id = %s AND s.start >= %s AND s.start < %s",
            [1, "2026-12-03", "2026-12-04"],
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "session_forum_start" in plan, plan
