"""A shared cache of the public pages as anonymous visitors see them.

Anonymous visitors are most of the traffic and all see the same page, so a
page marked public (`public_page`, `PublicPageMixin`) is rendered once per
language and served from the `pages` cache until something changes.

What keeps it correct:

- Only GETs without a session or messages cookie are looked up or stored,
  and only responses that a view marked public, with status 200, without a
  `Set-Cookie`, without `Cache-Control: private/no-store`, and that did not
  ask for a CSRF token (a token is tied to its visitor's cookie). A logged-in
  user, someone with a check-in grant or a flash message, never gets a cached
  page nor leaves one behind.
- The key holds the host, the active language, whether the visitor takes
  gzip and the full path with its query string; the response keeps its
  `Vary` headers for downstream caches. Pages are stored as sent:
  GZipMiddleware sits inside this one, so a feed of 2,000 sessions is
  compressed once, not on every hit, and a hit moves a tenth of the bytes.
- Invalidation is by generation, in two kinds. The global generation is
  carried by every entry; `invalidate_public_pages()` replaces it (after the
  transaction commits, so no request can cache what was there before) when
  something many pages show changes: a forum or any other page than a
  session, a site, a setting, a lecturer, field, category or topic.
  Each entry also carries the generations of the *scopes* it shows: a page
  of the tree shows its own subtree (a forum page and its feed its
  sessions below, a session page itself), so it depends on the scope of its
  URL; pages that show sessions from anywhere (home, the schedule and
  `schedule.ics`, lecturer pages, anything that declares nothing) depend on
  the root scope `/`, and the schedule filtered to a forum on that forum's.
  Publishing, unpublishing, moving, deleting or saving a live *session*
  (`SCOPED_ATTR` on its class) replaces only the scopes of its URL and of
  its ancestors' URLs (`invalidate_page_scopes`): its page, its forum's and
  every ancestor's page and feed, the root — and a sibling town's page and
  feed stay cached. With ~140 publishes a day at 100× the seed, a village
  session no longer sends every visitor of the district page to a render.
  A request reads the global generation, its entry and the scopes of every
  prefix of its path (`/`, `/district/`, `/district/town/`, …) in one
  `get_many`; a dependency outside those (the schedule's forum) costs one
  more read on a hit.
- Participation (seats taken, person-times) changes far too often for that:
  a registration rush would empty the cache hundreds of times a second.
  Those figures are at most `PAGE_CACHE_SECONDS` old (default 60), plus one
  render, for anonymous visitors; anyone who can register is logged in and
  sees the live page, and the registration service decides from locked rows
  anyway.
- When a page's `PAGE_CACHE_SECONDS` are up, the next visitor claims its
  refresh (an atomic `add` in the shared cache) and renders it afresh;
  whoever asks for it while he does is served the copy before — kept
  `PAGE_CACHE_STALE_SECONDS` longer for that (default 600), and only under
  the same generation, so a content change is never served stale. At 100×
  the seed a feed or the district's page takes two seconds to render: once
  a minute one visitor waits for it, not every visitor of that minute, and
  the workers are not all rendering the same page at once.
- The cache is shared (Redis with `REDIS_URL`, else the database cache), so
  a page published through one process or host is gone from all of them.
- A Redis that fails is a miss (caching.py): pages are rendered from the
  database and nothing is kept. New generations it does not take are
  recorded in the database and written later (invalidations.py), before
  the cache is read again.
"""

import threading
import time
import uuid
from collections import deque
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from hashlib import md5
from urllib.parse import unquote

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers
from redis.exceptions import RedisError
from wagtail.models import PageViewRestriction

from training_site.caching import CacheUnavailable, strict

PUBLIC_ATTR = "_public_page"
#: On a request: {scope key: generation read before the view ran} that the
#: response shows (`depends_on`).
DEPENDS_ATTR = "_public_page_scopes"
#: On a page class: changes to its pages show only in the scopes of its URL
#: and its ancestors' URLs (a session), not everywhere.
SCOPED_ATTR = "page_cache_scoped_to_ancestors"
GENERATION_KEY = "public-pages:generation"
SCOPE_KEY = "public-pages:scope:"
#: Prefixes of a path whose scopes a request reads with its entry: the tree
#: is at most district / town / village / session (+ a sub-route) deep.
MAX_SCOPE_DEPTH = 8
ANY_RESTRICTION_KEY = "view-restrictions:any"
NO_STORE = ("private", "no-store", "no-cache")
#: How long `under_generation` keeps a value that no change replaced.
GENERATIONAL_SECONDS = 24 * 60 * 60
#: How long one visitor's claim to render an expired page afresh holds
#: others off (if his render fails, the claim is given back at once).
REFRESH_CLAIM_SECONDS = 30


