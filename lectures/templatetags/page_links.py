"""`{% path_url %}`: the URL `{% pageurl %}` gives a page, from its url_path.

Long personal lists (/me/) read a few columns of each session instead of
building session pages, which cost more than the rest of the page; `pageurl`
wants the page object, so they link with this.

Wagtail's `get_url` reverses its serve view for every link (most of a link's
cost, dozens of times on /me/). Within one request the links share their
sites and the serve view's prefix, so `PageLinks` asks Wagtail once for the
prefix and then joins it with each page's path below its site root, quoted
as `reverse` quotes it. Anything unusual (several sites holding one page,
localised URLs, a path `reverse` would refuse) goes through Wagtail's own code.
"""

from urllib.parse import quote

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.regex_helper import _lazy_re_compile
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Page, Site

register = template.Library()

# The serve view's pattern (wagtail/urls.py) and the characters `reverse`
# leaves unquoted (RFC 3986's sub-delimiters and "/~:@").
_SERVED = _lazy_re_compile(r"(?:[\w\-]+/)*" if WAGTAIL_APPEND_SLASH else r"[\w\-/]*")
_SAFE = "!$&'()*+,;=/~:@"


class _AtPath:
    """A page as Wagtail's own URL methods see it: they read its url_path and
    nothing else (a page type routing its own URLs would override
    `get_url_parts`; sessions do not, which tests/lectures/test_me.py checks)."""

    _get_site_root_paths = Page._get_site_root_paths
    _get_relevant_site_root_paths = Page._get_relevant_site_root_paths
    get_url_parts = Page.get_url_parts
    get_url = Page.get_url

    def __init__(self, url_path: str):
        self.url_path = url_path


class PageLinks:
    """`Page.get_url(request)` for pages given by url_path, the site work of
    one request done once."""

    def __init__(self, request=None):
        self.request = request
        self.root_paths = _AtPath("")._get_site_root_paths(request)
        self.site_count = len({root.site_id for root in self.root_paths})
        site = Site.find_for_request(request)
        self.site_id = site.pk if site is not None else None
        # The serve view at the site root, as Wagtail reverses it; our own
        # join below is only used when that is the script prefix itself.
        self.prefix = get_script_prefix()
        self.direct = (
            not getattr(settings, "WAGTAIL_I18N_ENABLED", False)
            and reverse("wagtail_serve", args=("",)) == self.prefix
        )

    def url(self, url_path: str) -> str | None:
        if not self.direct:
            return _AtPath(url_path).get_url(request=self.request)
        roots = [r for r in self.root_paths if url_path.startswith(r.root_path)]
        if not roots or len({root.site_id for root in roots}) > 1:
            return _AtPath(url_path).get_url(request=self.request)
        site_id, root_path, root_url, _language = roots[0]
        tail = url_path[len(root_path) :]
        if not _SERVED.fullmatch(tail):
            return _AtPath(url_path).get_url(request=self.request)
        page_path = quote(self.prefix + tail, safe=_SAFE)
        if page_path.startswith("//"):
            return _AtPath(url_path).get_url(request=self.request)
        if not WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        if site_id == self.site_id or self.site_count == 1:
            return page_path
        return root_url + page_path


def page_links(request) -> PageLinks:
    """The request's `PageLinks`, made on first use."""
    if request is None:
        return PageLinks()
    links = getattr(request, "_page_links", None)
    if links is None:
        links = request._page_links = PageLinks(request)
    return links


def url_for_path(url_path: str, request=None) -> str | None:
    """A page's URL: relative on the request's site (or the only site),
    absolute on another; None if no site holds it."""
    return page_links(request).url(url_path)


@register.simple_tag(takes_context=True)
def path_url(context, url_path: str) -> str:
    return url_for_path(url_path, context.get("request")) or ""
