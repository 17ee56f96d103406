"""Two real server processes on one database share the page cache: a page
unpublished through one is gone from the other at once, and what cannot
show it stays cached in both."""

import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from django.core.cache import caches
from django.db import connection
from wagtail.models import Site

from tests.factories import SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_environment() -> dict:
    """The test database, as the server processes' settings read it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": db["NAME"]}
    return {
        "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
            **{**db, "HOST": db["HOST"] or "127.0.0.1", "PORT": db["PORT"] or 5432}
        )
    }


@contextmanager
def server():
    """gunicorn, one worker, on a port of its own; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        **database_environment(),
        "DJANGO_SETTINGS_MODULE": "training_site.settings.test",
        "PAGE_CACHE_SECONDS": "60",
    }
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "training_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                requests.get(f"{base}/healthz", timeout=10)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def log_in(base: str, username: str, page: str = "/admin/login/") -> requests.Session:
    web = requests.Session()
    web.get(f"{base}{page}")
    response = web.post(
        f"{base}{page}",
        data={
            "username": username,
            "password": "pass-1234",
            "csrfmiddlewaretoken": web.cookies["csrftoken"],
        },
        headers={"Referer": base},
    )
    assert response.ok
    assert "sessionid" in web.cookies
    return web


def test_unpublished_in_one_process_gone_from_the_other(tree):
    session = SessionFactory(parent=tree["town"], title="两进程缓存测试")
    UserFactory(username="boss", is_superuser=True, is_staff=True)
    try:
        with server() as one, server() as other:
            sibling = tree["sibling"].url
            for _ in range(2):
                page = requests.get(other + session.url)
                schedule = requests.get(other + "/schedule/")
                elsewhere = requests.get(other + sibling + "feed.ics")
            assert page.headers["X-Page-Cache"] == "hit"
            assert schedule.headers["X-Page-Cache"] == "hit"
            assert elsewhere.headers["X-Page-Cache"] == "hit"
            assert "两进程缓存测试" in schedule.text

            editor = log_in(one, "boss")
            response = editor.post(
                f"{one}/admin/pages/{session.pk}/unpublish/",
                data={"csrfmiddlewaretoken": editor.cookies["csrftoken"]},
                headers={"Referer": one},
                allow_redirects=False,
            )
            assert response.status_code == 302

            assert requests.get(other + session.url).status_code == 404
            schedule = requests.get(other + "/schedule/")
            assert schedule.headers["X-Page-Cache"] == "miss"
            assert "两进程缓存测试" not in schedule.text
            # Another town's feed cannot show it: still kept.
            elsewhere = requests.get(other + sibling + "feed.ics")
            assert elsewhere.headers["X-Page-Cache"] == "hit"
    finally:
        # Cache tables are not flushed between tests like the models' tables.
        caches["pages"].clear()


def quota_shown(response) -> Decimal:
    figures = re.findall(r"<li><strong>([^<]*)</strong>", response.text)
    return Decimal(figures[1])  # earned, the quota, still to earn


def test_a_setting_saved_in_one_process_shows_in_the_other(tree):
    UserFactory(username="boss", is_superuser=True, is_staff=True)
    UserFactory(username="cadre")
    site = Site.objects.get(is_default_site=True)
    try:
        with server() as one, server() as other:
            trainee = log_in(other, "cadre", "/accounts/login/")
            for _ in range(2):  # the second from the cache
                assert quota_shown(trainee.get(f"{other}/me/")) == 50

            editor = log_in(one, "boss")
            url = f"{one}/admin/settings/lectures/participationsettings/{site.pk}/"
            response = editor.post(
                url,
                data={
                    "csrfmiddlewaretoken": editor.cookies["csrftoken"],
                    "yearly_hours_quota": "64",
                    "evaluation_window_days": "9",
                },
                headers={"Referer": one},
                allow_redirects=False,
            )
            assert response.status_code == 302

            assert quota_shown(trainee.get(f"{other}/me/")) == 64
    finally:
        caches["pages"].clear()
