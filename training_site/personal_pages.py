"""A logged-in person's own page, kept rendered until something on it changes.

`/me/` and a class page as its trainee sees it are read far more often than
anything on them changes, and rendering them costs a dozen queries and
templates of dozens of rows. `personal_fragment(request, name, render)`
keeps what `render()` returns in the `pages` cache, one copy per person,
page, language, host and address, and serves it again while all of these
hold, each read before the copy is rendered, so a change committed is seen
on the next request:

- **His rows**: `PersonalVersion` (models.py), which database triggers on
  every table of a person's rows raise in the writing transaction (his
  registrations, attendance, evaluations, enrolments, notices, …; each app's
  migration names its tables, `personal_versions.py`), and its row for
  everyone (ranks and their quotas). One query of two rows.
- **What everyone sees**: the page cache's generation (a forum, lecturer,
  field, category, site, setting or any page other than a session changed)
  and the generations of the scopes the page shows (`scopes`, by default
  the root: a session published, edited or moved anywhere), as the public
  pages are kept (page_cache.py). In the same round trip as the copy.
- **Rows of everyone that the page shows**: the version of each of its
  `pages` (a class's enrolments, for its seats), kept the same way under
  minus the page's id, read in the same query as his.
- **What the caller reads live** and passes as `parts` (whether he
  organises the class).
- **The clock**: whatever depends on the time (a session's start ends its
  cancel button, an evaluation window closes) says when with
  `changes_at(request, moment)` while it renders; the copy is used until the
  earliest of them, and never longer than `LONGEST_SECONDS`.

Forms in a kept copy carry a placeholder where the CSRF token goes
(`csrf_placeholder`, a context processor that wins over Django's), replaced
by the visitor's token when served. A cache that fails never fails the
page: it is rendered as if nothing were kept.

`personal_page` keeps the whole page, the site's header and footer with it:
rendering them around the copy on every request cost as much as the rest of
the request (the templates, and a query for the unread count). What the
header shows of him is accounted for like the body: the unread count
follows his notices (his version), the administration and API links are
`parts`, the language and the address are in the key; a request carrying
flash messages is rendered afresh with them and not kept.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from hashlib import md5

from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

from training_site import page_cache
from training_site.navigation import may_administer
from training_site.personal_versions import EVERYONE, TABLE

logger = logging.getLogger(__name__)

#: A copy is rendered afresh at least this often (a safety net: every
#: change and moment that alters it is accounted for above).
LONGEST_SECONDS = 6 * 60 * 60
_RENDERING = "_personal_page_changes_at"


def _placeholder() -> str:
    # Derived from the secret key: no text a user writes on a page can
    # mimic it and be replaced by a token.
    return "csrf" + salted_hmac(__name__, "csrf-placeholder").hexdigest()[:32]


def csrf_placeholder(request) -> dict:
    """Context processor: while a copy to keep is rendered, `{% csrf_token %}`
    writes the placeholder (listed after Django's own, so it wins)."""
    if hasattr(request, _RENDERING):
        return {"csrf_token": _placeholder()}
    return {}


def keeping(request) -> bool:
    """Whether what is rendered now for `request` is to be kept: only then
    is it worth a query to learn when it changes."""
    return hasattr(request, _RENDERING)


def changes_at(request, *moments: datetime | None) -> None:
    """What is rendered for `request` now reads differently from these
    moments on: a kept copy is used until the earliest still ahead."""
    earliest = getattr(request, _RENDERING, None)
    if earliest is None:
        return
    now = timezone.now()
    ahead = [moment for moment in moments if moment is not None and moment > now]
    if ahead:
        setattr(request, _RENDERING, min(earliest, *ahead))


def personal_fragment(
    request,
    name: str,
    render: Callable[[], str],
    *,
    scopes: tuple[str, ...] = ("/",),
    pages: tuple[int, ...] = (),
    parts: tuple = (),
) -> SafeString:
    """`render()` for the logged-in user of `request`, or his kept copy of it
    (see the module doc). `scopes`: the site-relative paths whose pages'
    changes it shows; `pages`: the ids of pages whose rows of everyone it
    shows (`personal_versions.page_rows`); `parts`: values read live that
    it shows."""
    user = getattr(request, "user", None)
    if not (page_cache.enabled() and user is not None and user.is_authenticated):
        return render()
    key = _key(request, name, user.pk)
    try:
        stamp = (*_versions(user.pk, *(-pk for pk in pages)), *parts)
        with page_cache.prefetched(key, *map(page_cache.scope_key, scopes)):
            generation, kept = page_cache.lookup(key)
            shown = page_cache.scopes_of(*scopes)
    except Exception:
        logger.exception("personal page %s: rendered without the cache", name)
        return render()
    if (
        kept is not page_cache.MISSING
        and kept[0] == stamp
        and timezone.now().timestamp() < kept[1]
    ):
        return _served(kept[2], request)
    html, until = _rendered_to_keep(request, render)
    try:
        page_cache.keep(key, generation, (stamp, until, html), scopes=shown)
    except Exception:
        logger.exception("personal page %s: not kept", name)
    return _served(html, request)


def personal_page(
    request,
    name: str,
    render: Callable[[], str],
    *,
    scopes: tuple[str, ...] = ("/",),
    pages: tuple[int, ...] = (),
    parts: tuple = (),
) -> HttpResponse:
    """The whole page `render()` makes (a template extending base.html) for
    the logged-in user of `request`, or his kept copy of it; as
    `personal_fragment`, and the header with it (see the module doc)."""
    if len(get_messages(request)):  # counted, not consumed
        return HttpResponse(render())
    user = request.user
    shown = (may_administer(request), user.is_staff)  # the header's links
    return HttpResponse(
        personal_fragment(
            request, name, render, scopes=scopes, pages=pages, parts=(*parts, *shown)
        )
    )


def _key(request, name: str, user_pk: int) -> str:
    address = md5(
        "|".join(
            (
                request.scheme,
                request.get_host(),
                getattr(request, "LANGUAGE_CODE", ""),
                request.get_full_path(),
            )
        ).encode(),
        usedforsecurity=False,
    ).hexdigest()
    return f"personal-page:{name}:{user_pk}:{address}"


def _versions(*keys: int) -> tuple[int, ...]:
    """Everyone's version and those of `keys` (him, minus a page's id), in
    one query."""
    keys = (EVERYONE, *keys)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT user_id, version FROM {TABLE} WHERE user_id IN "
            f"({', '.join(['%s'] * len(keys))})",
            keys,
        )
        found = dict(cursor.fetchall())
    return tuple(found.get(key, 0) for key in keys)


def _rendered_to_keep(request, render) -> tuple[str, float]:
    setattr(request, _RENDERING, timezone.now() + timedelta(seconds=LONGEST_SECONDS))
    try:
        html = str(render())
        until = getattr(request, _RENDERING).timestamp()
    finally:
        delattr(request, _RENDERING)
    return html, until


def _served(html: str, request) -> SafeString:
    # Safe: rendered by templates, with a token of [a-zA-Z0-9] put in.
    return mark_safe(html.replace(_placeholder(), get_token(request)))
