"""A trainee's kept pages (/me/, a class page as he sees it) are never stale.

Each test fills the cache (the second request must be served from it: a
handful of queries), makes one kind of change the way the product makes it
(a service, an editor's publish, the clock), and then asks again: the page
served must equal the page rendered afresh with nothing kept. A trigger,
scope or moment missing would serve the copy from before the change.
"""

import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from courses.services import enrolment
from lectures.models import (
    CheckInMethod,
    EvaluationForm,
    ParticipationSettings,
    Rank,
    SessionStatus,
)
from lectures.services import checkin, evaluations, registration
from records.models import ExternalStatus, Source
from records.services import external
from tests.factories import (
    ClassFactory,
    SessionFactory,
    TraineeProfileFactory,
    UserFactory,
    answer,
    attended,
    ended_session,
)
from tests.records.helpers import elsewhere
from training_site import page_cache
from training_site.notify.models import Notice
from training_site.notify.service import notify
from training_site.personal_pages import _placeholder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
#: At most this many queries for a page served from the cache: session,
#: user, his versions, the kept copy (+ the site's round trip, and a
#: class's seats). The header's unread count is kept with the page.
HIT = 7


@pytest.fixture
def cadre(tree):
    user = TraineeProfileFactory(unit_forum=tree["village"]).user
    return user


@pytest.fixture
def me(client, cadre):
    client.force_login(cadre)
    return client


