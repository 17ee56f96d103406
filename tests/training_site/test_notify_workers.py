"""Real worker processes on the real database: two never send the same
delivery twice, and a worker killed mid-batch loses nothing.

The workers are given the suite's own test database (`database_environment`):
SQLite's file, or PostgreSQL's when the suite runs with DATABASE_URL, as CI
runs it. Every delivery ends `sent` in the rows the test reads, so a worker
that looked elsewhere would fail it.
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import transaction

from tests.factories import TraineeProfileFactory
from tests.training_site.test_page_cache_processes import ROOT, database_environment
from training_site.notify import sms
from training_site.notify.models import Delivery, DeliveryStatus
from training_site.notify.service import notify
from training_site.notify.tasks import schedule

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notify": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


class SlowFileBackend(sms.FileBackend):
    """A gateway that takes a while, so a worker can be killed mid-batch."""

    def send(self, message):
        time.sleep(0.05)
        return super().send(message)


def worker(log: Path, *args, backend="training_site.notify.sms.FileBackend", **env):
    environment = {
        **os.environ,
        **database_environment(),
        "DJANGO_SETTINGS_MODULE": "training_site.settings.test",
        "NOTIFY_TASKS": "database",
        "SMS_BACKEND": backend,
        "SMS_LOG_FILE": str(log),
        "NOTIFY_SWEEP_SECONDS": "0",
        **env,
    }
    if "DATABASE_URL" not in database_environment():
        environment.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "notify_worker", "--interval", "0.1", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def sent_keys(log: Path) -> Counter:
    if not log.exists():
        return Counter()
    return Counter(re.findall(r"\[(delivery-\d+)\]", log.read_text(encoding="utf-8")))


def make_notices(n: int) -> list[int]:
    users = [TraineeProfileFactory(user__email="").user for _ in range(n)]
    with transaction.atomic():
        notify(users, "lectures.reminder", {"title": "讲座", "when": "", "venue": ""})
    return list(Delivery.objects.values_list("pk", flat=True))


def test_two_workers_never_send_the_same_delivery_twice(settings, tmp_path, db):
    settings.TASKS = DATABASE_QUEUE
    ids = make_notices(200)
    # Every delivery in two tasks, as if the sweep had also handed it out.
    schedule((pk, Delivery.objects.get(pk=pk).next_attempt_at) for pk in ids)
    log = tmp_path / "sms.log"
    workers = [worker(log, "--batch"), worker(log, "--batch")]
    for process in workers:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()[-2000:]

    sent = sent_keys(log)
    assert len(sent) == 200
    assert max(sent.values()) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_worker_killed_mid_batch_loses_nothing(settings, tmp_path, db):
    settings.TASKS = DATABASE_QUEUE
    ids = make_notices(60)
    log = tmp_path / "sms.log"
    slow = "tests.training_site.test_notify_workers.SlowFileBackend"
    first = worker(log, backend=slow, NOTIFY_LEASE_SECONDS="2")
    deadline = time.monotonic() + 120
    while len(sent_keys(log)) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=20)
    assert 0 < len(sent_keys(log)) < len(ids)

    time.sleep(2.5)  # the dead worker's claims run out
    second = worker(log, "--batch", backend=slow, NOTIFY_LEASE_SECONDS="2")
    _out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err.decode()[-2000:]

    sent = sent_keys(log)
    assert len(sent) == len(ids)
    # At most the one message in flight when the worker died goes out again.
    assert sum(count - 1 for count in sent.values()) <= 1
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.SENT: len(ids)}
