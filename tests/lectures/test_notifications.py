"""Submitting a page for approval mails the administrators of the forum above."""

import pytest
from django.core import mail

from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_a_submitted_session_is_mailed_to_its_forums_administrators_only(tree, people):
    lecturer = people["lecturer"]
    session = SessionFactory(parent=tree["town"], live=False, owner=lecturer)
    session.save_revision(user=lecturer)
    mail.outbox.clear()

    session.get_workflow().start(session, lecturer)

    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {people["town_admin"].email}
