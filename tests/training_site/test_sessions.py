"""The session and the user of a logged-in request, read without the ORM
(training_site/sessions.py, training_site/prepared.py): the same rows and
rules as Django's, and one query each; and the check-in's rows, written by
statements built once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people.backends import UsernameOrMobileBackend
from tests.factories import UserFactory
from training_site.prepared import get_by, insert
from training_site.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_site_uses_the_plain_statement_store():
    assert settings.SESSION_ENGINE == "training_site.sessions"


def test_a_session_reads_back_what_was_stored_in_one_query():
    store = SessionStore()
    store["seen"] = [1, "二"]
    store.create()
    again = SessionStore(store.session_key)
    with CaptureQueriesContext(connection) as queries:
        assert again["seen"] == [1, "二"]
    assert len(queries) == 1


def test_an_expired_or_unknown_session_is_empty_and_its_key_forgotten():
    store = SessionStore()
    store["seen"] = True
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert "seen" not in expired
    assert expired.session_key is None
    assert dict(SessionStore("x" * 32).items()) == {}


def test_a_tampered_session_is_empty():
    store = SessionStore()
    store["seen"] = True
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        session_data="forged:data"
    )
    assert "seen" not in SessionStore(store.session_key)


@pytest.mark.usefixtures("page_cache_on")
def test_a_logged_in_request_costs_one_query_for_his_session_and_one_for_him(
    client,
):
    user = UserFactory()
    client.force_login(user)
    for _ in range(2):
        client.get("/me/")  # kept (his first visit makes his calendar key)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/me/")
    assert response.status_code == 200
    assert len(queries) == 5  # and the site, his versions, his copy
    tables = [q["sql"] for q in queries]
    assert sum('FROM "django_session"' in sql for sql in tables) == 1
    assert sum('FROM "auth_user"' in sql for sql in tables) == 1


def test_the_user_row_is_the_one_the_orm_reads():
    user = UserFactory(is_staff=True, last_login=timezone.now())
    mine = get_by(get_user_model(), pk=user.pk)
    theirs = get_user_model().objects.get(pk=user.pk)
    fields = [f.attname for f in get_user_model()._meta.concrete_fields]
    assert {f: getattr(mine, f) for f in fields} == {
        f: getattr(theirs, f) for f in fields
    }
    assert mine.is_staff is True  # a boolean, not SQLite's 1
    assert timezone.is_aware(mine.last_login)
    assert mine._state.adding is False
    assert mine._state.db == "default"
    assert get_by(get_user_model(), pk=user.pk + 1000) is None


def test_the_backend_refuses_an_inactive_or_unknown_user():
    backend = UsernameOrMobileBackend()
    user = UserFactory()
    assert backend.get_user(str(user.pk)) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert backend.get_user(str(user.pk)) is None
    assert backend.get_user("not a number") is None
    assert backend.get_user(str(user.pk + 1000)) is None


def test_lookups_on_two_columns_go_to_their_own_places(village):
    from lectures.models import Attendance
    from tests.factories import SessionFactory

    session = SessionFactory(parent=village)
    one, two = UserFactory(), UserFactory()
    mine = Attendance.objects.create(session=session, user=two, status="present")
    assert get_by(Attendance, user_id=two.pk, session_id=session.pk) == mine
    assert get_by(Attendance, session_id=session.pk, user_id=one.pk) is None


def test_an_insert_writes_the_row_bulk_create_would(village):
    """A check-in's attendance and its log entry (training_site/audit.py)."""
    from lectures.models import Attendance, RosterCount
    from tests.factories import SessionFactory
    from training_site.audit import log_at_once

    session = SessionFactory(parent=village)
    user = UserFactory()
    now = timezone.now()
    mine = insert(
        Attendance(
            session=session,
            user=user,
            status="present",
            method="code",
            checked_in_at=now,
        )
    )
    stored = Attendance.objects.get(pk=mine.pk)
    assert (stored.session_id, stored.user_id, stored.checked_in_at) == (
        session.pk,
        user.pk,
        now,
    )
    assert stored.updated_at is not None  # auto_now, as save() sets it
    assert mine._state.adding is False
    # The database's triggers ran: the kept roster count follows.
    assert RosterCount.objects.get(session_id=session.pk).attended == 1
    entry = log_at_once(mine, "lectures.attendance.checked_in", user)
    logged = type(entry).objects.get(pk=entry.pk)
    assert (logged.object_id, logged.user_id, logged.data) == (
        str(mine.pk),
        user.pk,
        {},
    )
