"""Every main public page at a phone's width, under the Content-Security-Policy.

Chromium at 390×844 (an ordinary phone): no page scrolls sideways, and the
browser reports no violation of the site's CSP — no inline script or style
slipped into a template, nothing loaded from elsewhere. Screenshots of each
page are kept in test-artifacts/.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import SessionFactory

from .conftest import PASSWORD, PHONE, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Listens before any page script runs; Playwright injects it outside the CSP.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page):
    """The page, recording CSP violations from events and from the console."""
    console = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )

    def violations() -> list[str]:
        return console + page.evaluate("window.__cspViolations || []")

    page.violations = violations
    return page


def visit(page, url: str, shot, name: str):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} scrolls sideways: {width}px"
    assert page.violations() == [], url
    assert "default-src 'self'" in response.headers["content-security-policy"]
    shot(page, name)


@pytest.fixture
def soon_session(network):
    soon = timezone.now() + timedelta(minutes=5)
    return SessionFactory(
        parent=network["town"],
        title="党的二十届三中全会精神解读（城关镇专场）",
        venue="城关镇政府三楼大会议室（东侧电梯上楼左转）",
        start=soon,
        end=soon + timedelta(hours=2),
        capacity=80,
        lecturers=[network["lecturer"].lecturer],
    )


def test_public_pages_fit_a_phone_without_csp_violations(
    watched, network, soon_session, shot
):
    pages = {
        "home": "/",
        "schedule": "/schedule/",
        "schedule-filtered": "/schedule/?level=unit&q=精神",
        "forum": network["town"].url,
        "session": soon_session.url,
        "lecturers": "/lecturers/",
        "lecturer": f"/lecturers/{network['lecturer'].lecturer.pk}/",
        "classes": "/classes/",
        "login": "/accounts/login/",
    }
    for name, url in pages.items():
        visit(watched, url, shot, name)


def test_a_trainees_pages_fit_a_phone_without_csp_violations(
    watched, network, soon_session, shot
):
    login(watched, "trainee", PASSWORD, next_url="/me/")
    watched.goto(soon_session.url)
    watched.get_by_role("button", name="报名").click()
    watched.wait_for_load_state()
    visit(watched, soon_session.url, shot, "session-registered")
    visit(watched, soon_session.url + "checkin/", shot, "checkin")
    visit(watched, "/me/", shot, "me")


def test_the_check_in_screen_runs_its_script_under_the_policy(
    watched, network, soon_session, shot
):
    login(watched, "town_admin", PASSWORD, next_url=soon_session.url)
    visit(watched, soon_session.url + "checkin/screen/", shot, "checkin-screen")
    # The static script refreshes the count: it ran, under script-src 'self'.
    with watched.expect_response(lambda r: "checkin/status/" in r.url):
        pass
    assert watched.violations() == []


def test_the_admin_works_under_its_relaxed_policy(watched, network, shot):
    """Wagtail's editor (inline widget scripts) reports no violation either."""
    login(watched, "town_admin", PASSWORD)
    for url in (
        "/admin/",
        f"/admin/pages/{network['town'].pk}/",
        f"/admin/pages/add/lectures/sessionpage/{network['town'].pk}/",
        f"/admin/pages/{network['session'].pk}/edit/",
    ):
        response = watched.goto(url)
        assert response.status == 200, url
        watched.wait_for_load_state("networkidle")
        assert watched.violations() == [], url
        policy = response.headers["content-security-policy"]
        assert "script-src 'self' 'unsafe-inline'" in policy
    shot(watched, "editor")
