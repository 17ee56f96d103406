"""A privacy scan: crawl the public site and look for trainees' names and mobiles.

The crawl goes the way a visitor or a harvesting script would: links from
the home page, forums' and sessions' calendars, and the read API for every
page type with all its fields. Lecturers are public by role; a trainee's
name that is also (part of) a lecturer's name only counts where the
lecturer's name is not what the page shows. Used on the demo in
tests/lectures/test_demo.py.

It reads a sample of each KIND of public response, not all of the demo's
700 pages (which took a minute and a half of the suite). A kind is what
decides what a response can show: the page's model, and for a session what
chooses the parts of its template and the data they read (its status,
whether it is still ahead, lecture or lesson, and its forum's tier, which
decides a roster or a head-count); a route below a page (`feed.ics`,
`event.ics`, `test/`), a URL outside the page tree with its numbers taken
out (`/lecturers/<n>/`), and the query's parameter names. Pages of one
kind are rendered by the same template and code from rows of the same
shape, so a trainee's name or mobile that one of them would show, its
sample shows too (the demo gives every kind registrations, rosters and
check-ins where the kind has them). Every kind of live page in the
database is seeded, so a kind that no link leads to is scanned all the
same, and `kinds_missed` names any kind the scan did not reach.
"""

import json
import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urldefrag, urlsplit

from django.utils import timezone
from wagtail.models import Page, Site

from lectures.models import ForumPage, Lecturer, SessionPage, TraineeProfile

# Not public, or not pages: what the crawl never follows.
PRIVATE = ("/admin/", "/accounts/", "/me/", "/i18n/", "/documents/", "/static/")
MAX_PAGES = 500
# Responses read of each kind.
PER_KIND = 4
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
MOBILE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
LINK = re.compile(r'href="([^"#?]*(?:\?[^"#]*)?)"')


def secrets() -> dict:
    """What must never show: every trainee's real name and mobile."""
    profiles = list(TraineeProfile.objects.values_list("real_name", "mobile"))
    return {
        "names": {name for name, _mobile in profiles},
        "mobiles": {mobile for _name, mobile in profiles},
        "public": sorted(
            Lecturer.objects.values_list("name", flat=True), key=len, reverse=True
        ),
    }


def leaks(text: str, secrets) -> set[str]:
    for name in secrets["public"]:
        text = text.replace(name, "　")
    found = {m for m in MOBILE.findall(text) if m in secrets["mobiles"]}
    for run in CJK_RUN.findall(text):
        for size in (2, 3, 4):
            for start in range(len(run) - size + 1):
                if run[start : start + size] in secrets["names"]:
                    found.add(run[start : start + size])
    return found


def body(response) -> str:
    content = (
        b"".join(response.streaming_content)
        if response.streaming
        else (response.content)
    )
    text = content.decode("utf-8")
    if response["Content-Type"].startswith("application/json"):
        # Whatever the renderer escapes, compare the characters themselves.
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


class Kinds:
    """Each live page's public path and its kind (see the module's doc)."""

    def __init__(self):
        root = Site.objects.get(is_default_site=True).root_page.url_path
        now = timezone.now()
        self.pages = {
            url_path.removeprefix(root.rstrip("/")): (model,)
            for url_path, model in Page.objects.live().values_list(
                "url_path", "content_type__model"
            )
        }
        sessions = SessionPage.objects.live().values_list(
            "url_path", "status", "kind", "forum__level", "end"
        )
        for url_path, status, kind, level, end in sessions:
            path = url_path.removeprefix(root.rstrip("/"))
            self.pages[path] = ("sessionpage", status, kind, level, end >= now)

    def of(self, url: str) -> tuple:
        parts = urlsplit(url)
        query = tuple(sorted({name for name, _value in parse_qsl(parts.query)}))
        path, below = parts.path, ""
        while path not in self.pages and path.count("/") > 1:
            path, cut = path.rstrip("/").rsplit("/", 1)[0] + "/", path
            below = cut.removeprefix(path) + below
        if path in self.pages:
            return (*self.pages[path], re.sub(r"\d+", "<n>", below), query)
        return (re.sub(r"\d+", "<n>", parts.path), query)

    def seeds(self) -> list[str]:
        """The first pages of each kind, by path."""
        taken, seeds = Counter(), []
        for path, kind in sorted(self.pages.items()):
            if taken[kind] < PER_KIND:
                taken[kind] += 1
                seeds.append(path)
        return seeds


def crawl(client, seeds: list[str], kinds: Kinds | None = None) -> dict[str, str]:
    """Breadth first from the seeds, on this site, public URLs only, at most
    PER_KIND responses of a kind (the seeds are read whatever their kind)."""
    kinds = kinds or Kinds()
    seen, queue, pages = set(seeds), deque(seeds), {}
    taken = Counter(kinds.of(url) for url in seeds)
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code in (200, 301, 302, 404), (url, response.status_code)
        if response.status_code != 200:
            continue
        pages[url] = text = body(response)
        for link in LINK.findall(text):
            link = urldefrag(link.replace("&amp;", "&"))[0]
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link in seen or parts.path.startswith(PRIVATE):
                continue
            seen.add(link)
            kind = kinds.of(link)
            if taken[kind] < PER_KIND:
                taken[kind] += 1
                queue.append(link)
    return pages


def kinds_missed(kinds: Kinds, urls) -> set[tuple]:
    """The kinds of live page none of `urls` is of."""
    scanned = {kinds.of(url)[:-2] for url in urls}
    return set(kinds.pages.values()) - scanned


def api_urls() -> list[str]:
    types = [
        "lectures.SessionPage",
        "lectures.DistrictForumPage",
        "lectures.UnitForumPage",
        "lectures.VillageForumPage",
        "courses.ClassPage",
    ]
    # 20 is the most the API gives at once (WAGTAILAPI_LIMIT_MAX).
    urls = [f"/api/v2/pages/?type={kind}&fields=*&limit=20" for kind in types]
    urls += ["/api/v2/pages/?limit=20", "/api/v2/images/", "/api/v2/documents/"]
    sessions = SessionPage.objects.live().order_by("pk")[:PER_KIND]
    urls += [f"/api/v2/pages/{pk}/" for pk in sessions.values_list("pk", flat=True)]
    return urls


def feed_urls(kinds: Kinds) -> list[str]:
    """The whole calendar, and a forum's and a session's of each kind."""
    urls = ["/schedule.ics", "/schedule.ics?start=2000-01-01&end=2100-01-01"]
    forums = ForumPage.objects.live().specific()
    sessions = SessionPage.objects.live().order_by("path")
    for pages, route in ((forums, "feed.ics"), (sessions, "event.ics")):
        taken = Counter()
        for page in pages:
            kind = kinds.of(page.url)
            if taken[kind] < PER_KIND:
                taken[kind] += 1
                urls.append(page.url + route)
    return urls


def read(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return body(response)


def scan(client) -> dict[str, set[str]]:
    """A sample of each kind of public response, by URL, with the trainees'
    data found in it."""
    kinds = Kinds()
    seeds = ["/", "/schedule/", "/lecturers/", "/classes/", *kinds.seeds()]
    pages = crawl(client, list(dict.fromkeys(seeds)), kinds)
    pages.update({url: read(client, url) for url in feed_urls(kinds) + api_urls()})
    assert kinds_missed(kinds, pages) == set()
    found = secrets()
    return {url: leaks(text, found) for url, text in pages.items()}