def _cache():
    return caches["pages"]


def _seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def enabled() -> bool:
    return bool(_seconds())


def mark_public(response):
    """Let anonymous visitors be served this response from the cache."""
    setattr(response, PUBLIC_ATTR, True)
    return response


def public_page(view):
    """View decorator: the same response for every anonymous visitor."""

    def wrapped(request, *args, **kwargs):
        return mark_public(view(request, *args, **kwargs))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    wrapped.__wrapped__ = view
    return wrapped


class PublicPageMixin:
    """A Wagtail page whose own URL is public (sub-routes such as a session's
    `register/` or `checkin/` are not)."""

    def get_view_restrictions(self):
        # Wagtail asks on every request it serves (two queries), and almost
        # no page has a restriction: ask only when some page has one.
        # Adding or removing one replaces the generation (signals.py).
        if enabled() and not under_generation(
            ANY_RESTRICTION_KEY, _any_view_restriction
        ):
            return _no_view_restrictions()
        return super().get_view_restrictions()

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        match = getattr(request, "routable_resolver_match", None)
        if match is None or match.url_name == "index_route":
            # A page of the tree shows its subtree (a forum its sessions
            # below, a session itself): it changes when the scope of its
            # URL does.
            if storing(request):
                depends_on(request, page_path(self, request))
            mark_public(response)
        return response


def _no_view_restrictions():
    """No restrictions, as a queryset already read: Wagtail iterates it on
    every page it serves, and iterating `.none()` still compiles a query
    (60 µs of a check-in's 2 ms). A copy (`.order_by()`, as the admin's
    privacy view makes) is an empty queryset like any other."""
    restrictions = PageViewRestriction.objects.none()
    restrictions._result_cache = []
    return restrictions


def _any_view_restriction() -> bool:
    return PageViewRestriction.objects.exists()


def invalidate_public_pages() -> None:
    """Forget every cached public page, once the current transaction commits."""
    transaction.on_commit(_new_generation)


def invalidate_page_scopes(*paths: str) -> None:
    """Forget, once the transaction commits, the cached pages that show these
    site-relative URL paths: the scopes of each path and of its prefixes
    (`/a/b/s/` → `/a/b/s/`, `/a/b/`, `/a/`, `/`)."""
    keys = {scope_key(prefix) for path in paths for prefix in path_prefixes(path)}
    if keys:
        transaction.on_commit(lambda: _new_scope_generations(keys))


def scope_key(path: str) -> str:
    return SCOPE_KEY + path


def path_prefixes(path: str) -> list[str]:
    """`/a/b/feed.ics` → `/`, `/a/`, `/a/b/`, `/a/b/feed.ics/` (at most
    MAX_SCOPE_DEPTH + 1): the URLs of the pages a request may be about."""
    components = [c for c in path.split("/") if c][:MAX_SCOPE_DEPTH]
    return ["/"] + [
        "/" + "/".join(components[:n]) + "/" for n in range(1, len(components) + 1)
    ]


def page_path(page, request=None) -> str:
    """A Wagtail page's URL path relative to its site's root, decoded as
    `request.path_info` and `url_path` are (a Chinese slug is
    percent-encoded in its URL)."""
    parts = page.get_url_parts(request)
    return unquote(parts[2]) if parts else "/"


def depends_on(request, *paths: str) -> None:
    """The response to `request` shows these site-relative paths' subtrees:
    keep it until one of their scopes changes. Call it before the view reads
    what it shows (the scopes' generations are the ones read now, or with
    the request's entry). A public response that declares nothing depends
    on the root scope, which every scoped change replaces."""
    read = getattr(request, DEPENDS_ATTR + "_read", None)
    if read is None:  # not a request the cache would keep
        return
    keys = [scope_key(path) for path in paths]
    missing = [key for key in keys if key not in read]
    if missing:
        read = {**read, **_read_scopes(missing)}
    chosen = getattr(request, DEPENDS_ATTR, None) or {}
    chosen.update({key: read.get(key) for key in keys})
    setattr(request, DEPENDS_ATTR, chosen)


def storing(request) -> bool:
    """Whether the page cache may keep the response to `request`."""
    return hasattr(request, DEPENDS_ATTR + "_read")


def _read_scopes(keys: list[str]) -> dict:
    found = _cache().get_many(keys)
    return {key: found.get(key) for key in keys}


def _new_scope_generations(keys) -> None:
    _invalidate(keys)


