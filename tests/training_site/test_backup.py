"""Backups: a round trip through `backup` and `restore` loses nothing.

On SQLite (online backup API) and on PostgreSQL (pg_dump / pg_restore),
whichever the suite runs on: row counts and a checksum of every row of the
key tables are the same after restoring as when the backup was made, even
though the database changed in between.
"""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from lectures.models import Attendance, Registration, TraineeProfile
from lectures.services import roster
from lectures.services.registration import cancel, register
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KEY_TABLES = [
    "auth_user",
    "wagtailcore_page",
    "lectures_sessionpage",
    "lectures_traineeprofile",
    "lectures_registration",
    "lectures_attendance",
    "wagtailcore_modellogentry",
]


def fingerprint() -> dict[str, tuple[int, str]]:
    """Per table: the row count and a digest of every row, in key order."""
    found = {}
    with connection.cursor() as cursor:
        for table in KEY_TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")
            rows = cursor.fetchall()
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            found[table] = (len(rows), digest)
    return found


@pytest.fixture
def participation(tree):
    session = SessionFactory(parent=tree["town"], capacity=2)
    people = [UserFactory() for _ in range(4)]
    for n, user in enumerate(people):
        TraineeProfile.objects.create(
            user=user, real_name=f"备份学员{n}", mobile=f"1360000000{n}"
        )
        register(session, user)
    cancel(session, people[0])
    roster.mark(session, people[1].pk, "present", by=None)
    return session


def test_a_backup_restores_exactly_what_it_held(participation, tmp_path):
    before = fingerprint()
    assert before["lectures_registration"][0] == 4
    out = StringIO()
    call_command("backup", "--output", str(tmp_path / "copy"), stdout=out)
    assert out.getvalue().strip() == str(tmp_path / "copy")

    # Life goes on: rows change, arrive and go.
    Attendance.objects.all().delete()
    Registration.objects.filter(status="waiting").update(status="cancelled")
    register(SessionFactory(parent=participation.get_parent()), UserFactory())
    assert fingerprint() != before

    call_command("restore", str(tmp_path / "copy"), "--yes", stdout=StringIO())
    assert fingerprint() == before
    # The restored database is a working one.
    late = timezone.now() + timedelta(days=1)
    assert SessionFactory(parent=participation.get_parent(), start=late).pk


def test_a_restore_refuses_what_is_not_a_backup(participation, tmp_path):
    before = fingerprint()
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a database at all" * 10)
    for path in (junk, tmp_path / "missing"):
        with pytest.raises(CommandError):
            call_command("restore", str(path), "--yes")
    assert fingerprint() == before
