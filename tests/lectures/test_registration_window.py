"""Registration tells the truth before the click: the window's state (not yet
open, open until…, full → waiting list, closed, started) is decided by the
registration service, shown where the button is, and the button (and the
cancel button) is offered only when the action can succeed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lectures.models import (
    Registration,
    RegistrationStatus,
    SessionPage,
    TraineeProfile,
)
from lectures.models.sessions import AudienceScope
from lectures.services.registration import (
    RegistrationError,
    WindowState,
    attach_windows,
    cancel,
    may_cancel,
    register,
    registration_window,
)
from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(second=0, microsecond=0)


def at(hours: float):
    return NOW + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("fields", "confirmed", "state"),
    [
        ({"registration_opens": at(24)}, 0, WindowState.NOT_YET),
        ({}, 0, WindowState.OPEN),
        ({"capacity": 2}, 1, WindowState.OPEN),
        ({"capacity": 2}, 2, WindowState.FULL),
        ({"registration_closes": at(-1)}, 0, WindowState.CLOSED),
        ({"start": at(-1), "end": at(1)}, 0, WindowState.STARTED),
        ({"status": "cancelled"}, 0, WindowState.UNAVAILABLE),
    ],
)
def test_the_window_of_a_session(tree, fields, confirmed, state):
    fields = {"start": at(48), "end": at(50), **fields}
    session = SessionFactory(parent=tree["town"], **fields)
    window = registration_window(session, confirmed=confirmed, now=NOW)
    assert window.state == state
    assert window.can_register == (state in (WindowState.OPEN, WindowState.FULL))


def test_registration_is_refused_after_the_start_whatever_the_closing_time(tree):
    session = SessionFactory(parent=tree["town"], start=at(-1), end=at(1))
    # A row from before the rule (the form now refuses this closing time).
    SessionPage.objects.filter(pk=session.pk).update(registration_closes=at(1))
    with pytest.raises(RegistrationError) as error:
        register(session, UserFactory())
    assert error.value.code == "started"
    assert not Registration.objects.exists()


def test_a_started_session_refuses_a_cancellation_and_says_so(tree):
    session = SessionFactory(parent=tree["town"], start=at(2), end=at(4))
    user = UserFactory()
    register(session, user, now=NOW)
    assert may_cancel(session.kind, session.start, at(1))
    assert not may_cancel(session.kind, session.start, at(3))
    with pytest.raises(RegistrationError) as error:
        cancel(session, user, now=at(3))
    assert error.value.code == "started"
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_a_list_counts_the_seats_of_all_its_sessions_in_one_query(
    tree, django_assert_num_queries
):
    sessions = [
        SessionFactory(
            parent=tree["town"], capacity=1, start=at(48 + n), end=at(50 + n)
        )
        for n in range(5)
    ]
    register(sessions[0], UserFactory())
    listed = list(SessionPage.objects.filter(pk__in=[s.pk for s in sessions]))
    with django_assert_num_queries(1):
        attach_windows(listed)
    states = {s.pk: s.registration_window.state for s in listed}
    assert states[sessions[0].pk] == WindowState.FULL
    assert {states[s.pk] for s in sessions[1:]} == {WindowState.OPEN}


def test_a_list_without_limited_open_sessions_costs_no_query(
    tree, django_assert_num_queries
):
    SessionFactory(parent=tree["town"], registration_opens=at(24))
    listed = list(SessionPage.objects.all())
    with django_assert_num_queries(0):
        attach_windows(listed)
    assert listed[0].registration_window.state == WindowState.NOT_YET


# The session page ------------------------------------------------------------


def page_for(client, session, user=None):
    if user is not None:
        client.force_login(user)
    return client.get(session.url).content.decode()


def test_a_session_not_yet_open_shows_when_and_offers_no_button(client, tree):
    opens = timezone.localtime(NOW + timedelta(days=2))
    session = SessionFactory(parent=tree["town"], registration_opens=opens)
    html = page_for(client, session, UserFactory())
    assert 'class="window not-yet"' in html
    assert opens.strftime("%Y-%m-%d %H:%M") in html
    assert f'action="{session.url}register/"' not in html


def test_an_open_session_shows_until_when_and_offers_the_button(client, tree):
    session = SessionFactory(parent=tree["town"])
    html = page_for(client, session, UserFactory())
    assert 'class="window open"' in html
    assert f'action="{session.url}register/"' in html


def test_an_open_session_offers_anonymous_visitors_the_login(client, tree):
    session = SessionFactory(parent=tree["town"])
    button = 'class="button" href="/accounts/login/?next='
    assert button in page_for(client, session)
    closed = SessionFactory(parent=tree["town"], registration_closes=at(-1))
    assert button not in page_for(client, closed)


def test_a_full_session_offers_the_waiting_list(client, tree):
    session = SessionFactory(parent=tree["town"], capacity=1)
    register(session, UserFactory())
    html = page_for(client, session, UserFactory())
    assert 'class="window full"' in html
    assert f'action="{session.url}register/"' in html


def test_a_started_session_offers_neither_registration_nor_cancellation(client, tree):
    session = SessionFactory(parent=tree["town"], start=at(1), end=at(3))
    user = UserFactory()
    register(session, user)
    SessionPage.objects.filter(pk=session.pk).update(start=at(-1))
    html = page_for(client, session, user)
    assert 'class="window closed"' in html
    assert f'action="{session.url}cancel/"' not in html
    assert f'action="{session.url}register/"' not in html


def test_the_schedule_and_the_forum_show_each_sessions_window(client, tree):
    opens = timezone.localtime(NOW + timedelta(days=2))
    SessionFactory(parent=tree["town"], registration_opens=opens, start=at(24 * 5))
    full = SessionFactory(parent=tree["town"], capacity=1, start=at(24 * 6))
    register(full, UserFactory())
    for url in ("/schedule/", tree["town"].url):
        html = client.get(url).content.decode()
        assert 'class="window not-yet"' in html, url
        assert 'class="window full"' in html, url


# /me/ -------------------------------------------------------------------------


def test_me_offers_cancelling_only_before_the_start(client, tree):
    user = UserFactory()
    ahead = SessionFactory(parent=tree["town"], start=at(24), end=at(26))
    started = SessionFactory(parent=tree["town"], start=at(1), end=at(3))
    register(ahead, user)
    register(started, user)
    SessionPage.objects.filter(pk=started.pk).update(start=at(-1))
    html = page_for(client, ahead, user) and client.get("/me/").content.decode()
    assert f'action="{ahead.url}cancel/"' in html
    assert f'action="{started.url}cancel/"' not in html


def test_cancelling_from_me_returns_to_me(client, tree):
    user = UserFactory()
    session = SessionFactory(parent=tree["town"])
    register(session, user)
    client.force_login(user)
    response = client.post(session.url + "cancel/", {"next": "/me/"})
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/me/", "javascript:alert(1)"]
)
def test_a_next_to_elsewhere_is_ignored(client, tree, next_url):
    user = UserFactory()
    session = SessionFactory(parent=tree["town"])
    register(session, user)
    client.force_login(user)
    response = client.post(session.url + "cancel/", {"next": next_url})
    assert response["Location"] == session.url


def test_a_session_for_other_units_says_so_instead_of_a_button(client, tree):
    session = SessionFactory(parent=tree["town"], audience_scope=AudienceScope.SUBTREE)
    inside, outside = UserFactory(), UserFactory()
    TraineeProfile.objects.create(
        user=inside, real_name="甲", mobile="13800000001", unit_forum=tree["village"]
    )
    TraineeProfile.objects.create(
        user=outside, real_name="乙", mobile="13800000002", unit_forum=tree["sibling"]
    )
    html = page_for(client, session, outside)
    assert f'action="{session.url}register/"' not in html
    assert "该讲次仅面向城关镇小讲坛及下级单位" in html
    html = page_for(client, session, inside)
    assert f'action="{session.url}register/"' in html
