"""A privacy scan: crawl the public site and look for trainees' names and mobiles.

The crawl goes the way a visitor or a harvesting script would: every link
from the home page, every forum's and session's calendar, and the read API
for every page type with all its fields. Lecturers are public by role; a
trainee's name that is also (part of) a lecturer's name only counts where
the lecturer's name is not what the page shows. Used on the demo in
tests/lectures/test_demo.py.
"""

import json
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

from lectures.models import ForumPage, Lecturer, SessionPage, TraineeProfile

# Not public, or not pages: what the crawl never follows.
PRIVATE = ("/admin/", "/accounts/", "/me/", "/i18n/", "/documents/", "/static/")
MAX_PAGES = 500
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


def crawl(client, seeds: list[str]) -> dict[str, str]:
    """Breadth first from the seeds, on this site, public URLs only."""
    seen, queue, pages = set(seeds), deque(seeds), {}
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
            if link not in seen and not parts.path.startswith(PRIVATE):
                seen.add(link)
                queue.append(link)
    return pages


def api_urls() -> list[str]:
    types = [
        "lectures.SessionPage",
        "lectures.DistrictForumPage",
        "lectures.UnitForumPage",
        "lectures.VillageForumPage",
        "courses.ClassPage",
    ]
    urls = [f"/api/v2/pages/?type={kind}&fields=*&limit=1000" for kind in types]
    urls += ["/api/v2/pages/?limit=1000", "/api/v2/images/", "/api/v2/documents/"]
    sessions = SessionPage.objects.live().order_by("pk")[:30]
    urls += [f"/api/v2/pages/{pk}/" for pk in sessions.values_list("pk", flat=True)]
    return urls


def feed_urls() -> list[str]:
    urls = ["/schedule.ics", "/schedule.ics?start=2000-01-01&end=2100-01-01"]
    urls += [forum.url + "feed.ics" for forum in ForumPage.objects.live()]
    urls += [s.url + "event.ics" for s in SessionPage.objects.live()[:30]]
    return urls


def scan(client) -> dict[str, set[str]]:
    """Every public response, by URL, with the trainees' data found in it."""
    pages = crawl(client, ["/", "/schedule/", "/lecturers/", "/classes/"])
    pages.update({url: body(client.get(url)) for url in feed_urls() + api_urls()})
    found = secrets()
    return {url: leaks(text, found) for url, text in pages.items()}
