"""The notices at scale: a cancellation of a session with 2,000 registrants,
the day-before reminders of 20,000 registrations, and their drain through
real workers (`manage.py notify_worker`, as `make run` starts them).

`make bench` runs it on a copy of its smallest SQLite demo database (the
people and registrations it adds are thrown away); alone, `python
bench/notices.py` uses SQLITE_PATH (or DATABASE_URL) as it is. What is
timed:

- the cancellation's publish (what the admin's "publish" does: the page
  saved, its registrants told), warm — after a cancellation of a session
  with one registrant — with its query count beside that one's;
- the reminder run (`send_reminders` for tomorrow, 40 sessions of 500);
- each drain: NOTIFY_WORKERS worker processes started, until no delivery is
  pending; the rate is taken from the first to the last `sent_at`, so the
  workers' start-up is not in it. SMS go to a file, email to the console
  backend (the workers' output is dropped): what is measured is our side.

Reminders are not urgent: in the quiet hours (22:00–08:00, Beijing) their
text messages wait for 08:00. The drain releases them first, as 08:00 does.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from server import PYTHON, ROOT, django_shell

WORKERS = int(os.environ.get("NOTIFY_WORKERS", "2"))
REGISTRANTS = int(os.environ.get("NOTIFY_REGISTRANTS", "2000"))
REMINDED = int(os.environ.get("NOTIFY_REMINDED", "20000"))

PEOPLE = """
import json, time
from datetime import datetime, timedelta
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lectures.models import (
    DistrictForumPage, Registration, SessionPage, SessionStatus, TraineeProfile)
from training_site.notify.models import Delivery, Notice
User = get_user_model()
district = DistrictForumPage.objects.get()
RUN = int(time.time())  # fresh names, so a database can be measured again

def people(n, prefix):
    prefix = f'{prefix}{RUN}_'
    users = User.objects.bulk_create(
        User(username=f'{prefix}{i}', email=f'{prefix}{i}@example.org')
        for i in range(n))
    users = list(User.objects.filter(username__startswith=prefix).order_by('pk'))
    TraineeProfile.objects.bulk_create(
        TraineeProfile(user=u, real_name=f'学员{u.pk}', mobile=f'13{u.pk:09d}')
        for u in users)
    return users

def session(title, start):
    s = SessionPage(title=title, start=start, end=start + timedelta(hours=2),
                    venue='礼堂', capacity=None)
    return district.add_child(instance=s)

def register(s, users):
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(session=s, user=u, status='confirmed', confirmed_at=now)
        for u in users)
"""

CANCEL = (
    PEOPLE
    + """
soon = timezone.now() + timedelta(hours=5)

def cancel(n, prefix):
    s = session(f'取消测试{n}', soon)
    register(s, people(n, prefix))
    s.status = SessionStatus.CANCELLED
    revision = s.save_revision()
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        with transaction.atomic():
            revision.publish()
        took = time.perf_counter() - began
    return s, took, len(queries)

_s, _took, one_queries = cancel(1, 'bench_notify_one_')
s, took, queries = cancel(%(n)d, 'bench_notify_many_')
print(json.dumps({
    'registrants': %(n)d,
    'publish_ms': round(took * 1000, 1),
    'queries': queries,
    'queries_with_one_registrant': one_queries,
    'notices': Notice.objects.filter(link=s.url).count(),
    'deliveries': Delivery.objects.filter(notice__link=s.url).count(),
}))
"""
)

REMINDERS = (
    PEOPLE
    + """
from lectures.services.reminders import send_reminders
tomorrow = timezone.localdate() + timedelta(days=1)
nine = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
nine += timedelta(hours=9)
users = people(%(n)d, 'bench_remind_')
sessions = [session(f'提醒测试{i}', nine + timedelta(minutes=i)) for i in range(40)]
for i, s in enumerate(sessions):
    register(s, users[i::40])
