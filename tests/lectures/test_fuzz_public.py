"""Junk in every public query parameter and form: never a 500, nothing half-saved.

Property-based (hypothesis): each test draws its parameters from
`tests.fuzz`, hostile strings first. Examples per test are in `settings`;
together 640 requests per run.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from lectures.models import Attendance, Registration, TraineeProfile
from tests.factories import SessionFactory, UserFactory
from tests.fuzz import junk_text, query

pytestmark = pytest.mark.django_db

SCHEDULE_KEYS = ["level", "forum", "field", "category", "start", "end", "status", "q"]
API_KEYS = [
    "type",
    "fields",
    "search",
    "search_operator",
    "order",
    "limit",
    "offset",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "slug",
    "locale",
    "level",
    "forum",
    "start",
    "status",
]


def answered(response) -> int:
    assert response.status_code < 500, response.status_code
    return response.status_code


def carries_nul(params: dict) -> bool:
    """Refused whole with 400 (see training_site.middleware)."""
    values = []
    for key, value in params.items():
        sent = value if isinstance(value, list) else [value]
        values += [key, *sent] if sent else []  # a key with no value is not sent
    return any("\x00" in str(value) for value in values)


def expected(params: dict, *statuses: int) -> tuple[int, ...]:
    return (400,) if carries_nul(params) else statuses


@pytest.fixture
def site(tree):
    soon = timezone.now() + timedelta(minutes=5)
    session = SessionFactory(
        parent=tree["town"], start=soon, end=soon + timedelta(hours=2), capacity=2
    )
    return {**tree, "session": session}


@settings(max_examples=150)
@given(params=query([*SCHEDULE_KEYS, "page"]))
def test_the_schedule_takes_any_query(client, site, params):
    assert answered(client.get("/schedule/", params)) in expected(params, 200)


@settings(max_examples=75)
@given(params=query(SCHEDULE_KEYS))
def test_the_schedule_feed_takes_any_query(client, site, params):
    response = client.get("/schedule.ics", params)
    assert answered(response) in expected(params, 200)
    if response.status_code == 200:
        assert response.content.startswith(b"BEGIN:VCALENDAR")


@settings(max_examples=100)
@given(params=query(API_KEYS))
def test_the_api_takes_any_query(client, site, params):
    assert answered(client.get("/api/v2/pages/", params)) in expected(
        params, 200, 400, 404
    )


@settings(max_examples=50)
@given(params=query(["page", "q"]), which=st.sampled_from(["list", "feed", "event"]))
def test_lecturers_and_feeds_take_any_query(client, site, params, which):
    url = {
        "list": reverse("lectures:lecturer_list"),
        "feed": site["town"].url + "feed.ics",
        "event": site["session"].url + "event.ics",
    }[which]
    assert answered(client.get(url, params)) in expected(params, 200)


@settings(max_examples=50)
@given(token=junk_text)
def test_no_made_up_calendar_token_opens_a_calendar(client, site, token):
    token = token.replace("/", "") or "x"
    url = reverse("lectures:my_calendar", args=[token])
    assert answered(client.get(url)) in expected({"token": token}, 404)


@settings(max_examples=75)
@given(
    data=query(["code", "t", "csrfmiddlewaretoken"]),
    path=st.sampled_from(["register/", "cancel/", "checkin/"]),
)
def test_a_trainee_posting_junk_is_answered(site, trainee, data, path):
    client = Client()
    client.force_login(trainee)
    session = site["session"]
    answered(client.post(session.url + path, data))
    # Whatever he sent, he holds at most one seat and never someone else's.
    assert Registration.objects.filter(session=session).count() <= 1
    assert not Attendance.objects.exclude(user=trainee).exists()
    if Attendance.objects.filter(user=trainee).exists():
        assert data.get("code") or data.get("t")


@pytest.fixture
def roster(site, town_admin):
    people = []
    for n in range(2):
        user = UserFactory()
        TraineeProfile.objects.create(
            user=user, real_name=f"学员{n}", mobile=f"1390000000{n}"
        )
        people.append(user)
    client = Client()
    client.force_login(town_admin)
    return {"client": client, "people": people, **site}


ROSTER_FORM = st.fixed_dictionaries(
    {
        # The old form's field: the action views ignore it, the page refuses it.
        "action": st.one_of(
            st.sampled_from(["mark", "walk_in", "bulk", "close"]), junk_text
        ),
        "user": junk_text,
        "status": st.one_of(
            st.sampled_from(["present", "late", "on_leave", "absent"]), junk_text
        ),
        "reason": junk_text,
        "lines": st.one_of(junk_text, st.sampled_from(["学员0", "13900000001"])),
    }
)


#: Each roster action's URL; the roster page's own takes no POST (405).
ROSTER_VIEWS = [
    "lectures_roster_mark",
    "lectures_roster_walk_in",
    "lectures_roster_bulk",
    "lectures_roster_close",
    "lectures_roster",
]


@settings(max_examples=100)
@given(view=st.sampled_from(ROSTER_VIEWS), form=ROSTER_FORM)
def test_the_roster_takes_any_form(roster, view, form):
    url = reverse(view, args=[roster["session"].pk])
    response = roster["client"].post(url, form)
    acted = 405 if view == "lectures_roster" else 302
    assert answered(response) in expected(form, acted)
    # Marks only ever name real trainees, in this session.
    known = {user.pk for user in roster["people"]}
    marked = set(Attendance.objects.values_list("user_id", flat=True))
    assert marked <= known


@settings(max_examples=40)
@given(lines=st.lists(junk_text, min_size=1, max_size=5))
def test_an_uploaded_sign_in_sheet_of_junk_is_answered(roster, lines):
    url = reverse("lectures_roster_bulk", args=[roster["session"].pk])
    sheet = SimpleUploadedFile("sheet.csv", "\n".join(lines).encode("utf-8"))
    response = roster["client"].post(url, {"sheet": sheet})
    assert answered(response) == 302
    known = {user.pk for user in roster["people"]}
    assert set(Attendance.objects.values_list("user_id", flat=True)) <= known


@pytest.mark.parametrize(
    "offset", ["99999999999999999999999999", "9223372036854775807"]
)
def test_an_offset_past_the_databases_integers_is_refused(client, site, offset):
    response = client.get("/api/v2/pages/", {"offset": offset})
    assert response.status_code == 400
