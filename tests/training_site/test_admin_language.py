"""The admin speaks Chinese to every role: no English word on any page a
demo account reaches from its menu, nor on the forms it works in.

The walk is generic: it follows the links of each role's own sidebar menu
(the JSON Wagtail renders it from) and, on each listing, the first edit
link, so pages other apps add are covered as soon as a menu leads there.
Words allowed: proper nouns and formats (`tests/latin_scan.PROPER_NOUNS`).
"""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from lectures.models import ForumPage, Lecturer, SessionPage
from tests import latin_scan

EDIT_LINK = re.compile(r'href="(/admin/[^"?#]*/edit/[^"?#]*)"')


def admin_roles() -> list:
    return [
        user
        for user in get_user_model().objects.filter(username__startswith="demo_")
        if user.has_perm("wagtailadmin.access_admin")
    ]


def work_pages(user) -> list[str]:
    """The forms a role works in, beyond its menu's listings."""
    urls = ["/admin/", "/admin/account/", "/admin/pages/search/?q=讲"]
    lecturer = Lecturer.objects.filter(user=user).first()
    sessions = SessionPage.objects.filter(owner=user)
    if lecturer:
        sessions = SessionPage.objects.filter(lecturers=lecturer)
        forum = lecturer.forums.first()
    else:
        forum = ForumPage.objects.filter(admin_group__user=user).first()
        sessions = SessionPage.objects.descendant_of(forum) if forum else sessions
    if forum:
        urls += [
            f"/admin/pages/{forum.pk}/",
            f"/admin/pages/{forum.pk}/add_subpage/",
            f"/admin/pages/add/lectures/sessionpage/{forum.pk}/",
        ]
        if not lecturer:
            urls.append(f"/admin/pages/{forum.pk}/edit/")
    session = sessions.order_by("-start").first()
    if session:
        urls += [
            f"/admin/pages/{session.pk}/edit/",
            f"/admin/pages/{session.pk}/history/",
            f"/admin/lectures/roster/{session.pk}/",
        ]
    return urls


def english_on_pages(client, urls) -> dict[str, tuple[str, str]]:
    """English word → (the page, the text it was in), following each
    listing's first edit link."""
    found, seen, queue = {}, set(), list(urls)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        for word, text in latin_scan.untranslated(html).items():
            found.setdefault(word, (url, text))
        if url in urls:
            queue += [link for link in EDIT_LINK.findall(html)[:1] if link not in seen]
    return found


@pytest.mark.django_db
def test_every_roles_admin_pages_are_in_chinese(demo):
    roles = admin_roles()
    assert {user.username for user in roles} >= {
        "demo_admin",
        "demo_town",
        "demo_village",
        "demo_lecturer",
    }
    english = {}
    for user in roles:
        client = Client()
        client.force_login(user)
        menu = latin_scan.menu_urls(client.get("/admin/").content.decode())
        assert menu, user.username
        for word, (url, text) in english_on_pages(
            client, menu + work_pages(user)
        ).items():
            english.setdefault(f"{word} — {text}", f"{user.username} {url}")
    assert english == {}


def test_the_scan_finds_english_and_spares_names():
    html = """<html><body><p>已保存</p><span title="Saved">✓</span>
      <p>导出为 Excel 或 PDF，订阅 iCalendar</p><select name="time_zone">
      <option>Asia/Shanghai</option></select><p>demo_town</p>
      <script id="wagtail-sidebar-props" type="application/json">
      {"label": "Pages", "url": "/admin/pages/"}</script></body></html>"""
    assert set(latin_scan.untranslated(html)) == {"Saved", "Pages"}
    assert latin_scan.menu_urls(html) == ["/admin/pages/"]


def test_wagtails_missing_and_wrong_strings_are_chinese():
    with translation.override("zh-hans"):
        for english, chinese in {
            "Saved": "已保存",
            "Autosave is paused": "自动保存已暂停",
            "Go to the first error": "转到第一个错误",
            "Privacy and access": "隐私与访问",
            "Page types usage": "页面类型使用情况",
            "Your pages and snippets in a workflow": "我提交审批中的内容",
            "Search all pages…": "搜索全部页面…",
            "Pages": "页面",
            "Title": "标题",
            "Changes requested": "退回修改",
            "live": "已发布",
            # A language is named in its own language in the switch.
            "English": "English",
        }.items():
            assert translation.gettext(english) == chinese, english
        assert translation.pgettext("lecturer", "Title") == "职务/职称"


def test_the_admin_javascript_catalogue_is_chinese(client, django_user_model):
    user = django_user_model.objects.create_superuser("js", "js@example.com", "x")
    client.force_login(user)
    catalogue = client.get("/admin/jsi18n/").content.decode()
    for chinese in ("输入文字，或输入“/”插入内容块", "修改已自动保存。"):
        assert json.dumps(chinese)[1:-1] in catalogue
