"""A trainee enrols in a class and takes its test on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import (
    Attempt,
    ClassPage,
    Enrolment,
    EnrolmentStatus,
    TrainingIndexPage,
)
from tests.factories import UserFactory

from .conftest import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def bank():
    return [
        {
            "type": "single",
            "value": {
                "text": "微讲坛的设立由哪一级审批？",
                "options": [
                    {"text": "所在镇（街道）", "correct": True},
                    {"text": "村民委员会", "correct": False},
                ],
                "explanation": "",
                "points": 1,
            },
        },
        {
            "type": "true_false",
            "value": {"text": "超时提交的答案有效。", "answer": "false", "points": 1},
        },
    ]


@pytest.fixture
def open_class(db):
    today = timezone.localdate()
    now = timezone.now()
    return TrainingIndexPage.objects.get().add_child(
        instance=ClassPage(
            title="基层党务工作业务培训班",
            slug="dangwu",
            organiser="区委组织部",
            start_date=today,
            end_date=today + timedelta(days=3),
            enrol_closes=now + timedelta(hours=2),
            questions=bank(),
            test_opens=now - timedelta(hours=1),
            test_closes=now + timedelta(days=1),
            live=True,
        )
    )


def test_a_trainee_enrols_and_takes_the_test(page, open_class, shot):
    trainee = UserFactory(username="xueyuan")
    login(page, "xueyuan", PASSWORD, next_url="/classes/")
    page.get_by_text("基层党务工作业务培训班").click()
    page.get_by_role("button", name="报名").click()
    page.wait_for_load_state()
    assert "报名成功" in page.content()
    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    shot(page, "enrolled")

    page.get_by_role("link", name="学习效果测试").click()
    page.get_by_role("button", name="开始测试").click()
    page.wait_for_load_state()
    page.get_by_label("所在镇（街道）").check()
    # The page saves each answer as it is chosen: the server has it before
    # the trainee submits.
    expect(page.locator("#save-state")).to_have_text("✓")
    attempt = Attempt.objects.get(user=trainee)
    # Every question shown is saved, the unanswered one as no answer.
    assert [bool(chosen) for chosen in attempt.answers.values()].count(True) == 1
    page.get_by_label("错误").check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the test must not scroll sideways on a phone"
    shot(page, "test")
    page.get_by_role("button", name="交卷").click()
    page.wait_for_load_state()
    assert "100.0%" in page.content()
    attempt.refresh_from_db()
    assert attempt.passed
    assert attempt.score == 100
    shot(page, "submitted")
