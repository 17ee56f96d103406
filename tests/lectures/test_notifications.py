"""Approval notices: the forum above is asked, the submitter hears the answer."""

import pytest
from django.core import mail

from tests.factories import SessionFactory
from training_site.notify.models import Notice

pytestmark = pytest.mark.django_db


def test_a_submitted_session_is_told_to_its_forums_administrators_only(
    tree, people, django_capture_on_commit_callbacks
):
    lecturer = people["lecturer"]
    session = SessionFactory(parent=tree["town"], live=False, owner=lecturer)
    session.save_revision(user=lecturer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        session.get_workflow().start(session, lecturer)

    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {people["town_admin"].email}
    notice = Notice.objects.get(kind="lectures.approval.requested")
    assert notice.recipient == people["town_admin"]
    assert session.title in notice.subject
    assert notice.link == f"/admin/pages/{session.pk}/edit/"


def test_the_submitter_hears_the_decision_and_wagtail_mails_nothing_itself(
    tree, people, django_capture_on_commit_callbacks
):
    lecturer, town_admin = people["lecturer"], people["town_admin"]
    session = SessionFactory(parent=tree["town"], live=False, owner=lecturer)
    session.save_revision(user=lecturer)
    workflow_state = session.get_workflow().start(session, lecturer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow_state.current_task_state.task.on_action(
            workflow_state.current_task_state, town_admin, "approve"
        )

    assert [m.to for m in mail.outbox] == [[lecturer.email]]
    notice = Notice.objects.get(recipient=lecturer)
    assert notice.kind == "lectures.approval.approved"
