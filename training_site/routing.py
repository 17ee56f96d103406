"""Finding the page for a URL in two queries instead of two per tree level,
and in none while no page has changed.

Wagtail's `Page.route` walks down one level at a time (the child by slug,
then its specific page), so a village forum's session costs ten queries
before its view runs. The network is deep and every public page and every
check-in goes through here, so the site root looks up all levels at once:
one query for the candidate pages (slugs are indexed), then the deepest
page's specific object, which routes what is left of the path (a session's
`checkin/`, say) as Wagtail would. Pages that route their children
themselves are handed the rest of the path, so nothing is skipped.

The page found is then kept in the pages cache under the page cache's
generation and the scope of the page's URL (`page_cache.lookup`/`keep`),
keyed by host, port and path, and read in the same round trip as the
request's site (`site_cache.py`): the global generation changes whenever a
forum or another page is saved, published, unpublished, moved or deleted,
or a site changes, and the scope of a session's URL whenever the session is
(`signals.py`), so a kept page is never older than the tree. What is kept
is only where the path leads; the page still routes the rest (and refuses
a page that is not live) on every request. Only paths that routed are
kept, so junk paths fill no cache.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from training_site import page_cache


def route_key(request, path_components) -> str:
    """The cache key of where a path leads on the request's host."""
    hostname = split_domain_port(request.get_host())[0]
    return f"route:{hostname}:{request.get_port()}:{'/'.join(path_components)}"


def request_path(path_components) -> str:
    """The site-relative URL path of these components: `/a/b/`."""
    return "/" + "".join(f"{component}/" for component in path_components)


def path_components(path: str) -> list[str]:
    """As Wagtail's `serve` view splits a path for `route`."""
    return [component for component in path.split("/") if component]


class OneQueryRoutingMixin:
    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        key = None
        if page_cache.enabled() and _is_site_root(self, request):
            key = route_key(request, path_components)
            generation, kept = page_cache.lookup(key)
            if kept is not page_cache.MISSING:
                page, used = kept
                return page.route(request, path_components[used:])
            # Read before the tree: the page found is kept under the scope of
            # its URL, which publishing or moving it (or a session below)
            # replaces.
            scopes = page_cache.scopes_of(
                *page_cache.path_prefixes(request_path(path_components))
            )
        deepest, used = self._deepest(path_components)
        if deepest is None:
            return super().route(request, path_components)
        page = deepest.specific
        result = page.route(request, path_components[used:])  # 404 keeps nothing
        if key is not None:
            scope = page_cache.scope_key(request_path(path_components[:used]))
            page_cache.keep(key, generation, (page, used), {scope: scopes[scope]})
        return result

    def _deepest(self, path_components) -> tuple[Page | None, int]:
        """The deepest page along the path, in one query, and the components
        it took; it stops at a page that routes its own children."""
        wanted = Q()
        for level, slug in enumerate(path_components, start=1):
            wanted |= Q(depth=self.depth + level, slug=slug)
        candidates = Page.objects.filter(wanted, path__startswith=self.path).only(
            "path", "depth", "slug", "content_type"
        )
        by_place = {(p.depth, p.slug, p.path[: -Page.steplen]): p for p in candidates}
        deepest, used = None, 0
        parent_path = self.path
        for level, slug in enumerate(path_components, start=1):
            page = by_place.get((self.depth + level, slug, parent_path))
            if page is None:
                break
            deepest, used, parent_path = page, level, page.path
            if not _routes_like_a_page(page):
                break  # it routes its own children: hand it the rest
        return deepest, used


def _is_site_root(page: Page, request) -> bool:
    # The key names the host, not the root: only the root of the request's
    # site (from the cache, site_cache.py) may use it.
    site = getattr(request, "_wagtail_site", None)
    return isinstance(site, Site) and site.root_page_id == page.pk


def _routes_like_a_page(page: Page) -> bool:
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    return model is not None and model.route is Page.route
