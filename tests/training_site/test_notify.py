"""The notification service: notices, channels, preferences, quiet hours,
retries, the inbox and the delivery log."""

import http.server
import json
import threading
import time
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lectures.models import Attendance, SessionStatus
from lectures.services.registration import cancel, register
from lectures.services.reminders import send_reminders, tell_evaluations_waiting
from tests.factories import SessionFactory, TraineeProfileFactory, UserFactory
from training_site.notify import sending, sms
from training_site.notify.models import Delivery, DeliveryStatus, Notice
from training_site.notify.service import notify, quiet_until

pytestmark = pytest.mark.django_db

SHANGHAI_NOON = timezone.make_aware(datetime(2026, 12, 3, 12, 0))
SHANGHAI_NIGHT = timezone.make_aware(datetime(2026, 12, 3, 23, 0))


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.MemoryBackend.outbox.clear()
    yield
    sms.MemoryBackend.outbox.clear()


def trainees(n, **kwargs):
    return [TraineeProfileFactory(**kwargs).user for _ in range(n)]


def publish(session, **changes):
    for name, value in changes.items():
        setattr(session, name, value)
    session.save_revision().publish()


@pytest.fixture
def full_session(town):
    session = SessionFactory(parent=town, capacity=2)
    people = trainees(3)
    for user in people:
        register(session, user)
    Notice.objects.all().delete()
    return session, people


# Session changes -------------------------------------------------------------


def test_a_cancelled_session_tells_everyone_registered_on_every_channel(
    full_session, django_capture_on_commit_callbacks
):
    session, people = full_session
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(session, status=SessionStatus.CANCELLED)

    notices = Notice.objects.filter(kind="lectures.session.cancelled")
    assert sorted(n.recipient_id for n in notices) == sorted(u.pk for u in people)
    assert all(session.title in n.subject for n in notices)
    assert sorted(m.mobile for m in sms.MemoryBackend.outbox) == sorted(
        u.trainee.mobile for u in people
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in people)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_cancellation_costs_as_many_queries_for_fifty_registrants_as_for_one(
    town, django_capture_on_commit_callbacks
):
    """The notices and deliveries are written set-wise (one INSERT … SELECT
    each) and handed to the worker as one task: the count is pinned."""

    def cancel_with(n):
        session = SessionFactory(parent=town, capacity=None)
        for user in trainees(n):
            register(session, user)
        session.status = SessionStatus.CANCELLED
        revision = session.save_revision()
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as handed_over,
        ):
            revision.publish()
        told = Notice.objects.filter(link=session.url).exclude(
            kind="lectures.registration.confirmed"
        )
        assert told.count() == n
        assert Delivery.objects.filter(notice__in=told).count() == 2 * n
        return len(queries), len(handed_over)

    cancel_with(1)  # caches warmed: the site root, the content types
    assert cancel_with(1) == cancel_with(50)


def test_each_registrant_is_told_in_his_own_language(town):
    from wagtail.users.models import UserProfile

    session = SessionFactory(parent=town, title="讲座", capacity=None)
    chinese, english, unknown = trainees(3)
    UserProfile.objects.create(user=english, preferred_language="en")
    UserProfile.objects.create(user=unknown, preferred_language="xx")
    for user in (chinese, english, unknown):
        register(session, user)
    publish(session, status=SessionStatus.CANCELLED)
    subjects = dict(
        Notice.objects.filter(kind="lectures.session.cancelled").values_list(
            "recipient_id", "subject"
        )
    )
    texts = dict(
        Delivery.objects.filter(channel="sms").values_list(
            "notice__recipient_id", "text"
        )
    )
    assert subjects[english.pk].startswith("Cancelled:")
    assert texts[english.pk].startswith("Cancelled:")
    assert subjects[chinese.pk] == subjects[unknown.pk] != subjects[english.pk]
    assert texts[chinese.pk] == texts[unknown.pk] != texts[english.pk]


