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

from lectures.models import Attendance, AttendanceStatus, CheckInMethod
from lectures.services.registration import register
from tests.factories import SessionFactory, UserFactory
from training_site.dates import day_start

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
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_me_shows_registrations_hours_and_quota(client, tree):
    user = UserFactory()
    history(tree, user, 3)
    upcoming = SessionFactory(parent=tree["village"], title="即将开讲的讲座")
    register(upcoming, user)
    client.force_login(user)
    response = client.get("/me/")
    html = response.content.decode()
    # The study-hours panel (records/) shows the ledger; no rank: the
    # site's default quota.
    assert response.context["ledger"].total == Decimal("6")
    assert response.context["ledger"].quota == Decimal("50")
    assert response.context["ledger"].remaining == Decimal("44")
    assert "即将开讲的讲座" in html
    assert len(response.context["history"]) == 4


@pytest.mark.parametrize("waiting", [False, True], ids=["confirmed", "waiting"])
@pytest.mark.parametrize("count", [1, 12])
def test_me_costs_the_same_queries_for_one_or_many(client, tree, count, waiting):
    user = UserFactory()
    history(tree, user, count)
    for _ in range(count):
        session = SessionFactory(parent=tree["village"], capacity=1)
        if waiting:
            register(session, UserFactory())
        register(session, user)  # waiting: his place in line is shown too
    client.force_login(user)
    client.get("/me/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/me/")
    # His places in the waiting lists: one query, only when he waits.
    # +3: the header's unread count, his latest messages, his channels.
    # +4: his study hours (records' panel: the ledger's caps — from the
    # shared cache outside tests —, his kept hours with his rank; his
    # training elsewhere and whether he is a cadre who may record it).
    assert len(queries) == (17 if waiting else 16)
    positions = [r.position for r in response.context["upcoming"]]
    assert positions == [1 if waiting else None] * count
    # Attended 1 … count days ago: those within the 7-day window await him.
    assert len(response.context["to_evaluate"]) == min(count, 7)


def test_his_place_in_each_waiting_list(client, tree):
    user = UserFactory()
    sessions = [SessionFactory(parent=tree["village"], capacity=1) for _ in range(3)]
    for ahead, session in enumerate(sessions):
        for _ in range(ahead + 1):  # the seat, then those in line before him
            register(session, UserFactory())
        register(session, user)
        register(session, UserFactory())  # behind him: not counted
    client.force_login(user)
    upcoming = client.get("/me/").context["upcoming"]
    assert {r.session.pk: r.position for r in upcoming} == {
        session.pk: ahead + 1 for ahead, session in enumerate(sessions)
    }


def test_the_calendar_link_works_without_login_and_dies_on_reset(client, tree):
    user = UserFactory()
    mine = SessionFactory(parent=tree["village"], title="我的讲座")
    SessionFactory(parent=tree["village"], title="别人的讲座")
    register(mine, user)
    client.force_login(user)
    url = client.get("/me/").context["calendar_path"]
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


# What /me/ shows of a session comes from a few of its columns, not the page
# (trainee_page.SessionLink): it must read as the page itself would.


def test_path_url_is_the_pages_own_url(rf, tree):
    from wagtail.models import Site

    from lectures.templatetags.page_links import url_for_path

    session = SessionFactory(parent=tree["village"])
    # A Chinese slug is quoted as `reverse` quotes it.
    chinese = SessionFactory(parent=tree["village"], slug="乡村振兴-第1讲")
    request = rf.get("/me/")
    for page in (session, chinese, tree["village"], tree["district"]):
        assert url_for_path(page.url_path, request) == page.get_url(request)
    # A path no site holds has no URL, as with Wagtail.
    assert url_for_path("/elsewhere/page/", request) is None
    # With a second site, as `pageurl` chooses between them.
    other = Site.objects.create(
        hostname="other.example", port=80, root_page=tree["sibling"]
    )
    try:
        elsewhere = SessionFactory(parent=tree["sibling"])
        for host in ("other.example", "localhost"):
            request = rf.get("/me/", HTTP_HOST=host)
            for page in (elsewhere, session):
                assert url_for_path(page.url_path, request) == page.get_url(request)
    finally:
        # Wagtail keeps the sites' root paths in the (process-local) test
        # cache, which the rollback does not reach; deleting clears them.
        other.delete()


def test_me_links_and_times_read_as_the_sessions_own(client, tree):
    user = UserFactory()
    # 23:30 in UTC is 07:30 the next day in Asia/Shanghai.
    late = timezone.now().replace(hour=23, minute=30, second=0, microsecond=0)
    ahead = SessionFactory(
        parent=tree["village"], start=late + timedelta(days=3), title="将来的讲座"
    )
    register(ahead, user)
    past = SessionFactory(
        parent=tree["town"], start=late - timedelta(days=3), title="听过的讲座"
    )
    past.end = past.start + timedelta(hours=2)
    past.save()
    attend(past, user)
    client.force_login(user)
    response = client.get("/me/")
    html = response.content.decode()
    url = {s.pk: s.get_url(response.wsgi_request) for s in (ahead, past)}
    for session in (ahead, past):
        local = timezone.localtime(session.start)
        assert f'href="{url[session.pk]}"' in html
        assert local.strftime("%Y-%m-%d") in html
    assert f'action="{url[ahead.pk]}cancel/"' in html
    assert f'href="{url[past.pk]}evaluate/"' in html
    local = timezone.localtime(ahead.start)
    assert f'<span class="time">{local:%H:%M}</span>' in html
    assert "已报名" in html
    assert "出勤" in html


def test_the_heading_shows_the_unit_forum_when_no_unit_is_named(client, tree):
    from tests.factories import TraineeProfileFactory

    profile = TraineeProfileFactory(
        unit_name="", unit_forum=tree["village"], position="党支部书记"
    )
    client.force_login(profile.user)
    html = client.get("/me/").content.decode()
    assert profile.real_name in html
    assert f"{tree['village'].unit_name} · 党支部书记" in html
