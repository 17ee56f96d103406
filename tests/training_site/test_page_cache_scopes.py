"""What a change to a session forgets from the page cache, and what it keeps.

Through the test client with the real middleware and the real (database)
cache: a session's page, its forum's and every ancestor's page and feed,
the home page and the network-wide lists go; a sibling town's page and
feed, and a selection of another forum, stay. Shared things (a forum, a
lecturer) still forget everything.
"""

import pytest
from django.core.cache import caches

from tests.factories import LecturerFactory, SessionFactory
from training_site.page_cache import scope_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def showing(tree, session) -> list[str]:
    """Every cached URL that can show `session` (in 东风村 under 城关镇)."""
    return [
        session.url,
        session.url + "event.ics",
        tree["village"].url,
        tree["village"].url + "feed.ics",
        tree["town"].url,
        tree["town"].url + "feed.ics",
        tree["district"].url,
        tree["district"].url + "feed.ics",
        "/",
        "/schedule/",
        "/schedule.ics",
        f"/schedule/?forum={tree['town'].slug}",
        f"/schedule.ics?forum={tree['town'].slug}",
    ]


def elsewhere(tree, other) -> list[str]:
    """Cached URLs that cannot show a session of 东风村."""
    return [
        tree["sibling"].url,
        tree["sibling"].url + "feed.ics",
        tree["sibling_village"].url,
        tree["village2"].url + "feed.ics",
        other.url,
        f"/schedule/?forum={tree['sibling'].slug}",
        f"/schedule.ics?forum={tree['sibling'].slug}",
    ]


def warm(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url).headers.get("X-Page-Cache") == "hit", url


def how_served(client, urls) -> dict:
    return {url: client.get(url).headers.get("X-Page-Cache") for url in urls}


@pytest.fixture
def placed(tree):
    # A Chinese slug: its URL is percent-encoded, its scope is not.
    session = SessionFactory(
        parent=tree["village"], title="乡村振兴专题", slug="乡村振兴专题"
    )
    other = SessionFactory(parent=tree["sibling_village"], title="山前村讲座")
    return session, other


def test_publishing_a_session_forgets_what_shows_it_and_nothing_else(
    client, tree, placed, commit
):
    session, other = placed
    warm(client, showing(tree, session) + elsewhere(tree, other))
    session.title = "新时代党建专题"
    commit(lambda: session.save_revision().publish())
    for url in showing(tree, session):
        response = client.get(url)
        assert response.headers.get("X-Page-Cache") == "miss", url
        if url != "/":  # the home page shows what is coming, not this one
            assert "新时代党建专题" in response.content.decode().replace("\r\n ", "")
    assert set(how_served(client, elsewhere(tree, other)).values()) == {"hit"}


def test_unpublishing_forgets_the_same_and_keeps_the_rest(client, tree, placed, commit):
    session, other = placed
    warm(client, showing(tree, session) + elsewhere(tree, other))
    commit(session.unpublish)
    assert client.get(session.url).status_code == 404
    for url in showing(tree, session)[2:]:
        response = client.get(url)
        assert response.headers.get("X-Page-Cache") == "miss", url
        assert "乡村振兴专题" not in response.content.decode(), url
    assert set(how_served(client, elsewhere(tree, other)).values()) == {"hit"}


def test_moving_forgets_both_places_and_keeps_a_third(client, tree, placed, commit):
    session, _other = placed
    old = showing(tree, session)
    new_place = [tree["sibling_village"].url, tree["sibling"].url + "feed.ics"]
    third = [tree["village2"].url, tree["village2"].url + "feed.ics"]
    warm(client, old[2:] + new_place + third)
    commit(lambda: session.move(tree["sibling_village"], pos="last-child"))
    assert set(how_served(client, old[2:] + new_place).values()) == {"miss"}
    assert "乡村振兴专题" in client.get(tree["sibling_village"].url).content.decode()
    assert "乡村振兴专题" not in client.get(tree["village"].url).content.decode()
    assert set(how_served(client, third).values()) == {"hit"}


def test_a_new_session_shows_in_its_forum_and_not_in_the_next(client, tree, commit):
    urls = [tree["town"].url + "feed.ics", tree["sibling"].url + "feed.ics"]
    warm(client, urls)
    commit(lambda: SessionFactory(parent=tree["village"], title="文明实践讲座"))
    town_feed, sibling_feed = urls
    assert "文明实践讲座" in client.get(town_feed).content.decode()
    assert client.get(sibling_feed).headers["X-Page-Cache"] == "hit"


def test_a_forum_or_a_lecturer_changed_forgets_everything(client, tree, placed, commit):
    session, other = placed
    urls = showing(tree, session) + elsewhere(tree, other)
    warm(client, urls)
    town = tree["sibling"]
    town.title = "青山镇（新）"
    commit(lambda: town.save_revision().publish())
    assert set(how_served(client, urls).values()) == {"miss"}
    warm(client, urls)
    commit(lambda: LecturerFactory(name="张教授"))
    assert set(how_served(client, urls).values()) == {"miss"}


def test_a_lost_scope_never_brings_old_pages_back(client, tree, placed, commit):
    session, _other = placed
    warm(client, [tree["town"].url])
    session.title = "新时代党建专题"
    commit(lambda: session.save_revision().publish())
    assert "新时代党建专题" in client.get(tree["town"].url).content.decode()
    caches["pages"].delete(scope_key(tree["town"].url))  # evicted
    assert client.get(tree["town"].url).headers["X-Page-Cache"] == "miss"


def test_a_hit_reads_its_scopes_with_the_page_in_one_round_trip(
    client, tree, placed, django_assert_num_queries
):
    session, _other = placed
    for url in (session.url, tree["town"].url + "feed.ics", "/schedule/"):
        warm(client, [url])
        with django_assert_num_queries(1):
            assert client.get(url).headers["X-Page-Cache"] == "hit"
    # A selection of one forum reads that forum's scope too: one more.
    url = f"/schedule/?forum={tree['town'].slug}"
    warm(client, [url])
    with django_assert_num_queries(2):
        assert client.get(url).headers["X-Page-Cache"] == "hit"