def _invalidate(keys) -> None:
    """Give `keys` new generations now; if the cache does not take them, the
    change (committed) still succeeds and they are kept to write later
    (invalidations.py), never lost."""
    try:
        with strict():
            write_generations(keys)
    except (RedisError, DatabaseError) as error:
        from training_site import invalidations  # it imports the models

        invalidations.record(keys, error)


def write_generations(keys) -> None:
    """New generations for these keys (the global one, scopes), or raise."""
    failed = _cache().set_many(dict.fromkeys(keys, uuid.uuid4().hex), None)
    if failed:
        raise CacheUnavailable(f"{len(failed)} key(s) not set")


def _settled(scopes: dict) -> dict | None:
    """The scopes' generations to keep an entry under, as read before it was
    computed. A scope never changed has none yet: it gets one now — unless a
    change gave it one meanwhile (the `add` fails), and then the entry may
    be older than the change: None, keep nothing."""
    settled = {}
    for key, generation in scopes.items():
        if generation is None:
            generation = uuid.uuid4().hex
            if not _cache().add(key, generation, None):
                # Unless this thread gave it the one it has (the route of
                # this very request, kept first): a change would have
                # replaced it.
                generation = _cache().get(key)
                if generation not in _created.generations:
                    return None
            _created.generations.append(generation)
        settled[key] = generation
    return settled


class _Created(threading.local):
    """The scope generations this thread started (random: no other thread
    can start the same one)."""

    def __init__(self):
        self.generations = deque(maxlen=64)


_created = _Created()


def _scopes_hold(kept: dict, read: dict) -> bool:
    """Every scope an entry was kept under still has that generation; scopes
    not read with the entry are read now."""
    if not kept:
        return True
    missing = [key for key in kept if key not in read]
    if missing:
        read = {**read, **_read_scopes(missing)}
    return all(read.get(key) == generation for key, generation in kept.items())


@dataclass
class _Prefetched:
    asked: frozenset
    found: dict = field(default_factory=dict)


_prefetched: ContextVar[_Prefetched | None] = ContextVar("prefetched", default=None)


@contextmanager
def prefetched(*keys: str):
    """Within: `under_generation` answers these keys from one cache round
    trip, made here with the generation, instead of one trip per key (scope
    keys among them answer `lookup`'s and `scopes_of` checks)."""
    if not enabled():
        yield
        return
    found = _cache().get_many([GENERATION_KEY, *keys])
    token = _prefetched.set(_Prefetched(frozenset(keys), found))
    try:
        yield
    finally:
        _prefetched.reset(token)


def under_generation(key: str, compute):
    """`compute()`, kept in the pages cache until the generation changes —
    for what every request would otherwise ask the database afresh. With the
    page cache off it is computed each time."""
    if not enabled():
        return compute()
    generation, value = lookup(key)
    if value is MISSING:
        value = compute()
        keep(key, generation, value)
    return value


#: What `lookup` answers for a key not kept under the current generation.
MISSING = object()


def lookup(key: str) -> tuple[str, object]:
    """(the current generation, the value kept for `key` under it or MISSING),
    from the round trip `prefetched` made if it asked for the key."""
    memo = _prefetched.get()
    if memo is not None and key not in memo.asked:
        memo = None
    found = memo.found if memo else _cache().get_many([GENERATION_KEY, key])
    generation = _current(found)
    stored = found.get(key)
    if (
        isinstance(stored, tuple)
        and len(stored) == 3
        and stored[0] == generation
        and _scopes_hold(stored[1], _scopes_in(found))
    ):
        return generation, stored[2]
    return generation, MISSING


def scopes_of(*paths: str) -> dict:
    """{scope key: generation} for these paths now (from the round trip
    `prefetched` made if it asked for them): read before computing what
    `keep(..., scopes=)` will keep under them."""
    memo = _prefetched.get()
    keys = [scope_key(path) for path in paths]
    known = _scopes_in(memo.found) if memo else {}
    missing = [key for key in keys if key not in known]
    if missing:
        known = {**known, **_read_scopes(missing)}
    return {key: known.get(key) for key in keys}


def _scopes_in(found: dict) -> dict:
    return {key: value for key, value in found.items() if key.startswith(SCOPE_KEY)}


def keep(key: str, generation: str, value, scopes: dict | None = None) -> None:
    """Keep `value` for `key` under `generation`, the one `lookup` read before
    the value was computed, and under `scopes` (from `scopes_of`, also read
    before): a change that commits meanwhile replaces one of them, so the
    value is not used again."""
    settled = _settled(scopes or {})
    if settled is None:
        return
    _cache().set(key, (generation, settled, value), GENERATIONAL_SECONDS)
    memo = _prefetched.get()
    if memo is not None and key in memo.asked:
        memo.found[key] = (generation, settled, value)


