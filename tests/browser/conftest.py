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
# The site's Content-Security-Policy forbids eval, which `page.wait_for_function`
# with a string uses: wait with `expect(locator)` instead.
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


@pytest.fixture(scope="session", autouse=True)
def _patient_expect():
    """`expect(…)` waits as long as every other step (the context's default
    below; its own is 5 s): on a busy machine, with the rest of the suite
    running beside these tests, a page can take longer than 5 s to answer.
    The same condition is waited for, only longer."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


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


PASSWORD = "pass-1234"  # what tests.factories.UserFactory sets


@pytest.fixture
def network(tree, people):
    """The shared tree and roles, plus one upcoming session in the village."""
    from tests.factories import SessionFactory

    session = SessionFactory(
        parent=tree["village"],
        title="乡村振兴政策宣讲",
        venue="东风村党群服务中心",
        lecturers=[people["lecturer"].lecturer],
    )
    return {**tree, **people, "session": session}
