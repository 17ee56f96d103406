"""The admin's flows in a browser, on a phone and on a desktop: a lecturer
drafting and submitting, a town administrator approving and sending back,
the roster's bulk marking — and no English on the screens they pass."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lectures.models import Attendance, SessionPage
from lectures.services.registration import register
from tests import latin_scan
from tests.factories import SessionFactory
from tests.lectures.test_roster import trainee

from .conftest import PASSWORD, login
from .test_flows import fill_title, logout, open_actions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 900},
}


@pytest.fixture(params=list(SIZES))
def sized(request, page):
    page.set_viewport_size(SIZES[request.param])
    return page


def english_on_screen(page) -> set[str]:
    """English words in what the browser shows, scripts' output included."""
    text = page.evaluate(
        "() => [document.body.innerText, ...Array.from("
        "document.querySelectorAll('[placeholder],[aria-label],[title]'),"
        " e => [e.getAttribute('placeholder'), e.getAttribute('aria-label'),"
        " e.getAttribute('title')].filter(Boolean).join(' '))].join('\\n')"
    )
    return {
        word
        for line in text.splitlines()
        if not latin_scan.SLUG.match(line)
        for word in latin_scan.english(line)
    }


def submitted(network, title: str) -> SessionPage:
    """A session the lecturer drafted and submitted for approval."""
    lecturer = network["lecturer"]
    session = SessionFactory(
        parent=network["town"],
        title=title,
        live=False,
        owner=lecturer,
        lecturers=[lecturer.lecturer],
    )
    session.save_revision(user=lecturer)
    session.get_workflow().start(session, lecturer)
    return session


def test_a_lecturer_drafts_and_submits(sized, network, shot):
    page = sized
    login(page, "lecturer", PASSWORD)
    expect(page.locator(".lecturer-desk")).to_contain_text("我的讲次")
    shot(page, "lecturer-dashboard")
    page.goto(f"/admin/pages/{network['town'].pk}/add_subpage/")
    expect(page).to_have_url(
        f"{page.url.split('/admin/')[0]}/admin/pages/add/lectures/sessionpage/"
        f"{network['town'].pk}/"
    )
    start = timezone.localtime() + timedelta(days=10)
    fill_title(page, "基层治理能力提升专题讲座")
    page.fill("#id_start", start.strftime("%Y-%m-%d %H:%M"))
    page.fill("#id_end", (start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    page.fill("#id_venue", "城关镇政府三楼会议室")
    page.fill("[data-searchable-checkboxes-search]", network["lecturer"].lecturer.name)
    page.get_by_label(network["lecturer"].lecturer.name, exact=True).check()
    assert english_on_screen(page) == set()
    shot(page, "session-form")
    primary = page.locator("footer button[name=action-submit]").first
    expect(primary).to_be_visible()
    expect(primary).to_contain_text("提交审批")
    primary.click()
    page.wait_for_load_state("networkidle")
    session = SessionPage.objects.get(title="基层治理能力提升专题讲座")
    assert session.workflow_in_progress
    assert list(session.lecturers.all()) == [network["lecturer"].lecturer]
    page.goto("/admin/")
    expect(page.locator(".lecturer-desk")).to_contain_text("等待审批：1 个")
    assert english_on_screen(page) == set()


def test_a_town_administrator_approves_and_sends_back(sized, network, shot):
    page = sized
    approved = submitted(network, "优化营商环境专题讲座")
    returned = submitted(network, "安全生产专题讲座")
    login(page, "town_admin", PASSWORD)
    expect(page.get_by_text("待审批讲次：2 个")).to_be_visible()
    page.goto(f"/admin/pages/{approved.pk}/edit/")
    expect(page.locator(".review-banner")).to_contain_text("等待审批")
    open_actions(page)
    page.locator("button[data-workflow-action-name=approve]").first.click()
    expect(page.get_by_text("“优化营商环境专题讲座”已批准。")).to_be_visible()
    approved.refresh_from_db()
    assert approved.live

    page.goto(f"/admin/pages/{returned.pk}/edit/")
    open_actions(page)
    page.locator("button[data-workflow-action-name=reject]").first.click()
    page.locator("textarea[name=comment]").fill("请补充讲稿和课件")
    page.locator(".modal button[type=submit]").click()
    expect(page.get_by_text("已退回修改，已通知提交人")).to_be_visible()
    shot(page, "sent-back")

    logout(page)
    login(page, "lecturer", PASSWORD)
    expect(page.locator(".lecturer-desk")).to_contain_text("请补充讲稿和课件")
    page.goto(f"/admin/pages/{returned.pk}/edit/")
    banner = page.locator(".review-banner")
    expect(banner).to_contain_text("退回修改")
    expect(banner).to_contain_text("请补充讲稿和课件")
    expect(page.locator("footer button[name=action-submit]").first).to_contain_text(
        "重新提交审批"
    )
    shot(page, "banner")


def test_the_roster_is_marked_in_bulk(sized, network, shot):
    page = sized
    session = SessionFactory(
        parent=network["town"], start=timezone.now() + timedelta(minutes=20)
    )
    people = [trainee(f"学员{n}", f"1360000000{n}") for n in range(4)]
    for person in people:
        register(session, person)
    login(page, "town_admin", PASSWORD)
    page.goto(f"/admin/pages/{session.pk}/edit/")
    page.get_by_role("link", name="考勤与签到").first.click()
    expect(page.locator("#roster-marks")).to_contain_text("学员3")
    page.fill("input[name=find]", "学员")
    page.locator("input[name=find]").press("Enter")
    page.locator("[data-roster-all]").check()
    page.select_option("#set-status", "present")
    page.get_by_role("combobox", name="学员0的考勤").select_option("late")
    page.get_by_role("button", name="保存全部考勤").first.click()
    expect(page.get_by_text("考勤已保存：修改 4 人。")).to_be_visible()
    shot(page, "roster")
    statuses = dict(
        Attendance.objects.filter(session=session).values_list("user_id", "status")
    )
    # The ticked rows take the bulk status, over a row's own choice.
    assert statuses == {person.pk: "present" for person in people}
    assert english_on_screen(page) == set()
