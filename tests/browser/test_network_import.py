"""The admin's network import in Chromium: upload, preview, confirm."""

import pytest
from playwright.sync_api import expect

from lectures.models import SessionPage
from onboarding.services.setup import setup_network
from tests.onboarding.workbooks import sheets, xlsx

from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_district_previews_then_confirms_an_import(page, shot, tmp_path):
    setup_network(
        district_name="某区干部大讲坛",
        department_name="区委组织部",
        username="first_admin",
        password="Zhong-Wen-2026",
    )
    workbook = tmp_path / "network.xlsx"
    workbook.write_bytes(xlsx(sheets()))
    login(page, "first_admin", "Zhong-Wen-2026", "/admin/network/import/")
    page.goto("/admin/network/import/")
    page.set_input_files("input[name=files]", str(workbook))
    page.get_by_role("button", name="检查并预览").click()
    page.wait_for_load_state("networkidle")
    preview = page.locator("table[data-import-preview]")
    expect(preview).to_contain_text("往期讲座")
    expect(page.get_by_text("预览：尚未写入任何数据")).to_be_visible()
    shot(page, "preview")
    assert not SessionPage.objects.exists()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("已导入：新建")).to_be_visible()
    shot(page, "imported")
    assert SessionPage.objects.count() == 3