def test_a_cancellation_within_24_hours_is_urgent_and_one_later_is_not(town):
    soon = SessionFactory(parent=town, start=timezone.now() + timedelta(hours=5))
    later = SessionFactory(parent=town)
    user = trainees(1)[0]
    register(soon, user)
    register(later, user)
    publish(soon, status=SessionStatus.CANCELLED)
    publish(later, status=SessionStatus.CANCELLED)
    urgent = dict(
        Notice.objects.filter(kind="lectures.session.cancelled").values_list(
            "link", "urgent"
        )
    )
    assert urgent == {soon.url: True, later.url: False}


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"status": SessionStatus.POSTPONED}, "lectures.session.postponed"),
        ({"venue": "区委党校报告厅"}, "lectures.session.changed"),
        ({"start_shift": timedelta(hours=2)}, "lectures.session.changed"),
    ],
)
def test_postponed_or_moved_sessions_are_told(town, changes, kind):
    session = SessionFactory(parent=town)
    user = trainees(1)[0]
    register(session, user)
    if "start_shift" in changes:
        shift = changes.pop("start_shift")
        changes = {"start": session.start + shift, "end": session.end + shift}
    publish(session, **changes)
    notice = Notice.objects.get(kind=kind)
    assert notice.recipient == user
    if "venue" in changes:
        assert "区委党校报告厅" in notice.body
        assert "党群服务中心" in notice.body


def test_a_title_edit_or_a_draft_tells_nobody(town):
    session = SessionFactory(parent=town)
    register(session, trainees(1)[0])
    publish(session, title="新标题")
    session.status = SessionStatus.CANCELLED
    session.save_revision()  # a draft: nobody is told until it is published
    assert not Notice.objects.filter(kind__startswith="lectures.session.").exists()


# Registration ----------------------------------------------------------------


def test_registration_confirmed_and_waiting_list_are_told_in_the_inbox(town):
    session = SessionFactory(parent=town, capacity=1)
    first, second = trainees(2)
    register(session, first)
    register(session, second)
    kinds = dict(Notice.objects.values_list("recipient_id", "kind"))
    assert kinds == {
        first.pk: "lectures.registration.confirmed",
        second.pk: "lectures.registration.waiting",
    }
    assert "1" in Notice.objects.get(recipient=second).body
    # Not worth a text message: the inbox and an email only.
    assert not Delivery.objects.filter(channel="sms").exists()


def test_a_promotion_is_told_by_text_message_too(
    full_session, django_capture_on_commit_callbacks
):
    session, (a, _b, c) = full_session
    with django_capture_on_commit_callbacks(execute=True):
        cancel(session, a)
    assert Notice.objects.get().recipient == c
    assert [m.mobile for m in sms.MemoryBackend.outbox] == [c.trainee.mobile]


# Preferences and quiet hours --------------------------------------------------


def test_someone_who_turned_sms_off_still_gets_the_inbox_and_email(
    town, client, django_capture_on_commit_callbacks
):
    user = trainees(1)[0]
    client.force_login(user)
    response = client.post(reverse("notify:preferences"), {"email": "1"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], "lectures.reminder", {"title": "讲座"})
    assert Notice.objects.filter(recipient=user).count() == 1
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email"]
    assert sms.MemoryBackend.outbox == []


@pytest.fixture
def quiet_hours(settings):
    settings.NOTIFY_QUIET_HOURS = (22, 8)


def test_no_text_message_at_night_unless_urgent(town, quiet_hours):
    user = trainees(1)[0]
    notify([user], "lectures.reminder", {"title": "讲座"}, now=SHANGHAI_NIGHT)
    notify([user], "lectures.session.cancelled", {}, urgent=True, now=SHANGHAI_NIGHT)
    waits = dict(
        Delivery.objects.filter(channel="sms").values_list(
            "notice__kind", "next_attempt_at"
        )
    )
    eight = timezone.make_aware(datetime(2026, 12, 4, 8, 0))
    assert waits == {
        "lectures.reminder": eight,
        "lectures.session.cancelled": SHANGHAI_NIGHT,
    }
    email = Delivery.objects.get(channel="email", notice__kind="lectures.reminder")
    assert email.next_attempt_at == SHANGHAI_NIGHT


def test_quiet_hours_are_beijing_time(quiet_hours):
    at = timezone.make_aware
    assert quiet_until(at(datetime(2026, 12, 3, 7, 59))) == at(datetime(2026, 12, 3, 8))
    assert quiet_until(at(datetime(2026, 12, 3, 8, 0))) is None
    assert quiet_until(at(datetime(2026, 12, 3, 21, 59))) is None
    assert quiet_until(at(datetime(2026, 12, 3, 22, 0))) == at(datetime(2026, 12, 4, 8))


