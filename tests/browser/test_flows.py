"""The flows a person does, in a real browser at a phone's width."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lectures.models import SessionPage, VillageForumPage
from tests.factories import SessionFactory

from .conftest import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def logout(page):
    page.context.clear_cookies()


def fill_title(page, title: str):
    """Type a title and wait for Wagtail's script to derive the slug from it."""
    page.fill("#id_title", title)
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).not_to_have_value("")


def open_actions(page):
    """Open the footer's action menu (submit, approve…)."""
    page.locator(
        "footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]"
    ).first.click()


def test_public_pages_work_on_a_phone(page, network, shot):
    page.goto("/")
    assert page.locator("h1").first.inner_text()
    shot(page, "home")
    page.goto(network["town"].url)
    assert "东风村微讲坛" in page.content()
    page.goto("/schedule/?forum=chengguan")
    assert page.get_by_text("乡村振兴政策宣讲").count() == 1
    shot(page, "schedule")
    page.get_by_text("乡村振兴政策宣讲").click()
    page.wait_for_load_state()
    assert "东风村党群服务中心" in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the session page must not scroll sideways on a phone"
    shot(page, "session")


def test_lecturer_drafts_a_session_and_the_town_approves_it(page, network, shot):
    town = network["town"]
    login(page, "lecturer", PASSWORD)
    page.goto(f"/admin/pages/add/lectures/sessionpage/{town.pk}/")
    start = timezone.localtime() + timedelta(days=10)
    fill_title(page, "基层治理能力提升专题讲座")
    page.fill("#id_start", start.strftime("%Y-%m-%d %H:%M"))
    page.fill("#id_end", (start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    page.fill("#id_venue", "城关镇政府三楼会议室")
    open_actions(page)
    page.click("button[name=action-submit]")
    page.wait_for_load_state("networkidle")
    shot(page, "submitted")
    session = SessionPage.objects.get(title="基层治理能力提升专题讲座")
    assert not session.live

    logout(page)
    login(page, "town_admin", PASSWORD)
    page.goto(f"/admin/pages/{session.pk}/edit/")
    open_actions(page)
    page.locator("button[data-workflow-action-name=approve]").first.click()
    page.wait_for_load_state("networkidle")
    session.refresh_from_db()
    assert session.live

    page.goto("/schedule/")
    assert page.get_by_text("基层治理能力提升专题讲座").count() == 1
    shot(page, "on-schedule")


def test_village_admin_proposes_a_forum_and_the_town_approves_it(page, network, shot):
    town = network["town"]
    login(page, "village_admin", PASSWORD)
    page.goto(f"/admin/pages/add/lectures/villageforumpage/{town.pk}/")
    fill_title(page, "幸福村微讲坛")
    page.select_option("#id_unit_kind", "village")
    page.fill("#id_unit_name", "幸福村")
    open_actions(page)
    page.click("button[name=action-submit]")
    page.wait_for_load_state("networkidle")
    shot(page, "proposed")
    forum = VillageForumPage.objects.get(title="幸福村微讲坛")
    assert not forum.live

    logout(page)
    login(page, "town_admin", PASSWORD)
    page.goto("/admin/")
    assert page.get_by_text("幸福村微讲坛").count() >= 1, "shown as awaiting review"
    shot(page, "dashboard")
    page.goto(f"/admin/pages/{forum.pk}/edit/")
    open_actions(page)
    page.locator("button[data-workflow-action-name=approve]").first.click()
    page.wait_for_load_state("networkidle")
    forum.refresh_from_db()
    assert forum.live
    assert re.search("幸福村微讲坛", page.goto(town.url).text())


def test_a_trainee_registers_and_checks_in_with_the_code(page, network, shot):
    from lectures.models import Attendance, Registration
    from lectures.services.checkin import current_credentials

    soon = timezone.now() + timedelta(minutes=5)
    session = SessionFactory(
        parent=network["town"],
        title="马上开讲的讲座",
        start=soon,
        end=soon + timedelta(hours=2),
        capacity=30,
    )
    login(page, "trainee", PASSWORD, next_url=session.url)
    page.goto(session.url)
    page.get_by_role("button", name="报名").click()
    page.wait_for_load_state()
    assert "您已报名" in page.content()
    assert Registration.objects.get(session=session).status == "confirmed"
    shot(page, "registered")

    page.goto(session.url + "checkin/")
    page.fill("#id_code", current_credentials(session).code)
    page.get_by_role("button", name="签到").click()
    page.wait_for_load_state()
    assert "签到（出勤）" in page.content()
    assert Attendance.objects.get(session=session).user.username == "trainee"
    shot(page, "checked-in")


def test_the_check_in_screen_counts_without_reload(page, network, shot):
    from lectures.models import CheckInMethod
    from lectures.services.checkin import check_in, current_credentials
    from lectures.services.registration import register

    soon = timezone.now() + timedelta(minutes=5)
    session = SessionFactory(
        parent=network["town"], start=soon, end=soon + timedelta(hours=2)
    )
    register(session, network["trainee"])
    login(page, "town_admin", PASSWORD, next_url=session.url)
    page.goto(session.url + "checkin/screen/")
    counter = page.locator('[data-field="checked_in"]')
    assert counter.inner_text() == "0"
    assert page.locator('[data-field="registered"]').inner_text() == "1"
    code_before = page.locator('[data-field="code"]').inner_text()
    assert code_before == current_credentials(session).code

    check_in(
        session,
        network["trainee"],
        method=CheckInMethod.QR,
        token=current_credentials(session).token,
    )
    expect(counter).to_have_text("1", timeout=15_000)
    shot(page, "screen")


def test_an_administrator_exports_a_report(page, network, shot):
    """The town's administrator opens the network report of his subtree, sees
    its charts and downloads a table as a spreadsheet."""
    import io

    from openpyxl import load_workbook

    from lectures.models import SessionStatus

    network["session"].status = SessionStatus.HELD
    network["session"].start = timezone.now() - timedelta(days=2)
    network["session"].end = network["session"].start + timedelta(hours=2)
    network["session"].save()
    login(page, "town_admin", PASSWORD)
    page.goto("/admin/reports/network/")
    expect(page.locator("canvas[data-stats-chart=months]")).to_be_visible()
    shot(page, "report")
    with page.expect_download() as download:
        page.locator("#table-forum").get_by_text("下载 XLSX").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    cells = {str(c.value) for row in book.active.iter_rows() for c in row if c.value}
    assert any("城关镇" in cell for cell in cells)
    assert not any("青山镇" in cell for cell in cells)  # not his subtree
