"""The demo's coverage path: `demo_town` opens 统计 → 全覆盖 for his town,
sees the rate by rank, drills into the 乡科级 cadres who are behind and
exports them."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from lectures.demo.builder import DemoBuilder, demo_password
from lectures.models import ForumPage
from tests.browser.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(live_server):
    return DemoBuilder(scale=1).build()


def test_demo_town_drills_into_the_cadres_behind_and_exports_them(page, demo, shot):
    login(page, "demo_town", demo_password())
    page.goto("/admin/")
    page.get_by_role("link", name="全覆盖").first.click()
    page.wait_for_load_state("networkidle")
    by_rank = page.locator("#table-rank")
    expect(by_rank).to_contain_text("乡科级副职")
    expect(by_rank).to_contain_text("达标率")
    shot(page, "by-rank")
    # The 乡科级副职 row's "behind" count leads to their names.
    row = by_rank.locator("tbody tr", has_text="乡科级副职")
    row.locator("td").nth(2).get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#table-names")).to_be_visible()
    town = ForumPage.objects.get(pk=demo_town_forum())
    behind = page.locator("#table-names tbody tr")
    assert behind.count() > 0
    shot(page, "behind")
    with page.expect_download() as download:
        page.locator("#table-names").get_by_role("link", name="下载 XLSX").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert town.title in rows[0][0]
    body = rows[4:-1]
    assert len(body) >= behind.count()  # the page shows 50 at a time
    assert {row[2] for row in body} == {"乡科级副职"}  # the rank column
    units = set(
        ForumPage.objects.filter(path__startswith=town.path).values_list(
            "unit_name", flat=True
        )
    )
    assert {row[1] for row in body} <= units  # his town's cadres only


def demo_town_forum() -> int:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="demo_town")
    return ForumPage.objects.get(admin_group__in=user.groups.all()).pk
