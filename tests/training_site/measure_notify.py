"""Not a test (not collected): timings for the notices, run by hand:

    DJANGO_SETTINGS_MODULE=training_site.settings.test \
        .venv/bin/pytest -s tests/training_site/measure_notify.py
"""

import time
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lectures.models import Registration, SessionStatus, TraineeProfile
from lectures.services.reminders import send_reminders
from tests.factories import SessionFactory
from training_site.notify import sending
from training_site.notify.models import Delivery, Notice

pytestmark = pytest.mark.django_db

User = get_user_model()


def people(n, offset=0):
    users = User.objects.bulk_create(
        User(username=f"m{offset + i}", email=f"m{offset + i}@example.org")
        for i in range(n)
    )
    TraineeProfile.objects.bulk_create(
        TraineeProfile(user=u, real_name=f"学员{u.pk}", mobile=f"13{u.pk:09d}")
        for u in users
    )
    return users


def drain(settings, tmp_path):
    settings.SMS_BACKEND = "training_site.notify.sms.FileBackend"
    settings.SMS_LOG_FILE = str(tmp_path / "sms.log")
    ids = list(Delivery.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    for i in range(0, len(ids), 50):
        sending.deliver(ids[i : i + 50])
    took = time.perf_counter() - started
    return len(ids), took


def test_cancel_2000(town, settings, tmp_path):
    session = SessionFactory(parent=town, capacity=None)
    users = people(2000)
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(session=session, user=u, status="confirmed", confirmed_at=now)
        for u in users
    )
    session.status = SessionStatus.CANCELLED
    revision = session.save_revision()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        revision.publish()
    took = time.perf_counter() - started
    print(
        f"\ncancel publish with 2000 registrants: {took * 1000:.0f} ms, "
        f"{len(queries)} queries, notices {Notice.objects.count()}, "
        f"deliveries {Delivery.objects.count()}"
    )
    n, took = drain(settings, tmp_path)
    print(f"drain in one process: {n} deliveries in {took:.1f} s = {n / took:.0f}/s")


def test_reminders_20000(town, settings, tmp_path):
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    sessions = [
        SessionFactory(parent=town, capacity=None, start=start + timedelta(hours=9))
        for _ in range(40)
    ]
    users = people(20000)
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            session=sessions[i % 40], user=u, status="confirmed", confirmed_at=now
        )
        for i, u in enumerate(users)
    )
    started = time.perf_counter()
    sent = send_reminders(tomorrow)
    took = time.perf_counter() - started
    print(
        f"\nreminders queued: {sent} in {took:.1f} s; deliveries "
        f"{Delivery.objects.count()}"
    )
    n, took = drain(settings, tmp_path)
    print(f"drain in one process: {n} deliveries in {took:.1f} s = {n / took:.0f}/s")
