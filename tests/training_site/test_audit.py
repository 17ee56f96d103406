"""`log_at_once` writes the entry Wagtail's `log()` writes, without its lookups."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from lectures.models import Attendance
from lectures.services.checkin import LOG_ACTION
from tests.factories import SessionFactory, UserFactory
from training_site.audit import log_at_once

pytestmark = pytest.mark.django_db

COMPARED = ("content_type_id", "object_id", "label", "action", "user_id", "data")


def test_the_same_entry_as_wagtails_in_one_query(tree):
    user = UserFactory()
    attendance = Attendance.objects.create(
        session=SessionFactory(parent=tree["town"]), user=user
    )
    wagtails = log(instance=attendance, action=LOG_ACTION, user=user)
    with CaptureQueriesContext(connection) as queries:
        ours = log_at_once(attendance, LOG_ACTION, user)
    assert len(queries) == 1  # the insert
    stored = ModelLogEntry.objects.get(pk=ours.pk)
    assert [getattr(stored, f) for f in COMPARED] == [
        getattr(wagtails, f) for f in COMPARED
    ]
    assert stored.timestamp is not None


def test_an_unregistered_action_is_refused(tree):
    user = UserFactory()
    with pytest.raises(ValueError, match="Unregistered log action"):
        log_at_once(user, "lectures.no_such_action", user)
    assert not ModelLogEntry.objects.exists()
