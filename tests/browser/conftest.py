"""Playwright driving Debian's Chromium against pytest-django's live server.

No browser download: the tests use the system Chromium (`apt-get install
chromium`). Where there is none they are skipped with a loud reason.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in a greenlet; the ORM calls the
# tests make between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM:
        pytest.skip(
            "!!! BROWSER TESTS SKIPPED: Debian's chromium is not installed "
            "(apt-get install chromium) !!!"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport=PHONE, locale="zh-CN"
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def shot(request):
    """Save a screenshot named after the test, kept as a CI artefact."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, username: str, password: str, next_url: str = "/admin/"):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


PASSWORD = "browser-pass-1"


@pytest.fixture
def network(transactional_db):
    """A district, a town with a village, and one user per role."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from lectures.models import (
        DistrictForumPage,
        Lecturer,
        SessionPage,
        SessionStatus,
        UnitForumPage,
        VillageForumPage,
    )
    from training_site.models import HomePage

    User = get_user_model()
    home = HomePage.objects.get()
    district = home.add_child(
        instance=DistrictForumPage(
            title="区级大讲坛", slug="district", unit_kind="district", unit_name="区委"
        )
    )
    town = district.add_child(
        instance=UnitForumPage(
            title="城关镇小讲坛", slug="chengguan", unit_kind="town", unit_name="城关镇"
        )
    )
    village = town.add_child(
        instance=VillageForumPage(
            title="东风村微讲坛",
            slug="dongfeng",
            unit_kind="village",
            unit_name="东风村",
        )
    )
    start = timezone.now() + timedelta(days=3)
    session = village.add_child(
        instance=SessionPage(
            title="乡村振兴政策宣讲",
            start=start,
            end=start + timedelta(hours=2),
            venue="东风村党群服务中心",
            status=SessionStatus.SCHEDULED,
        )
    )

    def user(name, group=None):
        account = User.objects.create_user(name, password=PASSWORD, last_name=name)
        if group is not None:
            account.groups.add(group)
        return account

    lecturer_user = user("lecturer")
    lecturer = Lecturer.objects.create(
        name="王讲师", title="党校教授", user=lecturer_user
    )
    # Parental m2m relations are committed when their owner is saved.
    lecturer.forums.set([town])
    lecturer.save()
    session.lecturers.set([lecturer])
    session.save()
    return {
        "district": district,
        "town": town,
        "village": village,
        "session": session,
        "lecturer": lecturer,
        "town_admin": user("town_admin", town.admin_group),
        "village_admin": user("village_admin", village.admin_group),
    }
