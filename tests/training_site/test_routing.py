"""The site root finds a page at any depth in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page

from lectures.models import Attendance, SessionStatus
from lectures.services.checkin import current_credentials
from tests.factories import SessionFactory
from training_site.models import HomePage

pytestmark = pytest.mark.django_db


def route(path: str):
    home = HomePage.objects.get()
    return home.route(RequestFactory().get(path), [p for p in path.split("/") if p])


def test_pages_at_every_depth_route_to_themselves(tree):
    deep = SessionFactory(parent=tree["village"])
    for page in (tree["district"], tree["town"], tree["village"], deep):
        found = route(page.url).page
        assert found.pk == page.pk
        assert type(found) is type(page.specific)


def test_routing_costs_the_same_at_every_depth(tree, django_assert_num_queries):
    shallow = SessionFactory(parent=tree["district"])
    deep = SessionFactory(parent=tree["village"])
    route(shallow.url)  # content types cached, as on a running server
    with django_assert_num_queries(3):
        route(shallow.url)
    with django_assert_num_queries(3):
        route(deep.url)


def test_sub_routes_of_a_session_still_resolve(tree):
    session = SessionFactory(parent=tree["village"])
    result = route(session.url + "checkin/")
    assert result.page.pk == session.pk
    assert result.args[0].__name__ == "checkin_route"


@pytest.mark.parametrize(
    "path",
    ["/district/nowhere/", "/district/chengguan/dongfeng/nothing/", "/elsewhere/"],
)
def test_unknown_paths_are_404(tree, client, path):
    assert client.get(path).status_code == 404


def test_a_draft_is_404_but_a_live_page_below_a_draft_routes(tree, client):
    session = SessionFactory(parent=tree["village"])
    Page.objects.filter(pk=tree["village"].pk).update(live=False)
    assert client.get(tree["village"].url).status_code == 404
    assert client.get(session.url).status_code == 200  # as Wagtail's own routing


# Where a path leads, kept under the page cache's generation --------------------


@pytest.fixture
def kept_routes(django_capture_on_commit_callbacks):
    """The page cache on, and a way to commit a change (its invalidation runs
    after the commit, as on a real server)."""

    def commit(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    caches["pages"].clear()
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield commit


def page_queries(client, url, method="get", **data):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    sqls = [query["sql"] for query in queries.captured_queries]
    return response, [sql for sql in sqls if '"wagtailcore_page"' in sql]


def test_a_routed_path_is_kept_until_its_page_or_a_forum_changes(
    client, tree, trainee, kept_routes
):
    session = SessionFactory(parent=tree["village"])
    client.force_login(trainee)
    url = session.url + "checkin/"
    response, asked = page_queries(client, url)
    assert response.status_code == 200
    assert asked
    response, asked = page_queries(client, url)
    assert response.status_code == 200
    assert asked == []
    # The page it led to (the check-in page's frame is kept per process, so
    # no template context to read: its title).
    assert f"<h1>{escape(session.title)}</h1>" in response.content.decode()
    # A session elsewhere leaves it; the session itself, or a forum (whose
    # title is on every page below it), routes afresh.
    kept_routes(lambda: SessionFactory(parent=tree["sibling"]))
    assert page_queries(client, url)[1] == []
    kept_routes(lambda: session.save_revision().publish())
    assert page_queries(client, url)[1]
    assert page_queries(client, url)[1] == []
    kept_routes(lambda: tree["sibling"].save_revision().publish())
    assert page_queries(client, url)[1]


def test_a_cancelled_session_refuses_check_in_at_once(
    client, tree, trainee, kept_routes
):
    start = timezone.now() + timedelta(minutes=5)
    session = SessionFactory(
        parent=tree["village"], start=start, end=start + timedelta(hours=1)
    )
    client.force_login(trainee)
    url = session.url + "checkin/"
    client.get(url)
    session.status = SessionStatus.CANCELLED
    kept_routes(lambda: session.save_revision().publish())
    code = current_credentials(session).code
    response = client.post(url, {"code": code})
    assert "message error" in response.content.decode()
    assert not Attendance.objects.exists()


def test_unpublished_and_moved_pages_leave_at_once(client, tree, trainee, kept_routes):
    session = SessionFactory(parent=tree["village"])
    client.force_login(trainee)
    old_url = session.url
    assert client.get(old_url + "checkin/").status_code == 200
    kept_routes(lambda: session.move(tree["sibling"], pos="last-child"))
    session.refresh_from_db()
    assert client.get(session.url + "checkin/").status_code == 200
    assert client.get(old_url + "checkin/").status_code != 200
    kept_routes(session.unpublish)
    assert client.get(session.url + "checkin/").status_code == 404


def test_only_paths_that_lead_somewhere_are_kept(client, tree, trainee, kept_routes):
    session = SessionFactory(parent=tree["village"])
    client.force_login(trainee)
    for junk in (session.url + "nothing/", "/district/nowhere/"):
        assert client.get(junk).status_code == 404
    assert client.get(session.url).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM page_cache")
        kept = [key for (key,) in cursor.fetchall() if ":route:" in key]
    assert [key.rsplit(":", 1)[1] for key in kept] == [session.url.strip("/")]
