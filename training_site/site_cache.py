"""The request's Wagtail site, and its settings, from the shared cache.

Wagtail finds it with a query per request (`Site.find_for_request`: an
annotated query over the sites, about a millisecond of ORM work), and every
request not answered by the page cache paid it — each check-in of a rush,
/me/, the admin. The site found for a host and port, with its root page, is kept in the
pages cache under the page cache's generation, which changes whenever a site or a
live page changes (`signals.py`), so no process uses an edited site.

Site settings that busy pages read (`CachedSiteSetting`: the yearly quota
and evaluation window on every /me/) come in the same round trip, under the
same generation, which saving or deleting a setting replaces (`signals.py`).
"""

from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from training_site.page_cache import (
    ANY_RESTRICTION_KEY,
    enabled,
    path_prefixes,
    prefetched,
    scope_key,
    under_generation,
)
from training_site.routing import path_components, request_path, route_key

ROOT_PATHS_KEY = "wagtail-site-root-paths"

#: The setting models kept in the cache, in the order they were defined.
CACHED_SETTINGS: list[type] = []


def _host(request) -> str:
    return f"{split_domain_port(request.get_host())[0]}:{request.get_port()}"


def setting_key(model, request) -> str:
    return f"site-setting:{model._meta.label_lower}:{_host(request)}"


class CachedSiteSetting:
    """For a Wagtail `BaseSiteSetting` read on busy pages: `for_request`
    answers from the pages cache (read with the request's site in one round
    trip) instead of a query per request. Put it before `BaseSiteSetting`."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        CACHED_SETTINGS.append(cls)

    @classmethod
    def for_request(cls, request):
        attr = cls.get_cache_attr_name()
        if enabled() and not hasattr(request, attr):
            site = Site.find_for_request(request)
            if site is not None:
                setting = under_generation(
                    setting_key(cls, request), lambda: cls._for_site_id(site.pk)
                )
                # As Wagtail's own `for_request` leaves it (for `page_url`).
                setting._request = request
                setattr(request, attr, setting)
        return super().for_request(request)

    @classmethod
    def _for_site_id(cls, site_id: int):
        # As `for_site`, by the site's id: the instance kept does not carry
        # the site and its root page along.
        return cls.base_queryset().get_or_create(site_id=site_id)[0]


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
        # the sites' root paths that every `pageurl` reads (from Wagtail's
        # own cache, another trip), and the cached site settings.
        components = path_components(request.path_info)
        route = route_key(request, components)
        # The scopes a route is kept under (routing.py): its path's prefixes.
        scopes = [scope_key(path) for path in path_prefixes(request_path(components))]
        settings = [setting_key(model, request) for model in CACHED_SETTINGS]
        with prefetched(
            key, route, ANY_RESTRICTION_KEY, ROOT_PATHS_KEY, *settings, *scopes
        ):
            request._wagtail_site = under_generation(
                key, lambda: site_for(hostname, port)
            )
            request._wagtail_cached_site_root_paths = under_generation(
                ROOT_PATHS_KEY, Site.get_site_root_paths
            )
            return self.get_response(request)
