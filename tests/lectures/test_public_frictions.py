"""The small frictions of the public pages, gone: figures with thousands
separators, tier counters without zeros, whole breadcrumbs, the API link for
staff only, a favicon, the forum filter with villages, class lessons named
for their class, the calendar's https link and QR code, the login's label."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lectures.services.overview import tier_figures
from tests.factories import ClassFactory, SessionFactory, UserFactory
from training_site.formatting import count, hours

pytestmark = pytest.mark.django_db


def test_figures_have_one_format():
    assert count(19408) == "19,408"
    assert count(None) == "—"
    assert [hours(47), hours("50"), hours(3.0), hours(None)] == [
        "47.0",
        "50.0",
        "3.0",
        "0.0",
    ]


def test_a_forums_counters_show_no_zero_and_not_its_own_tier():
    counts = {"district": 0, "unit": 1, "village": 5}
    assert [n for _label, n in tier_figures(counts, own="unit")] == [5]
    assert [n for _label, n in tier_figures(counts)] == [1, 5]


def test_a_town_page_counts_no_district_forum(client, tree):
    html = client.get(tree["town"].url).content.decode()
    assert "区级大讲坛</span>" not in html
    assert "微讲坛</span>" in html


def test_the_session_breadcrumbs_end_without_a_dangling_separator(client, tree):
    session = SessionFactory(parent=tree["town"])
    html = client.get(session.url).content.decode()
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert not crumbs.rstrip().endswith("›")


def test_the_api_link_is_for_staff_only(client, tree):
    assert "/api/v2/pages/" not in client.get("/schedule/").content.decode()
    client.force_login(UserFactory(is_staff=True))
    assert "/api/v2/pages/" in client.get("/schedule/").content.decode()


def test_a_favicon(client):
    html = client.get("/schedule/").content.decode()
    assert 'rel="icon"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_the_forum_filter_offers_villages_and_takes_a_name(client, tree):
    html = client.get("/schedule/").content.decode()
    assert f'<option value="{tree["village"].slug}"' in html
    SessionFactory(parent=tree["village"], title="村里的讲座")
    SessionFactory(parent=tree["sibling"], title="别处的讲座")
    response = client.get("/schedule/", {"forum": tree["village"].title})
    titles = [session.title for session in response.context["sessions"]]
    assert titles == ["村里的讲座"]


def test_a_lesson_in_the_schedule_names_its_class(client, tree):
    class_page = ClassFactory(parent=tree["town"], title="新任科级干部培训班")
    SessionFactory(parent=class_page, start=timezone.now() + timedelta(days=2))
    html = client.get("/schedule/").content.decode()
    assert "培训班：新任科级干部培训班" in html


def test_the_forum_calendar_offers_an_https_link_and_a_qr_code(client, tree):
    html = client.get(tree["town"].url).content.decode()
    assert f'value="http://testserver{tree["town"].url}feed.ics"' in html
    assert '<svg width="' in html
    assert "webcal://testserver" in html


def test_my_calendar_link_is_shown_to_copy_with_its_code(client, trainee):
    client.force_login(trainee)
    response = client.get("/me/")
    html = response.content.decode()
    assert f'value="http://testserver{response.context["calendar_path"]}"' in html
    assert '<svg width="' in html


def test_the_login_form_says_user_name_or_mobile(client):
    assert "用户名或手机号" in client.get("/accounts/login/").content.decode()


def test_an_address_too_long_for_a_qr_code_still_gets_its_link(client):
    response = client.get("/schedule/", {"q": "讲" * 2000})
    assert response.status_code == 200
    assert "schedule.ics?q=" in response.content.decode()
