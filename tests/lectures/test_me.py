"""The trainee's own page, his signed calendar link, and the day-before reminder."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from lectures.filters import day_start
from lectures.models import Attendance, AttendanceStatus, CheckInMethod
from lectures.services.registration import register
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def attend(session, user, status=AttendanceStatus.PRESENT):
    return Attendance.objects.create(
        session=session,
        user=user,
        status=status,
        method=CheckInMethod.ROSTER,
        checked_in_at=session.start,
    )


def history(tree, user, count):
    """`count` attended sessions this year (2 hours each) and one absence."""
    now = timezone.now()
    year_start = day_start(date(timezone.localdate().year, 1, 1))
    for n in range(count):
        start = now - timedelta(days=n + 1)
        if start < year_start:
            # The year's first days: spread them over its hours so far.
            start = year_start + (now - year_start) * (n + 1) / (count + 2)
        session = SessionFactory(
            parent=tree["town"], start=start, study_hours=Decimal("2")
        )
        attend(session, user)
    missed = SessionFactory(
        parent=tree["town"], start=timezone.now() - timedelta(hours=1)
    )
    attend(missed, user, AttendanceStatus.ABSENT)


def test_me_needs_a_login(client):
    response = client.get("/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_me_shows_registrations_hours_and_quota(client, tree):
    user = UserFactory()
    history(tree, user, 3)
    upcoming = SessionFactory(parent=tree["village"], title="即将开讲的讲座")
    register(upcoming, user)
    client.force_login(user)
    response = client.get("/me/")
    html = response.content.decode()
    assert response.context["hours"] == Decimal("6")
    assert response.context["quota"] == Decimal("50")
    assert response.context["hours_short"] == Decimal("44")
    assert "即将开讲的讲座" in html
    assert len(response.context["history"]) == 4


@pytest.mark.parametrize("count", [1, 12])
def test_me_costs_the_same_queries_for_one_or_many(client, tree, count):
    user = UserFactory()
    history(tree, user, count)
    for _ in range(count):
        full = SessionFactory(parent=tree["village"], capacity=1)
        register(full, UserFactory())
        register(full, user)  # waiting: his place in line is shown too
    client.force_login(user)
    client.get("/me/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/me/")
    assert len(queries) == 11
    assert [r.position for r in response.context["upcoming"]] == [1] * count
    # Attended 1 … count days ago: those within the 7-day window await him.
    assert len(response.context["to_evaluate"]) == min(count, 7)


def test_the_calendar_link_works_without_login_and_dies_on_reset(client, tree):
    user = UserFactory()
    mine = SessionFactory(parent=tree["village"], title="我的讲座")
    SessionFactory(parent=tree["village"], title="别人的讲座")
    register(mine, user)
    client.force_login(user)
    url = client.get("/me/").context["calendar_url"].replace("http://testserver", "")
    client.logout()
    feed = client.get(url)
    assert feed.status_code == 200
    titles = {
        str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")
    }
    assert titles == {"我的讲座"}

    client.force_login(user)
    client.post("/me/calendar/reset/")
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(url.replace(".ics", "x.ics")).status_code == 404


def test_nobody_reads_another_trainees_calendar_with_a_forged_link(client, tree):
    victim = UserFactory()
    register(SessionFactory(parent=tree["village"]), victim)
    assert client.get(f"/me/calendar/{victim.pk}.0000.ics").status_code == 404


def test_reminders_go_out_once_for_tomorrows_sessions(
    tree, django_capture_on_commit_callbacks
):
    tomorrow = timezone.now() + timedelta(days=1)
    soon = SessionFactory(parent=tree["town"], start=tomorrow, title="明天的讲座")
    later = SessionFactory(parent=tree["town"], start=tomorrow + timedelta(days=3))
    a, b = UserFactory(), UserFactory()
    for user in (a, b):
        register(soon, user)
        register(later, user)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=None)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    assert all("明天的讲座" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=None)
    assert mail.outbox == []
