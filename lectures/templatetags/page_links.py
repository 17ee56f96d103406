"""`{% path_url %}`: the URL `{% pageurl %}` gives a page, from its url_path.

Long personal lists (/me/) read a few columns of each session instead of
building session pages, which cost more than the rest of the page; `pageurl`
wants the page object, so they link with this.
"""

from django import template
from wagtail.models import Page

register = template.Library()


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


def url_for_path(url_path: str, request=None) -> str | None:
    """A page's URL: relative on the request's site (or the only site),
    absolute on another; None if no site holds it."""
    return _AtPath(url_path).get_url(request=request)


@register.simple_tag(takes_context=True)
def path_url(context, url_path: str) -> str:
    return url_for_path(url_path, context.get("request")) or ""
