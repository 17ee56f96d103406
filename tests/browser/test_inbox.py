"""The inbox on a phone: a cancellation reaches a registered trainee, the
header counts it, and he marks it read."""

import pytest
from playwright.sync_api import expect

from lectures.models import SessionStatus
from lectures.services.registration import register
from tests.factories import TraineeProfileFactory

from .conftest import PASSWORD, PHONE, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_trainee_reads_a_cancellation_in_his_inbox_on_a_phone(page, network, shot):
    trainee = TraineeProfileFactory(user__username="reader").user
    session = network["session"]
    register(session, trainee)
    session.status = SessionStatus.CANCELLED
    session.save_revision().publish()

    login(page, "reader", PASSWORD, next_url="/me/")
    badge = page.locator("header .inbox-link .badge")
    expect(badge).to_have_text("2")  # registered, then cancelled
    page.click("header .inbox-link")
    expect(page.locator(".notice.unread")).to_have_count(2)
    expect(page.locator(".notice").first).to_contain_text("乡村振兴政策宣讲")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    shot(page, "inbox")

    page.locator(".notice").first.get_by_role("button", name="标为已读").click()
    expect(page.locator(".notice.unread")).to_have_count(1)
    expect(badge).to_have_text("1")
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator(".notice.unread")).to_have_count(0)
    expect(badge).to_have_count(0)
    shot(page, "all-read")