def test_a_deferred_delivery_is_not_sent_early_and_is_sent_when_due(town, quiet_hours):
    user = trainees(1)[0]
    notify([user], "lectures.reminder", {"title": "讲座"}, now=SHANGHAI_NIGHT)
    sms_delivery = Delivery.objects.get(channel="sms")
    assert sending.deliver([sms_delivery.pk], now=SHANGHAI_NIGHT) == {
        "sent": 0,
        "retry": 0,
        "failed": 0,
    }
    morning = sms_delivery.next_attempt_at + timedelta(minutes=1)
    assert sending.deliver([sms_delivery.pk], now=morning)["sent"] == 1


# Failures ----------------------------------------------------------------------


class Boom:
    def send(self, message):
        raise sms.SMSError("HTTP 500: gateway down")


@override_settings(
    SMS_BACKEND="tests.training_site.test_notify.Boom",
    NOTIFY_MAX_ATTEMPTS=3,
    NOTIFY_RETRY_SECONDS=60,
)
def test_a_failing_gateway_is_retried_with_back_off_then_failed(town):
    user = trainees(1)[0]
    notify([user], "lectures.reminder", {})
    delivery = Delivery.objects.get(channel="sms")
    now = timezone.now()
    for attempt, wait in ((1, 60), (2, 240)):
        assert sending.deliver([delivery.pk], now=now)["retry"] == 1
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        assert delivery.status == DeliveryStatus.PENDING
        assert "gateway down" in delivery.last_error
        waited = (delivery.next_attempt_at - timezone.now()).total_seconds()
        assert wait - 5 < waited <= wait
        now = delivery.next_attempt_at
    assert sending.deliver([delivery.pk], now=now)["failed"] == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3


class Gateway(http.server.BaseHTTPRequestHandler):
    answers: list = []
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Gateway.received.append((dict(self.headers), json.loads(body)))
        answer = Gateway.answers.pop(0) if Gateway.answers else "ok"
        if answer == "slow":
            time.sleep(1.5)
            answer = "ok"
        status = 500 if answer == "error" else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"code": 0 if status == 200 else 500}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    Gateway.received.clear()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sms"
    server.shutdown()
    server.server_close()


