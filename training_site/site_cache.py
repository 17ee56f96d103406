"""The request's Wagtail site, from the shared cache.

Wagtail finds it with a query per request (`Site.find_for_request`: an
annotated query over the sites, about a millisecond of ORM work), and every
request not answered by the page cache paid it — each check-in of a rush,
/me/, the admin. The site found for a host and port, with its root page, is kept in the
pages cache under the page cache's generation, which changes whenever a site or a
live page changes (`signals.py`), so no process uses an edited site.
"""

from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from training_site.page_cache import (
    ANY_RESTRICTION_KEY,
    enabled,
    prefetched,
    under_generation,
)
from training_site.routing import path_components, route_key

ROOT_PATHS_KEY = "wagtail-site-root-paths"


def site_for(hostname: str, port: int) -> Site | None:
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    # Every page request routes from the root page's specific object
    # (`site.root_page.localized.specific`, a query): kept with the site.
    site.root_page = site.root_page.localized.specific
    return site


class CachedSiteMiddleware:
    """Sets the `request._wagtail_site` that `Site.find_for_request` reads
    (with the page cache off, Wagtail asks the database as usual).

    After CommonMiddleware, so the host has been checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        hostname = split_domain_port(request.get_host())[0]
        port = request.get_port()
        key = f"wagtail-site:{hostname}:{port}"
        # One round trip for the site and what serving a page asks next:
        # where the path leads (routing.py), whether any page is restricted,
        # and the sites' root paths that every `pageurl` reads (from
        # Wagtail's own cache, another trip).
        route = route_key(request, path_components(request.path_info))
        with prefetched(key, route, ANY_RESTRICTION_KEY, ROOT_PATHS_KEY):
            request._wagtail_site = under_generation(
                key, lambda: site_for(hostname, port)
            )
            request._wagtail_cached_site_root_paths = under_generation(
                ROOT_PATHS_KEY, Site.get_site_root_paths
            )
            return self.get_response(request)
