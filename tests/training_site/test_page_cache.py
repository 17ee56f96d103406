"""The public page cache: who gets a cached page, and when it is forgotten."""

import gzip
import re
import threading

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction, Site

from tests.concurrency import all_at_once
from tests.factories import LecturerFactory, SessionFactory, UserFactory
from training_site.page_cache import (
    PublicPageCacheMiddleware,
    invalidate_public_pages,
    mark_public,
    page_key,
    refresh_claim_key,
)
from training_site.site_cache import CachedSiteMiddleware

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def session(tree):
    return SessionFactory(parent=tree["town"], title="乡村振兴专题", capacity=30)


def cached(response) -> str | None:
    return response.headers.get("X-Page-Cache")


@pytest.mark.parametrize(
    "url",
    ["/", "/schedule/", "/schedule/?level=unit", "/schedule.ics", "/lecturers/"],
)
def test_anonymous_pages_are_rendered_once_then_served(client, tree, session, url):
    first = client.get(url)
    second = client.get(url)
    assert (cached(first), cached(second)) == ("miss", "hit")
    assert second.content == first.content
    assert "Cookie" in second.headers["Vary"]
    assert "Accept-Language" in second.headers["Vary"]


def test_pages_are_stored_compressed_for_those_who_take_gzip(client, tree, session):
    plain = client.get("/schedule.ics")
    first = client.get("/schedule.ics", headers={"Accept-Encoding": "gzip, br"})
    second = client.get("/schedule.ics", headers={"Accept-Encoding": "gzip, br"})
    assert (cached(first), cached(second)) == ("miss", "hit")
    assert second.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in second.headers["Vary"]
    assert gzip.decompress(second.content) == plain.content
    assert len(second.content) < len(plain.content)
    # Who does not take gzip is never sent it from the cache.
    again = client.get("/schedule.ics")
    assert cached(again) == "hit"
    assert "Content-Encoding" not in again.headers
    assert again.content == plain.content


def test_wagtail_pages_and_their_feeds(client, tree, session):
    for url in (
        session.url,
        tree["town"].url,
        tree["town"].url + "feed.ics",
        session.url + "event.ics",
    ):
        assert cached(client.get(url)) == "miss"
        assert cached(client.get(url)) == "hit"


def test_a_hit_costs_one_cache_read_and_no_page_queries(
    client, tree, session, django_assert_num_queries
):
    client.get(tree["district"].url)
    with django_assert_num_queries(1):  # the page and the generation, together
        assert cached(client.get(tree["district"].url)) == "hit"


def test_a_logged_in_user_never_gets_nor_leaves_a_cached_page(
    client, tree, session, trainee
):
    client.get(session.url)  # an anonymous copy is cached
    client.force_login(trainee)
    mine = client.get(session.url)
    assert cached(mine) is None
    assert "Log in to register" not in mine.content.decode()
    assert "csrfmiddlewaretoken" in mine.content.decode()
    client.logout()
    client.cookies.clear()
    anonymous = client.get(session.url)
    assert cached(anonymous) == "hit"
    assert "csrfmiddlewaretoken" not in anonymous.content.decode()


def test_a_visitor_with_a_message_gets_the_live_page(client, tree, session):
    client.get("/schedule/")
    client.cookies["messages"] = "anything"
    assert cached(client.get("/schedule/")) is None


def test_sub_routes_and_private_pages_are_not_cached(client, tree, session, trainee):
    client.force_login(trainee)
    me = client.get("/me/")
    calendar = me.context["calendar_path"]
    client.logout()
    client.cookies.clear()
    for url in (calendar, session.url + "checkin/", "/accounts/login/"):
        client.get(url)
        assert cached(client.get(url)) is None


def test_languages_are_cached_apart(client, tree, session):
    chinese = client.get("/schedule/")
    english = client.get("/schedule/", headers={"accept-language": "en"})
    assert cached(english) == "miss"
    assert english.content != chinese.content
    assert cached(client.get("/schedule/", headers={"accept-language": "en"})) == "hit"


def test_nothing_that_asked_for_a_csrf_token_or_set_a_cookie_is_stored():
    def with_token(request):
        response = HttpResponse(get_token(request))
        return mark_public(response)

    def with_cookie(request):
        response = mark_public(HttpResponse("x"))
        response.set_cookie("seen", "1")
        return response

    def unmarked(request):
        return HttpResponse("x")

    for view in (with_token, with_cookie, unmarked):
        middleware = PublicPageCacheMiddleware(view)
        for _ in range(2):
            request = RequestFactory().get(f"/{view.__name__}/")
            request.LANGUAGE_CODE = "zh-hans"
            assert cached(middleware(request)) is None


# Expiry ----------------------------------------------------------------------


def anonymous_get(path: str):
    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = "zh-hans"
    return request


def expire(path: str) -> str:
    """Let the kept page's PAGE_CACHE_SECONDS be up, as time passing would;
    returns its key."""
    key = page_key(anonymous_get(path))
    pages = caches["pages"]
    generation, scopes, _fresh_until, *rest = pages.get(key)
    pages.set(key, (generation, scopes, 0.0, *rest), 600)
    return key


