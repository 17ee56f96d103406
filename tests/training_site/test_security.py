"""Hardening: the Content-Security-Policy, and limits on login attempts."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import SessionFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


# Content-Security-Policy -----------------------------------------------------


def test_public_pages_send_the_strict_policy(client, tree, trainee):
    session = SessionFactory(parent=tree["village"])
    client.force_login(trainee)
    for url in ("/", "/schedule/", session.url, session.url + "checkin/", "/me/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["default-src"] == {"'self'"}
        assert policy["script-src"] == {"'self'"}, url
        assert policy["style-src"] == {"'self'"}, url
        assert policy["object-src"] == {"'none'"}
        assert policy["frame-ancestors"] == {"'self'"}
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_admin_alone_may_run_wagtails_inline_scripts(client, district_admin):
    client.force_login(district_admin)
    policy = directives(client.get(reverse("wagtailadmin_home")))
    assert policy["script-src"] == {"'self'", "'unsafe-inline'"}
    assert policy["object-src"] == {"'none'"}
    assert policy["default-src"] == {"'self'"}


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_our_templates_carry_no_inline_script_or_style():
    """What the policy forbids must not be in our pages in the first place."""
    found = []
    for app in ("training_site", "lectures", "courses"):
        for template in (ROOT / app).rglob("templates/**/*.html"):
            text = template.read_text(encoding="utf-8")
            for pattern, what in INLINE:
                if pattern.search(text):
                    found.append(f"{template.relative_to(ROOT)}: {what}")
    assert found == []


# Login attempts (django-axes) ---------------------------------------------


LOCKED = "登录尝试次数过多"


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_the_login(
    client, trainee, district_admin, login_url
):
    user = district_admin
    for attempt in range(4):
        wrong = client.post(login_url, {"username": user.username, "password": "x"})
        assert wrong.status_code == 200, attempt  # the form, with its error
    fifth = client.post(login_url, {"username": user.username, "password": "x"})
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    # Now even the right password is refused, on both login pages …
    for url in ("/accounts/login/", "/admin/login/"):
        right = client.post(url, {"username": user.username, "password": "pass-1234"})
        assert right.status_code == 429
        assert LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session
    # … while someone else logs in from the same address.
    other = client.post(
        "/accounts/login/", {"username": trainee.username, "password": "pass-1234"}
    )
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(trainee.pk)


def test_the_lockout_is_translated(client, trainee):
    for _ in range(5):
        response = client.post(
            "/accounts/login/",
            {"username": trainee.username, "password": "x"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 429
    assert "Too many login attempts" in response.content.decode()


def test_a_success_before_the_limit_resets_the_count(client, trainee):
    for _ in range(4):
        client.post("/accounts/login/", {"username": "trainee", "password": "x"})
    ok = client.post(
        "/accounts/login/", {"username": "trainee", "password": "pass-1234"}
    )
    assert ok.status_code == 302
    client.logout()
    for _ in range(4):
        wrong = client.post(
            "/accounts/login/", {"username": "trainee", "password": "x"}
        )
        assert wrong.status_code == 200


# Requests no honest client sends ----------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/schedule/", {"forum": "a\x00b"}),
        ("get", "/api/v2/pages/", {"search": "\x00"}),
        ("get", "/schedule/%00/", {}),
        ("post", "/accounts/login/", {"username": "x\x00", "password": "y"}),
    ],
)
def test_a_nul_character_is_a_translated_400(client, tree, method, url, data):
    response = getattr(client, method)(url, data)
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
