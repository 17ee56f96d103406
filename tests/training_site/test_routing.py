"""The site root finds a page at any depth in a fixed number of queries."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page

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