class CountedView:
    """A public view that says how many times it has rendered."""

    def __init__(self):
        self.renders = 0

    def __call__(self, request):
        self.renders += 1
        return mark_public(HttpResponse(f"render {self.renders}"))


def test_an_expired_page_is_rendered_again_while_others_get_the_copy():
    view = CountedView()
    middleware = PublicPageCacheMiddleware(view)

    def visit():
        response = middleware(anonymous_get("/expiring/"))
        return cached(response), response.content.decode()

    assert visit() == ("miss", "render 1")
    assert visit() == ("hit", "render 1")
    key = expire("/expiring/")
    # Someone is rendering it afresh: whoever asks meanwhile gets the copy.
    caches["pages"].add(refresh_claim_key(key), True, 30)
    assert visit() == ("stale", "render 1")
    caches["pages"].delete(refresh_claim_key(key))
    # The next visitor claims the refresh, renders, and gives the claim back.
    assert visit() == ("miss", "render 2")
    assert caches["pages"].get(refresh_claim_key(key)) is None
    assert visit() == ("hit", "render 2")
    assert view.renders == 2


def test_a_failed_refresh_gives_its_claim_back():
    def failing(request):
        raise RuntimeError("the database went away")

    PublicPageCacheMiddleware(CountedView())(anonymous_get("/failing/"))
    key = expire("/failing/")
    with pytest.raises(RuntimeError):
        PublicPageCacheMiddleware(failing)(anonymous_get("/failing/"))
    assert caches["pages"].get(refresh_claim_key(key)) is None


def test_a_change_is_never_served_stale(commit):
    view = CountedView()
    middleware = PublicPageCacheMiddleware(view)
    middleware(anonymous_get("/changing/"))
    key = expire("/changing/")
    caches["pages"].add(refresh_claim_key(key), True, 30)
    commit(invalidate_public_pages)  # a page was published meanwhile
    response = middleware(anonymous_get("/changing/"))
    assert (cached(response), response.content) == ("miss", b"render 2")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_crowd_at_an_expired_page_makes_one_render():
    """Real threads, each with its own connection to the shared cache: one
    renders the page afresh, and it returns only once the others have been
    served the copy, so they all asked while it was rendering."""
    crowd = 4
    served, lock = [], threading.Lock()
    others_served = threading.Event()
    view = CountedView()

    def slow_view(request):
        if view.renders:
            others_served.wait(timeout=10)
        return view(request)

    middleware = PublicPageCacheMiddleware(slow_view)
    middleware(anonymous_get("/crowded/"))
    expire("/crowded/")

    def visit(_):
        how = cached(middleware(anonymous_get("/crowded/")))
        with lock:
            served.append(how)
            if served.count("stale") == crowd - 1:
                others_served.set()
        return how

    assert sorted(all_at_once(visit, range(crowd))) == ["miss"] + ["stale"] * (
        crowd - 1
    )
    assert view.renders == 2


# Invalidation --------------------------------------------------------------


def test_publishing_a_change_shows_everywhere_at_once(client, tree, session, commit):
    urls = ["/", "/schedule/", session.url, tree["district"].url, "/schedule.ics"]
    for url in urls:
        client.get(url)
    session.title = "新时代党建专题"
    commit(lambda: session.save_revision().publish())
    for url in urls:
        response = client.get(url)
        assert cached(response) == "miss", url
        unfolded = response.content.decode().replace("\r\n ", "")
        assert "新时代党建专题" in unfolded, url


def test_a_lost_generation_never_brings_old_pages_back(client, session, commit):
    from django.core.cache import caches

    from training_site.page_cache import GENERATION_KEY

    pages = caches["pages"]
    pages.delete(GENERATION_KEY)  # a cache that never had a change
    client.get(session.url)
    session.title = "新时代党建专题"
    commit(lambda: session.save_revision().publish())
    pages.delete(GENERATION_KEY)  # evicted, or the cache restarted
    response = client.get(session.url)
    assert cached(response) == "miss"
    assert "新时代党建专题" in response.content.decode()


def test_unpublishing_removes_the_page(client, tree, session, commit):
    assert client.get(session.url).status_code == 200
    client.get("/schedule/")
    commit(session.unpublish)
    assert client.get(session.url).status_code == 404
    assert "乡村振兴专题" not in client.get("/schedule/").content.decode()


def test_a_new_session_appears(client, tree, commit):
    client.get("/schedule/")
    commit(lambda: SessionFactory(parent=tree["village"], title="文明实践讲座"))
    assert "文明实践讲座" in client.get("/schedule/").content.decode()


def test_moving_and_deleting(client, tree, session, commit):
    old_url = session.url
    client.get(old_url)
    commit(lambda: session.move(tree["sibling"], pos="last-child"))
    session.refresh_from_db()
    # Not the cached page: Wagtail's automatic redirect to the new place.
    assert client.get(old_url).status_code == 301
    assert client.get(session.url).status_code == 200
    client.get(tree["sibling"].url)
    commit(session.delete)
    assert "乡村振兴专题" not in client.get(tree["sibling"].url).content.decode()