began = time.perf_counter()
told = send_reminders(tomorrow)
took = time.perf_counter() - began
print(json.dumps({
    'registrations': %(n)d,
    'reminded': told,
    'queue_s': round(took, 2),
    'deliveries': Delivery.objects.filter(
        notice__kind='lectures.reminder', status='pending').count(),
}))
"""
)

RELEASE = """
import json
from django.utils import timezone
from training_site.notify.models import Delivery
print(json.dumps(Delivery.objects.filter(status='pending').update(
    next_attempt_at=timezone.now())))
"""

WAIT = """
import json, time
from django.db.models import Max, Min
from training_site.notify.models import Delivery
began = time.perf_counter()
while Delivery.objects.filter(status='pending').exists():
    time.sleep(0.2)
    if time.perf_counter() - began > %(timeout)d:
        break
done = Delivery.objects.filter(sent_at__gte=%(since)r)
span = done.aggregate(first=Min('sent_at'), last=Max('sent_at'))
seconds = (span['last'] - span['first']).total_seconds() if span['first'] else 0
print(json.dumps({
    'sent': done.count(),
    'pending': Delivery.objects.filter(status='pending').count(),
    'failed': Delivery.objects.filter(status='failed').count(),
    'sending_s': round(seconds, 2),
}))
"""

NOW = "import json; from django.utils import timezone; " + (
    "print(json.dumps(timezone.now().isoformat()))"
)


def drain(env, timeout: int = 1800) -> dict:
    """Start the workers, wait until nothing is pending, stop them."""
    django_shell(env, RELEASE)
    since = django_shell(env, NOW)
    began = time.perf_counter()
    workers = [
        subprocess.Popen(
            [PYTHON, "manage.py", "notify_worker", "-v0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(WORKERS)
    ]
    try:
        result = django_shell(env, WAIT % {"timeout": timeout, "since": since})
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait()
    result["workers"] = WORKERS
    result["wall_s"] = round(time.perf_counter() - began, 2)
    if result["sending_s"]:
        result["per_second"] = round(result["sent"] / result["sending_s"])
    return result


def notices(env: dict) -> dict:
    """The figures, on a copy of the SQLite database in `env` if it is one."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**env, "SMS_LOG_FILE": str(Path(tmp) / "sms.log")}
        if "SQLITE_PATH" in env and not env.get("DATABASE_URL"):
            copy = Path(tmp) / "notices.sqlite3"
            shutil.copy(env["SQLITE_PATH"], copy)
            env["SQLITE_PATH"] = str(copy)
        cancel = django_shell(env, CANCEL % {"n": REGISTRANTS})
        cancel["drain"] = drain(env)
        reminders = django_shell(env, REMINDERS % {"n": REMINDED})
        reminders["drain"] = drain(env)
    return {"cancel": cancel, "reminders": reminders}


def print_notices(figures: dict) -> None:
    c, r = figures["cancel"], figures["reminders"]
    print(
        f"cancel, {c['registrants']} registrants: publish {c['publish_ms']} ms, "
        f"{c['queries']} queries ({c['queries_with_one_registrant']} with one); "
        f"{c['notices']} notices, {c['deliveries']} deliveries"
    )
    for name, d in (("cancel", c["drain"]), ("reminders", r["drain"])):
        print(
            f"  {name} drain, {d['workers']} workers: {d['sent']} sent in "
            f"{d['sending_s']} s ({d.get('per_second', '-')}/s), "
            f"{d['wall_s']} s with start-up; pending {d['pending']}, "
            f"failed {d['failed']}"
        )
    print(
        f"reminders, {r['registrations']} registrations: {r['reminded']} "
        f"queued in {r['queue_s']} s, {r['deliveries']} deliveries"
    )


if __name__ == "__main__":
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "training_site.settings.dev"}
    figures = notices(env)
    print(json.dumps(figures, indent=2))
    print_notices(figures)
    sys.exit(0)
