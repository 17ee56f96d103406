"""A calendar subscription as people can use it: the https address to copy
(desktop Chromium does nothing with `webcal://`), the `webcal://` form for
apps that take it, and a QR code for phones, drawn inline (segno's SVG: no
image request, nothing the CSP must allow)."""

from functools import lru_cache

import segno
from django import template
from django.utils.safestring import mark_safe
from segno.encoder import DataOverflowError

register = template.Library()


@register.simple_tag(takes_context=True)
def subscription(context, path: str) -> dict:
    """{"https": …, "webcal": …} for a feed's path on this site."""
    url = context["request"].build_absolute_uri(path)
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@register.simple_tag
def qr_svg(url: str) -> str:
    """The code, or nothing for an address too long for any QR code (a
    schedule selection with a very long query): the link is still there."""
    return _qr_svg(url)


@lru_cache(maxsize=512)
def _qr_svg(url: str) -> str:
    # Drawing a code costs 10–25 ms (segno tries eight masks), more than the
    # rest of /me/; it depends on the address alone, so each process draws
    # one once.
    try:
        code = segno.make(url, error="m")
    except DataOverflowError:
        return ""
    # Safe: the SVG holds only the code's modules, no text of the URL.
    return mark_safe(code.svg_inline(scale=4, border=2))
