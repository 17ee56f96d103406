"""The read API (Wagtail API v2) and the health check."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.db import OperationalError, connection

from tests.factories import (
    CategoryFactory,
    FieldFactory,
    LecturerFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

SESSION_FIELDS = [
    "start",
    "end",
    "forum",
    "lecturers",
    "venue",
    "field",
    "category",
    "status",
    "study_hours",
]


def sessions_api(client, fields=SESSION_FIELDS, **params) -> dict:
    response = client.get(
        "/api/v2/pages/",
        {"type": "lectures.SessionPage", "fields": ",".join(fields), **params},
    )
    assert response.status_code == 200
    return response.json()


def test_sessions_carry_their_fields(client, tree):
    wang = LecturerFactory(name="王建国", title="党校教授")
    session = SessionFactory(
        parent=tree["village"],
        field=FieldFactory(slug="rural", name="乡村振兴"),
        category=CategoryFactory(slug="lecture", name="专题讲座"),
        lecturers=[wang],
        venue="东风村党群服务中心",
        study_hours=Decimal("1.5"),
    )
    [item] = sessions_api(client)["items"]
    assert set(SESSION_FIELDS) <= set(item)
    assert item["id"] == session.pk
    # In Asia/Shanghai, the same instants as stored.
    assert item["start"].endswith("+08:00")
    assert item["end"].endswith("+08:00")
    assert datetime.fromisoformat(item["start"]) == session.start
    assert datetime.fromisoformat(item["end"]) == session.end
    assert item["forum"] == {
        "id": tree["village"].pk,
        "title": "东风村微讲坛",
        "slug": "dongfeng",
        "level": "village",
    }
    assert item["lecturers"] == [{"id": wang.pk, "name": "王建国", "title": "党校教授"}]
    assert item["venue"] == "东风村党群服务中心"
    assert item["field"] == {"name": "乡村振兴", "slug": "rural"}
    assert item["category"] == {"name": "专题讲座", "slug": "lecture"}
    assert item["status"] == "scheduled"
    assert Decimal(item["study_hours"]) == Decimal("1.5")


def test_optional_fields_are_null_not_missing(client, tree):
    SessionFactory(parent=tree["town"])
    [item] = sessions_api(client)["items"]
    assert item["field"] is None
    assert item["category"] is None
    assert item["lecturers"] == []


def test_drafts_are_not_in_the_api(client, tree):
    SessionFactory(parent=tree["town"], live=False)
    assert sessions_api(client)["meta"]["total_count"] == 0


def test_the_api_filters_by_parent_forum(client, tree):
    SessionFactory(parent=tree["town"], title="镇讲座")
    SessionFactory(parent=tree["village"], title="村讲座")
    data = sessions_api(client, fields=["venue"], child_of=tree["town"].pk)
    assert [item["title"] for item in data["items"]] == ["镇讲座"]


def test_forums_carry_their_level(client, tree):
    response = client.get(
        "/api/v2/pages/", {"type": "lectures.VillageForumPage", "fields": "level"}
    )
    assert {item["level"] for item in response.json()["items"]} == {"village"}


def test_healthz_answers_after_a_database_round_trip(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


def test_healthz_says_503_without_a_database(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("database is gone")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False


@pytest.mark.parametrize("text", ['"', '"报告', "  ", "\t", '""'])
def test_a_search_of_quotes_or_spaces_finds_nothing_without_failing(client, tree, text):
    response = client.get("/api/v2/pages/", {"search": text})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_quoted_search_still_finds_the_page(client, tree):
    response = client.get("/api/v2/pages/", {"search": f'"{tree["town"].title}"'})
    assert response.status_code == 200
    assert tree["town"].pk in [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize("operator", ["", " ", "xor", "AND"])
def test_an_unknown_search_operator_is_refused_by_name(client, tree, operator):
    response = client.get(
        "/api/v2/pages/", {"search": "讲坛", "search_operator": operator}
    )
    assert response.status_code == 400
    assert "search_operator" in response.json()["message"]


@pytest.mark.parametrize("operator", ["and", "or"])
def test_the_known_search_operators_work(client, tree, operator):
    response = client.get(
        "/api/v2/pages/", {"search": tree["town"].title, "search_operator": operator}
    )
    assert response.status_code == 200
