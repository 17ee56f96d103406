"""Appointing a forum's administrator and founding a 微讲坛, in Chromium at a
desktop's and a phone's width."""

import pytest
from playwright.sync_api import expect

from lectures.models import ForumPage, TraineeProfile, VillageForumPage

from .conftest import PASSWORD, PHONE, login
from .test_flows import fill_title, logout, open_actions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 900}
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


@WIDTHS
def test_the_town_appoints_a_new_village_administrator(page, network, shot, viewport):
    page.set_viewport_size(viewport)
    village2 = network["village2"]
    login(page, "town_admin", PASSWORD)
    page.goto(f"/admin/pages/{village2.pk}/edit/")
    page.get_by_role("tab", name="人员").click()
    expect(page.get_by_text("暂无管理员。").first).to_be_visible()
    shot(page, "people-tab")
    page.get_by_role("link", name="任命或移除人员").click()

    form = page.locator("form.create-account")
    form.locator("[name=real_name]").fill("张小梅")
    form.locator("[name=mobile]").fill("13912345678")
    form.locator("[name=unit_forum]").select_option(str(village2.pk))
    form.locator("[name=initial_password]").fill("chushi-2026")
    form.locator("[name=role]").select_option("administrator")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    # Every cadre has a rank: without one the account is refused, and said why.
    expect(page.locator("form.create-account")).to_contain_text("每名干部都有职级")
    form.locator("[name=rank]").select_option(label="村（社区）干部")
    form.locator("[name=initial_password]").fill("chushi-2026")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("table.administrators")).to_contain_text("张小梅")
    shot(page, "appointed")
    profile = TraineeProfile.objects.get(mobile="13912345678")
    assert profile.rank.name == "村（社区）干部"
    her = profile.user
    assert her.groups.filter(pk=village2.admin_group_id).exists()

    logout(page)
    login(page, "13912345678", "chushi-2026")
    expect(page.locator("input[name=new_password1]")).to_be_visible()
    page.fill("input[name=old_password]", "chushi-2026")
    page.fill("input[name=new_password1]", "Meihua-cun-2026")
    page.fill("input[name=new_password2]", "Meihua-cun-2026")
    page.click("main form.stack button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"/admin/pages/{village2.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(village2.title)
    shot(page, "her-forum")


@WIDTHS
def test_a_village_proposes_a_forum_and_the_town_founds_it(
    page, network, shot, viewport
):
    page.set_viewport_size(viewport)
    town = network["town"]
    founder = TraineeProfile.objects.create(
        user=network["trainee"],
        real_name="刘春花",
        mobile="13811112222",
        unit_forum=network["village"],
    )
    login(page, "village_admin", PASSWORD)
    page.goto(f"/admin/pages/add/lectures/villageforumpage/{town.pk}/")
    fill_title(page, "幸福村微讲坛")
    page.select_option("#id_unit_kind", "village")
    page.fill("#id_unit_name", "幸福村")
    page.get_by_role("tab", name="成立申请").click()
    page.fill("#id_founder_name", "刘春花")
    page.fill("#id_founder_mobile", "13811112222")
    page.fill("#id_application_venue", "幸福村党群服务中心")
    page.fill("#id_application_plan", "上半年每月一讲")
    shot(page, "application")
    open_actions(page)
    page.click("button[name=action-submit]")
    page.wait_for_load_state("networkidle")
    forum = VillageForumPage.objects.get(title="幸福村微讲坛")
    assert not forum.live

    logout(page)
    login(page, "town_admin", PASSWORD)
    page.goto("/admin/")
    expect(page.locator(".founding-applications")).to_contain_text("幸福村微讲坛")
    shot(page, "dashboard")
    page.goto(f"/admin/pages/{forum.pk}/edit/")
    open_actions(page)
    page.locator("button[data-workflow-action-name=approve]").first.click()
    page.wait_for_load_state("networkidle")

    founded = ForumPage.objects.get(pk=forum.pk)
    assert founded.live
    assert founded.founded_on is not None
    assert founded.approved_by.username == "town_admin"
    assert founder.user.groups.filter(pk=founded.admin_group_id).exists()
    page.goto(f"/admin/pages/{forum.pk}/edit/")
    page.get_by_role("tab", name="人员").click()
    expect(page.get_by_text("刘春花").first).to_be_visible()
    shot(page, "founded")
