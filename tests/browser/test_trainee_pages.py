"""What a trainee meets, on a phone (390×844) and a desktop (1366×900):
each registration window says where it stands and offers only the action
that can succeed; /me/ and the class page fit a phone without scrolling
sideways, their actions in view. Screenshots go to test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import TrainingIndexPage
from courses.services.completion import confirm
from courses.services.enrolment import assign, enrol
from lectures.models import Registration, RegistrationStatus, SessionPage
from lectures.services.registration import register
from tests.courses.helpers import at, attend, held_class
from tests.factories import (
    ClassFactory,
    SessionFactory,
    TraineeProfileFactory,
    UserFactory,
    attended,
    ended_session,
)

from .conftest import ARTIFACTS, PASSWORD, PHONE, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 900}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(params=list(WIDTHS))
def sized(request, chromium, live_server):
    """A page at each width, and the width's name."""
    context = chromium.new_context(
        base_url=live_server.url, viewport=WIDTHS[request.param], locale="zh-CN"
    )
    context.set_default_timeout(15_000)
    yield context.new_page(), request.param
    context.close()


def fits(page) -> None:
    """No sideways scrolling: the document is exactly as wide as the window."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] == widths[1], f"{page.url} scrolls sideways: {widths}"


def in_view(page, locator) -> None:
    """The element is visible and lies within the window's width."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width = page.evaluate("window.innerWidth")
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= width, box


def snap(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"after-{name}.png"), full_page=True)


@pytest.fixture
def windows(tree):
    now = timezone.now().replace(second=0, microsecond=0)
    town = tree["town"]
    soon = now + timedelta(days=5)
    not_yet = SessionFactory(
        parent=town,
        title="尚未开放报名的讲座",
        start=soon,
        end=soon + timedelta(hours=2),
        registration_opens=now + timedelta(days=2),
    )
    open_ = SessionFactory(parent=town, title="正在报名的讲座", capacity=30)
    full = SessionFactory(parent=town, title="名额已满的讲座", capacity=1)
    register(full, UserFactory())
    started = SessionFactory(
        parent=town,
        title="已经开讲的讲座",
        start=now + timedelta(hours=1),
        end=now + timedelta(hours=3),
    )
    return {"not_yet": not_yet, "open": open_, "full": full, "started": started}


def test_a_trainee_meets_each_registration_window(sized, windows):
    page, width = sized
    trainee = UserFactory(username="xueyuan")
    register(windows["started"], trainee)
    # It has started since he registered.
    SessionPage.objects.filter(pk=windows["started"].pk).update(
        start=timezone.now() - timedelta(minutes=30)
    )
    login(page, "xueyuan", PASSWORD, next_url="/schedule/")
    fits(page)
    expect(page.locator(".window.not-yet")).to_be_visible()
    expect(page.locator(".window.full")).to_be_visible()
    snap(page, f"schedule-{width}")

    page.goto(windows["not_yet"].url)
    expect(page.locator(".registration .window.not-yet")).to_contain_text("报名将于")
    expect(page.get_by_role("button", name="报名", exact=True)).to_have_count(0)
    fits(page)
    snap(page, f"session-not-yet-{width}")

    page.goto(windows["open"].url)
    expect(page.locator(".registration .window.open")).to_contain_text("报名中，截至")
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.locator(".registration .mine")).to_be_visible()
    assert (
        Registration.objects.get(user=trainee, session=windows["open"]).status
        == RegistrationStatus.CONFIRMED
    )

    page.goto(windows["full"].url)
    expect(page.locator(".registration .window.full")).to_be_visible()
    page.get_by_role("button", name="加入候补").click()
    expect(page.locator(".registration .mine")).to_contain_text("候补")
    fits(page)
    snap(page, f"session-full-{width}")

    page.goto(windows["started"].url)
    expect(page.locator(".registration .window.closed")).to_be_visible()
    expect(page.get_by_role("button", name="取消报名")).to_have_count(0)
    expect(page.get_by_role("button", name="报名", exact=True)).to_have_count(0)

    # From /me/, cancelling comes back to /me/; the started one offers none.
    page.goto("/me/")
    cards = page.locator(".session-card", has_text="正在报名的讲座")
    cards.get_by_role("button", name="取消报名").click()
    page.wait_for_load_state()
    assert page.url.endswith("/me/")
    started_card = page.locator(".session-card", has_text="已经开讲的讲座")
    expect(started_card.get_by_role("button", name="取消报名")).to_have_count(0)


@pytest.fixture
def busy_trainee(tree, district_admin):
    """A trainee with a year's worth of rows: registrations, attendance, a
    finished class with its certificate and a class ahead with lessons."""
    user = TraineeProfileFactory(user__username="xueyuan", real_name="张三").user
    index = TrainingIndexPage.objects.get()
    done, lessons = held_class(index, title="2026年新任科级干部初任培训班", lessons=4)
    assign(done, [user], by=district_admin, now=at(done.start_date, 0))
    for lesson in lessons:
        attend(lesson, user)
    confirm(done, [user.pk], by=district_admin)
    ahead = ClassFactory(
        parent=index, title="中青年干部领导力提升培训班（第二期）", capacity=40
    )
    for n in range(3):
        start = timezone.now() + timedelta(days=12 + n)
        SessionFactory(
            parent=ahead,
            title=f"基层党建工作实务专题{n + 1}",
            start=start,
            end=start + timedelta(hours=3),
            venue="区委党校报告厅（东楼三层）",
            study_hours=3,
        )
    enrol(ahead, user)
    for n in range(4):
        session = SessionFactory(parent=tree["town"], title=f"乡村振兴政策解读第{n}讲")
        register(session, user)
    return {"user": user, "ahead": ahead}


def test_me_and_the_class_page_fit(sized, busy_trainee):
    page, width = sized
    login(page, "xueyuan", PASSWORD, next_url="/me/")
    page.goto("/me/")
    fits(page)
    in_view(page, page.get_by_role("link", name="结业证书").first)
    for button in page.get_by_role("button", name="取消报名").all():
        in_view(page, button)
    expect(page.locator(".figures strong").first).to_have_text("8.0")
    snap(page, f"me-{width}")

    page.goto(busy_trainee["ahead"].url)
    fits(page)
    in_view(page, page.get_by_role("button", name="申请退班"))
    for button in page.get_by_role("button", name="请假").all():
        in_view(page, button)
    snap(page, f"class-{width}")


def test_the_evaluation_counts_the_comment_and_clears_answered_errors(page, network):
    session = ended_session(network["village"], title="基层党建实务讲座")
    attended(session, network["trainee"])
    login(page, "trainee", PASSWORD, next_url=session.url + "evaluate/")
    page.goto(session.url + "evaluate/")
    fieldsets = page.locator("fieldset.indicator")
    for n in range(4):
        fieldsets.nth(n).get_by_text("满意", exact=True).click()
    page.fill("textarea[name=comment]", "长" * 1001)
    counter = page.locator(".char-count")
    expect(counter).to_have_text("1001 / 1000")
    expect(counter).to_have_class("hint char-count over")
    page.get_by_role("button", name="提交评估").click()
    page.wait_for_load_state()
    # Refused, not cut: the text is all there, with a message at the field.
    assert page.input_value("textarea[name=comment]") == "长" * 1001
    expect(page.locator("div.comment .errorlist")).to_contain_text("1000")
    last = fieldsets.nth(4)
    expect(last.locator(".errorlist")).to_be_visible()
    last.get_by_text("较满意", exact=True).click()
    expect(last.locator(".errorlist")).to_be_hidden()
