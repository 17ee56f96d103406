"""A trainee who attended evaluates a session on his phone."""

import pytest

from lectures.models import EvaluationReceipt, SessionEvaluation
from tests.factories import attended, ended_session

from .conftest import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_trainee_evaluates_from_his_page_on_a_phone(page, network, shot):
    trainee = network["trainee"]
    session = ended_session(network["village"], title="基层党建实务讲座")
    attended(session, trainee)

    login(page, "trainee", PASSWORD, next_url="/me/")
    assert "基层党建实务讲座" in page.locator(".to-evaluate").inner_text()
    shot(page, "waiting")
    page.locator(".to-evaluate a.button").first.click()
    page.wait_for_load_state()
    assert "匿名" in page.content()

    # Forget one indicator first: the page says which, nothing is stored.
    fieldsets = page.locator("fieldset.indicator")
    assert fieldsets.count() == 5
    for n in range(4):
        fieldsets.nth(n).get_by_text("满意", exact=True).click()
    page.fill("textarea[name=comment]", "案例很贴近村里的工作")
    page.get_by_role("button", name="提交评估").click()
    page.wait_for_load_state()
    assert "请为此项评分" in page.content()
    assert not EvaluationReceipt.objects.exists()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the evaluation must not scroll sideways on a phone"
    shot(page, "missing")

    page.locator("fieldset.indicator").nth(4).get_by_text("较满意", exact=True).click()
    page.get_by_role("button", name="提交评估").click()
    page.wait_for_url("**/me/")
    assert "谢谢，您的评估已提交" in page.content()
    assert page.locator(".to-evaluate").count() == 0
    shot(page, "done")

    assert EvaluationReceipt.objects.filter(session=session, user=trainee).exists()
    assert SessionEvaluation.objects.get(session=session).responses == 1