def test_a_real_gateway_that_errs_then_hangs_then_recovers_fails_no_action(
    full_session, gateway, settings, client, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "training_site.notify.sms.HttpGateway"
    settings.SMS_GATEWAY = {
        "URL": gateway,
        "TOKEN": "t0ken",
        "SECRET": "s3cret",
        "TIMEOUT": 0.5,
        "TEMPLATES": {"lectures.registration.promoted": "SMS_42"},
    }
    Gateway.answers[:] = ["error", "slow"]
    session, (a, _b, c) = full_session
    client.force_login(a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(session.url + "cancel/")
    assert response.status_code == 302  # the user's action stands
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.status == "pending"
    assert "HTTP 500" in delivery.last_error

    # The timeout: a second attempt once the back-off is over.
    later = delivery.next_attempt_at
    assert sending.deliver([delivery.pk], now=later)["retry"] == 1
    delivery.refresh_from_db()
    assert "timed out" in delivery.last_error.lower()

    assert sending.deliver([delivery.pk], now=delivery.next_attempt_at)["sent"] == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert delivery.attempts == 3
    headers, payload = Gateway.received[-1]
    assert headers["Authorization"] == "Bearer t0ken"
    assert headers["X-Signature"]
    assert payload["template_id"] == "SMS_42"
    assert payload["mobile"] == c.trainee.mobile
    assert payload["out_id"] == f"delivery-{delivery.pk}"


@override_settings(EMAIL_BACKEND="tests.training_site.test_notify.BrokenMail")
def test_a_broken_mail_server_fails_no_action(
    full_session, client, django_capture_on_commit_callbacks
):
    session, (a, _b, _c) = full_session
    client.force_login(a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(session.url + "cancel/")
    assert response.status_code == 302
    email = Delivery.objects.get(channel="email")
    assert email.status == "pending"
    assert "refused" in email.last_error


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("connection refused")

    def close(self):
        pass


# Periodic notices -----------------------------------------------------------------


def test_the_reminder_is_told_once_to_everyone_registered_for_tomorrow(town):
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    session = SessionFactory(parent=town, start=start + timedelta(hours=9))
    people = trainees(3)
    for user in people:
        register(session, user)
    assert send_reminders(tomorrow) == 3
    assert send_reminders(tomorrow) == 0
    assert Notice.objects.filter(kind="lectures.reminder").count() == 3


def test_attendees_are_asked_to_evaluate_once(town):
    session = SessionFactory(
        parent=town,
        start=timezone.now() - timedelta(hours=3),
        end=timezone.now() - timedelta(hours=1),
    )
    came, absent = trainees(2)
    Attendance.objects.create(session=session, user=came, status="present")
    Attendance.objects.create(session=session, user=absent, status="absent")
    assert tell_evaluations_waiting(days=7) == 1
    assert tell_evaluations_waiting(days=7) == 0
    notice = Notice.objects.get(kind="lectures.evaluation.waiting")
    assert notice.recipient == came
    assert notice.link.endswith("/evaluate/")


# The inbox ----------------------------------------------------------------------------


def test_the_inbox_lists_his_own_messages_and_marks_them_read(client, town):
    me, other = trainees(2)
    notify([me], "lectures.reminder", {"title": "我的讲座"}, link="/schedule/")
    notify([other], "lectures.reminder", {"title": "别人的讲座"})
    client.force_login(me)

    page = client.get("/me/").content.decode()
    assert "我的讲座" in page
    assert "别人的讲座" not in page
    assert 'class="badge unread"' in page

    inbox = client.get(reverse("notify:inbox")).content.decode()
    assert "我的讲座" in inbox
    assert "别人的讲座" not in inbox

    mine = Notice.objects.get(recipient=me)
    theirs = Notice.objects.get(recipient=other)
    client.post(reverse("notify:mark_read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None  # not his to mark
    response = client.post(reverse("notify:mark_read", args=[mine.pk]), {"open": "1"})
    assert response["Location"] == "/schedule/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'class="badge unread"' not in client.get("/schedule/").content.decode()


def test_mark_all_read_and_only_by_post(client, town):
    me = trainees(1)[0]
    for n in range(3):
        notify([me], "lectures.reminder", {"title": f"讲座{n}"})
    client.force_login(me)
    assert client.get(reverse("notify:mark_all_read")).status_code == 405
    client.post(reverse("notify:mark_all_read"))
    assert not Notice.objects.unread().exists()


def test_the_anonymous_header_asks_nothing_of_the_inbox(client, town):
    page = client.get("/schedule/").content.decode()
    assert "inbox-link" not in page


def test_administrators_have_an_inbox_in_the_admin(client, town_admin):
    notify([town_admin], "lectures.approval.requested", {"title": "待审讲座"})
    client.force_login(town_admin)
    page = client.get(reverse("notify_admin_inbox")).content.decode()
    assert "待审讲座" in page
    assert "(1)" in client.get("/admin/").content.decode()


# The delivery log -------------------------------------------------------------------


def test_the_delivery_log_shows_each_administrator_his_own_people(
    client, tree, district_admin, town_admin
):
    mine = TraineeProfileFactory(unit_forum=tree["village"]).user
    theirs = TraineeProfileFactory(unit_forum=tree["sibling"]).user
    notify([mine, theirs], "lectures.reminder", {"title": "讲座"})

    client.force_login(town_admin)
    page = client.get(reverse("notify_delivery_log")).content.decode()
    assert mine.trainee.mobile in page
    assert theirs.trainee.mobile not in page

    client.force_login(district_admin)
    page = client.get(reverse("notify_delivery_log") + "?channel=sms").content.decode()
    assert mine.trainee.mobile in page
    assert theirs.trainee.mobile in page
    export = client.get(reverse("notify_delivery_log") + "?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_trainee_cannot_see_the_delivery_log(client, town):
    client.force_login(UserFactory())
    assert client.get(reverse("notify_delivery_log")).status_code in (302, 403)