def _current(found: dict) -> str:
    """The generation in `found` (a `get_many` that asked for it). If the
    cache has lost it (cleared, evicted, restarted), a new one is started:
    were it taken as "none", entries kept under "none" before the first
    change would count as current again."""
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache = _cache()
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)  # the first one wins
        generation = cache.get(GENERATION_KEY) or ""
    return generation


def _new_generation() -> None:
    # A new random generation rather than incr(): atomic on every backend,
    # and two processes invalidating at once both succeed.
    _invalidate([GENERATION_KEY])


def _anonymous_get(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _storable(request, response) -> bool:
    if not getattr(response, PUBLIC_ATTR, False) or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    # SessionMiddleware runs outside this one: a session the view changed
    # would get its cookie only after the page was stored.
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in NO_STORE)


class PublicPageCacheMiddleware:
    """Serve and store public pages for anonymous GETs (see the module doc).

    Sits after LocaleMiddleware (the language is part of the key) and
    CommonMiddleware (the host is checked), before CSRF and authentication:
    a cached page costs one cache round trip and no database query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = _seconds()
        if not seconds or not _anonymous_get(request):
            return self.get_response(request)
        cache = _cache()
        key = page_key(request)
        scopes = [scope_key(path) for path in path_prefixes(request.path_info)]
        found = cache.get_many([GENERATION_KEY, key, *scopes])
        generation = _current(found)
        read = {scope: found.get(scope) for scope in scopes}
        # For `depends_on`: what the view shows was read after these.
        setattr(request, DEPENDS_ATTR + "_read", read)
        stored = found.get(key)
        if not _kept_under(stored, generation, read):
            return self._render(request, cache, key, generation, seconds)
        if time.time() < stored[2]:
            return _rebuild(stored, "hit")
        # Its time is up: whoever claims the refresh renders it afresh, and
        # whoever asks meanwhile gets the copy before (same generation: only
        # participation figures can have moved since).
        try:
            with strict():  # a claim the cache failed to take is no one's
                claimed = cache.add(refresh_claim_key(key), True, REFRESH_CLAIM_SECONDS)
        except (RedisError, DatabaseError):
            return self.get_response(request)  # as uncached, not stale
        if not claimed:
            return _rebuild(stored, "stale")
        try:
            return self._render(request, cache, key, generation, seconds)
        finally:
            cache.delete(refresh_claim_key(key))

    def _render(self, request, cache, key: str, generation: str, seconds: int):
        response = self.get_response(request)
        if _storable(request, response):
            # What the visitor sees depends on his cookie (logged in or not),
            # whichever way this response is served.
            patch_vary_headers(response, ("Cookie",))
            read = getattr(request, DEPENDS_ATTR + "_read")
            shown = getattr(request, DEPENDS_ATTR, None) or {
                scope_key("/"): read[scope_key("/")]
            }
            scopes = _settled(shown)
            if scopes is not None:
                entry = _freeze(generation, scopes, time.time() + seconds, response)
                cache.set(key, entry, seconds + _stale_seconds())
                response["X-Page-Cache"] = "miss"
        return response


def page_key(request) -> str:
    """Where the page this anonymous GET asks for is kept."""
    address = md5(
        "|".join(
            (
                request.get_host(),
                request.LANGUAGE_CODE,
                _encoding(request),
                request.get_full_path(),
            )
        ).encode(),
        usedforsecurity=False,
    ).hexdigest()
    return f"public-page:{address}"


def refresh_claim_key(key: str) -> str:
    return key + ":refresh"


def _stale_seconds() -> int:
    return settings.PAGE_CACHE_STALE_SECONDS


def _kept_under(stored, generation: str, read: dict) -> bool:
    # Entries of another shape (kept by an older version) count as missing.
    return (
        isinstance(stored, tuple)
        and len(stored) == 6
        and stored[0] == generation
        and _scopes_hold(stored[1], read)
    )


def _encoding(request) -> str:
    """Pages are stored as GZipMiddleware (inside this one) sent them."""
    return (
        "gzip"
        if re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))
        else ""
    )


def _freeze(generation: str, scopes: dict, fresh_until: float, response) -> tuple:
    headers = [(k, v) for k, v in response.items() if k != "X-Page-Cache"]
    return (
        generation,
        scopes,
        fresh_until,
        response.status_code,
        headers,
        response.content,
    )


def _rebuild(stored: tuple, how: str) -> HttpResponse:
    _generation, _scopes, _fresh_until, status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = how
    return response
