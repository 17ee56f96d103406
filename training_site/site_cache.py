"""The request's Wagtail site, from the shared cache.

Wagtail finds it with a query per request (`Site.find_for_request`: an
annotated query over the sites, about a millisecond of ORM work), and every
request not answered by the page cache paid it — each check-in of a rush,
/me/, the admin. The site found for a host and port is kept in the pages
cache under the page cache's generation, which changes whenever a site or a
live page changes (`signals.py`), so no process uses an edited site.
"""

from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from training_site.page_cache import enabled, under_generation


def site_for(hostname: str, port: int) -> Site | None:
    try:
        return get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None


class CachedSiteMiddleware:
    """Sets the `request._wagtail_site` that `Site.find_for_request` reads
    (with the page cache off, Wagtail asks the database as usual).

    After CommonMiddleware, so the host has been checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if enabled():
            request._wagtail_site = self.site(request)
        return self.get_response(request)

    @staticmethod
    def site(request) -> Site | None:
        hostname = split_domain_port(request.get_host())[0]
        port = request.get_port()
        return under_generation(
            f"wagtail-site:{hostname}:{port}", lambda: site_for(hostname, port)
        )
