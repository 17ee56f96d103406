"""The read API (Wagtail API v2) and the health check."""

import pytest
from django.db import connection

from tests.factories import FieldFactory, LecturerFactory, SessionFactory

pytestmark = pytest.mark.django_db

FIELDS = "start,end,forum,lecturers,venue,field,category,status,study_hours,number"


def test_sessions_carry_their_fields(client, tree):
    session = SessionFactory(
        parent=tree["village"],
        field=FieldFactory(slug="rural", name="乡村振兴"),
        lecturers=[LecturerFactory(name="王建国", title="教授")],
    )
    response = client.get(
        "/api/v2/pages/", {"type": "lectures.SessionPage", "fields": FIELDS}
    )
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["id"] == session.pk
    assert item["venue"] == session.venue
    assert item["status"] == "scheduled"
    assert item["number"] == 1
    assert item["field"] == {"name": "乡村振兴", "slug": "rural"}
    assert item["forum"]["slug"] == "dongfeng" and item["forum"]["level"] == "village"
    assert item["lecturers"] == [
        {"id": session.lecturers.get().pk, "name": "王建国", "title": "教授"}
    ]
    assert item["start"].endswith("+08:00")


def test_drafts_are_not_in_the_api(client, tree):
    SessionFactory(parent=tree["town"], live=False)
    response = client.get("/api/v2/pages/", {"type": "lectures.SessionPage"})
    assert response.json()["meta"]["total_count"] == 0


def test_forums_carry_their_level(client, tree):
    response = client.get(
        "/api/v2/pages/", {"type": "lectures.VillageForumPage", "fields": "level"}
    )
    assert {item["level"] for item in response.json()["items"]} == {"village"}


def test_healthz_answers_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] is True


def test_healthz_says_503_without_a_database(client, monkeypatch):
    def broken(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("database is gone")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
