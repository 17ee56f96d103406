"""A mail that fails is logged and does not undo, or fail, what was done."""

import logging

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from lectures.models import Registration
from lectures.services.registration import register
from tests.factories import SessionFactory, UserFactory
from training_site import mail

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture
def mail_down(settings):
    settings.EMAIL_BACKEND = "tests.training_site.test_mail.RefusingBackend"


def test_a_failed_mail_is_logged_without_addresses(mail_down, caplog):
    with caplog.at_level(logging.ERROR, logger="training_site.mail"):
        assert mail.send("主题", "正文", ["someone@example.org"], about="test") is False
    (record,) = caplog.records
    assert record.exc_info and "test" in record.getMessage()
    assert "someone@example.org" not in record.getMessage()


def test_a_promotion_whose_mail_fails_stands_and_raises_nothing(
    mail_down, client, tree, caplog, django_capture_on_commit_callbacks
):
    session = SessionFactory(parent=tree["town"], capacity=1)
    first, second = UserFactory(), UserFactory(email="second@example.org")
    register(session, first)
    register(session, second)
    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(session.url + "cancel/")
    assert response.status_code == 302
    assert Registration.objects.get(user=second).status == "confirmed"
    assert any(r.name == "training_site.mail" for r in caplog.records)