def test_renaming_a_lecturer_shows_on_his_sessions(client, tree, commit):
    lecturer = LecturerFactory(name="张教授")
    session = SessionFactory(parent=tree["town"], lecturers=[lecturer])
    assert "张教授" in client.get(session.url).content.decode()
    lecturer.name = "李教授"
    commit(lecturer.save)
    assert "李教授" in client.get(session.url).content.decode()


def test_an_uncommitted_change_does_not_invalidate(client, tree, session):
    """Invalidation waits for the commit: nothing can cache the old page
    after it, and a rolled-back change forgets nothing."""
    client.get("/schedule/")
    session.title = "草稿标题"
    session.save_revision().publish()  # the test's transaction never commits
    assert cached(client.get("/schedule/")) == "hit"


def test_seats_follow_registrations_within_the_ttl(client, tree, session, trainee):
    """Participation does not invalidate (see page_cache.py): a logged-in
    trainee sees the live count, anonymous visitors a count at most
    PAGE_CACHE_SECONDS old."""
    from lectures.services.registration import register

    client.get(session.url)
    register(session, UserFactory())
    assert cached(client.get(session.url)) == "hit"
    client.force_login(trainee)
    assert client.get(session.url).context["seats"].confirmed == 1


def test_the_language_switch_needs_no_token(client, tree):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


# What every request asks, kept under the generation ----------------------------


def site_of_a_request():
    request = RequestFactory().get("/")
    CachedSiteMiddleware(lambda request: HttpResponse())(request)
    return request._wagtail_site


def test_the_site_comes_from_the_cache_until_a_site_changes(
    tree, commit, django_assert_num_queries
):
    first = site_of_a_request()
    assert first == Site.objects.get(is_default_site=True)
    with django_assert_num_queries(1):  # the generation and the site, together
        assert site_of_a_request().pk == first.pk
    first.site_name = "新的站点名"
    commit(first.save)
    assert site_of_a_request().site_name == "新的站点名"


def test_a_logged_in_page_asks_neither_for_the_site_nor_for_restrictions(
    client, tree, session, trainee
):
    client.force_login(trainee)
    client.get(session.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(session.url).status_code == 200
    sqls = [query["sql"] for query in queries.captured_queries]
    tables = " ".join(sqls)
    assert '"wagtailcore_site"' not in tables
    assert "pageviewrestriction" not in tables
    # The site (with its root page, where routing starts) and the
    # restriction flag come in one round trip to the cache.
    assert sum('FROM "page_cache"' in sql for sql in sqls) == 1
    assert "site_cache" not in tables  # Wagtail's cache of the root paths
    root = Site.objects.get(is_default_site=True).root_page_id
    # (A whole number: on PostgreSQL the ids run on, and root 3 is not 3295.)
    assert not re.search(rf'"wagtailcore_page"\."id" = {root}\b', tables)


def test_no_restrictions_are_read_without_a_query_and_copy_as_empty(
    client, tree, session, django_assert_num_queries
):
    client.get(session.url)  # the restriction flag kept
    with django_assert_num_queries(1):  # the flag, from the cache
        restrictions = session.get_view_restrictions()
        assert list(restrictions) == []
        assert not restrictions.exists()
    # A copy, as the admin's privacy view makes, is read afresh, and empty.
    with django_assert_num_queries(0):
        assert list(restrictions.order_by("-page__depth")) == []


def test_a_page_made_private_leaves_the_cache_and_asks_for_a_login(
    client, tree, session, commit
):
    client.get(session.url)
    assert cached(client.get(session.url)) == "hit"
    commit(
        lambda: PageViewRestriction.objects.create(
            page=session, restriction_type=PageViewRestriction.LOGIN
        )
    )
    response = client.get(session.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    commit(lambda: PageViewRestriction.objects.filter(page=session).delete())
    assert client.get(session.url).status_code == 200


def test_site_settings_come_with_the_site_until_one_is_saved(
    client, tree, trainee, commit
):
    """/me/ reads the quota (a trainee without a rank has the site's) and
    the ledger's caps from the cache, in the site's round trip; a change
    saved in the admin shows on the next request."""
    site = Site.objects.get(is_default_site=True)
    client.force_login(trainee)
    assert client.get("/me/").context["ledger"].quota == 50
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/me/").context["ledger"].quota == 50
    sqls = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"lectures_participationsettings"' not in sqls
    assert '"records_ledgersettings"' not in sqls

    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    editor = client.__class__()
    editor.force_login(boss)
    url = reverse(
        "wagtailsettings:edit", args=["lectures", "participationsettings", site.pk]
    )
    response = commit(
        lambda: editor.post(
            url, {"yearly_hours_quota": "64", "evaluation_window_days": "9"}
        )
    )
    assert response.status_code == 302
    response = client.get("/me/")
    assert response.context["ledger"].quota == 64
    assert "64" in response.content.decode()