def body(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return TOKEN.sub("", response.content.decode())


def warm(client, path) -> str:
    """Fill the cache; the next request is served from it. (His first
    visit to /me/ makes his calendar key: a change of his, so twice.)"""
    body(client, path)
    first = body(client, path)
    with CaptureQueriesContext(connection) as queries:
        assert body(client, path) == first
    assert len(queries) <= HIT, [q["sql"][:80] for q in queries]
    return first


def assert_current(client, path, before: str | None = None) -> str:
    """The page served now is the page rendered afresh (and differs from
    `before`, when given: the change shows)."""
    served = body(client, path)
    with override_settings(PAGE_CACHE_SECONDS=0):
        fresh = body(client, path)
    assert served == fresh
    if before is not None:
        assert served != before
    return served


def test_a_kept_page_is_served_with_a_few_queries_however_much_it_shows(
    me, cadre, tree
):
    few = warm(me, "/me/")
    for n in range(12):
        session = SessionFactory(parent=tree["village"], capacity=1)
        registration.register(session, UserFactory())
        registration.register(session, cadre)  # waiting: his place in line
        attended(ended_session(tree["town"], hours_ago=n + 2), cadre)
    many = warm(me, "/me/")
    assert many != few
    with CaptureQueriesContext(connection) as one:
        body(me, "/me/")
    # Session, user, the site's round trip, his versions, the copy (its
    # header's unread count in it: his notices raise his version).
    assert len(one) == 5, [q["sql"][:80] for q in one]


def test_the_forms_of_a_kept_page_carry_the_visitors_token(me, cadre, tree):
    session = SessionFactory(parent=tree["village"])
    registration.register(session, cadre)
    warm(me, "/me/")
    response = me.get("/me/")
    page = response.content.decode()
    assert _placeholder() not in page
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 3  # log out, cancel, reset the calendar link
    # A token of the visitor's cookie: the cancel form posts.
    me.handler.enforce_csrf_checks = True
    cancelled = me.post(
        session.url + "cancel/", {"csrfmiddlewaretoken": tokens[1]}, follow=False
    )
    assert cancelled.status_code == 302


def test_his_registration_and_cancellation_show_at_once(me, cadre, tree):
    session = SessionFactory(parent=tree["village"], title="新开的讲座")
    before = warm(me, "/me/")
    registration.register(session, cadre)
    after = assert_current(me, "/me/", before)
    assert session.url + "cancel/" in after
    registration.cancel(session, cadre)
    assert session.url + "cancel/" not in assert_current(me, "/me/", after)


def test_his_place_in_line_moves_when_someone_ahead_leaves(me, cadre, tree):
    session = SessionFactory(parent=tree["village"], capacity=1)
    first, ahead = UserFactory(), UserFactory()
    registration.register(session, first)
    registration.register(session, ahead)
    registration.register(session, cadre)
    before = warm(me, "/me/")
    registration.register(session, UserFactory())  # behind him: nothing moves
    assert body(me, "/me/") == before
    registration.cancel(session, first)  # the one ahead is promoted
    assert_current(me, "/me/", before)


def test_his_check_in_and_evaluation_show_at_once(me, cadre, tree):
    now = timezone.now()
    session = SessionFactory(
        parent=tree["village"], start=now + timedelta(minutes=5), capacity=None
    )
    registration.register(session, cadre)
    before = warm(me, "/me/")
    credentials = checkin.current_credentials(session)
    checkin.check_in(session, cadre, method=CheckInMethod.QR, token=credentials.token)
    assert_current(me, "/me/", before)

    held = ended_session(tree["village"], hours_ago=2)
    attended(held, cadre)
    waiting = assert_current(me, "/me/")
    assert held.title in waiting
    form = EvaluationForm.objects.get(is_default=True)
    evaluations.submit(held, cadre, answer(form, 4, 4, 3, 4, 2))
    assert_current(me, "/me/", waiting)


def test_a_session_he_registered_for_edited_or_cancelled(me, cadre, tree, commit):
    session = SessionFactory(parent=tree["village"], title="原来的题目")
    registration.register(session, cadre)
    before = warm(me, "/me/")

    def retitle():
        session.title = "改过的题目"
        session.save_revision().publish()

    commit(retitle)
    after = assert_current(me, "/me/", before)
    assert "改过的题目" in after

    def cancel():
        session.status = SessionStatus.CANCELLED
        session.save_revision().publish()

    commit(cancel)
    assert_current(me, "/me/")


def test_his_classes_enrolment_and_class_page(me, cadre, tree, commit):
    class_page = ClassFactory(parent=tree["district"], capacity=2)
    SessionFactory(parent=class_page, kind="lesson", title="第一课")
    before = warm(me, "/me/")
    page_before = warm(me, class_page.url)
    enrolment.enrol(class_page, cadre)
    assert_current(me, "/me/", before)
    page_after = assert_current(me, class_page.url, page_before)
    # Someone else enrols: the seats shown move.
    enrolment.enrol(class_page, UserFactory())
    seats = assert_current(me, class_page.url, page_after)
    # A lesson added to the class (published under it).
    commit(lambda: SessionFactory(parent=class_page, kind="lesson", title="第二课"))
    assert "第二课" in assert_current(me, class_page.url, seats)


def test_training_elsewhere_approved(me, cadre, town_admin):
    training = elsewhere(
        cadre,
        Source.PARTY_SCHOOL,
        "24",
        status=ExternalStatus.PENDING,
        ended=timezone.localdate() - timedelta(days=1),
    )
    before = warm(me, "/me/")
    external.approve(town_admin, training)
    assert_current(me, "/me/", before)


def test_a_notice_and_its_reading(me, cadre):
    before = warm(me, "/me/")
    notify([cadre], "lectures.registration.confirmed", {"title": "某讲座"})
    after = assert_current(me, "/me/", before)
    Notice.objects.filter(recipient=cadre).update(read_at=timezone.now())
    assert_current(me, "/me/", after)


def test_shared_things_rank_quota_setting_and_forum(me, cadre, tree, commit):
    rank = Rank.objects.create(name="科员", yearly_hours=Decimal("40"))
    cadre.trainee.rank = rank
    cadre.trainee.save()
    before = warm(me, "/me/")
    Rank.objects.filter(pk=rank.pk).update(yearly_hours=Decimal("60"))
    quota = assert_current(me, "/me/", before)

    held = ended_session(tree["village"], hours_ago=24 * 5)
    attended(held, cadre)
    shown = assert_current(me, "/me/", quota)
    assert held.url + "evaluate/" in shown  # within the default window

    def shorter_window():
        settings = ParticipationSettings.for_site(
            Site.objects.get(is_default_site=True)
        )
        settings.evaluation_window_days = 3
        settings.save()

    commit(shorter_window)
    narrower = assert_current(me, "/me/", shown)

    def rename_forum():
        village = tree["village"].specific
        village.title = "改名的村"
        village.save_revision().publish()

    commit(rename_forum)
    assert_current(me, "/me/")
    assert narrower


def test_the_clock_a_session_starts_and_his_cancel_button_goes(me, cadre, tree):
    start = timezone.now() + timedelta(hours=1)
    session = SessionFactory(parent=tree["village"], start=start)
    registration.register(session, cadre)
    before = warm(me, "/me/")
    assert "cancel/" in before
    later = start + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        after = assert_current(me, "/me/", before)
    assert "cancel/" not in after


def test_the_clock_an_evaluation_window_closes(me, cadre, tree):
    site = Site.objects.get(is_default_site=True)
    days = ParticipationSettings.for_site(site).evaluation_window_days
    # Its window closes in three minutes: sooner than a copy would expire.
    held = ended_session(tree["village"], hours_ago=days * 24 - 0.05)
    attended(held, cadre)
    before = warm(me, "/me/")
    assert held.url + "evaluate/" in before
    later = held.end + timedelta(days=days, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert held.url + "evaluate/" not in assert_current(me, "/me/", before)


class Failing:
    """The page cache as /me/ sees it, with these calls failing."""

    def __init__(self, *failing: str):
        self.failing = failing

    def __getattr__(self, name):
        if name in self.failing:
            raise ConnectionError("the cache is down")
        return getattr(page_cache, name)


@pytest.mark.parametrize("failing", [("lookup",), ("keep",)])
def test_a_cache_that_fails_never_fails_the_page(me, cadre, tree, failing):
    session = SessionFactory(parent=tree["village"])
    registration.register(session, cadre)
    with mock.patch("training_site.personal_pages.page_cache", Failing(*failing)):
        for _ in range(2):
            response = me.get("/me/")
            assert response.status_code == 200
            assert session.url + "cancel/" in response.content.decode()
    registration.cancel(session, cadre)
    assert_current(me, "/me/")


@pytest.mark.parametrize("lessons", [1, 10])
def test_a_kept_class_page_costs_the_same_queries_for_one_lesson_or_many(
    me, cadre, tree, lessons
):
    class_page = ClassFactory(parent=tree["district"])
    for n in range(lessons):
        SessionFactory(parent=class_page, kind="lesson", title=f"第{n}课")
    enrolment.enrol(class_page, cadre)
    warm(me, class_page.url)
    with CaptureQueriesContext(connection) as queries:
        body(me, class_page.url)
    # Session, user, the site and route, his and the class's versions (its
    # enrolments: the seats), the kept copy with its header's unread count.
    assert len(queries) == 5, [q["sql"][:80] for q in queries]


def test_a_flash_message_is_shown_once_and_the_copy_is_kept_without_it(me, cadre, tree):
    session = SessionFactory(parent=tree["village"])
    registration.register(session, cadre)
    kept = warm(me, "/me/")
    # An action's redirect leads here with its message (the copy is whole:
    # header, messages and all, so it must not be served or kept then).
    me.post(reverse("lectures:my_calendar_reset"))
    shown = body(me, "/me/")
    assert "message success" in shown
    after = body(me, "/me/")
    assert "message success" not in after
    assert after != kept  # the reset link changed his calendar address
    assert_current(me, "/me/", kept)


def test_the_headers_links_of_him_show_at_once(me, cadre):
    """The administration and API links depend on him, not his rows: they
    are parts of the copy's stamp."""
    before = warm(me, "/me/")
    assert 'href="/api/v2/pages/"' not in before
    cadre.is_staff = True
    cadre.save(update_fields=["is_staff"])
    after = assert_current(me, "/me/", before)
    assert 'href="/api/v2/pages/"' in after
    assert 'href="/admin/"' in after
