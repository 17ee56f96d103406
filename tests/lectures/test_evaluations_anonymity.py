"""Anonymity that holds in the database: nothing joins an answer to a person.

Read from the database itself (introspection and raw SQL), not from the
models, so a column added later without thought fails here.
"""

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.models import ModelLogEntry

from lectures.models import (
    EvaluationComment,
    EvaluationForm,
    EvaluationReceipt,
    RatingTally,
    SessionEvaluation,
)
from lectures.services import evaluations
from tests.factories import UserFactory, answer, attended, ended_session

pytestmark = pytest.mark.django_db

ANSWER_TABLES = {
    RatingTally._meta.db_table: {
        "id",
        "session_id",
        "indicator_id",
        "level",
        "points",
        "weight",
        "satisfied",
        "count",
    },
    EvaluationComment._meta.db_table: {"id", "session_id", "text"},
    SessionEvaluation._meta.db_table: {"session_id", "form_id", "responses"},
}
# What an answer may point at: the session, the table and its indicators.
ALLOWED_TARGETS = {
    "lectures_sessionpage",
    "lectures_evaluationform",
    "lectures_evaluationindicator",
}
TIME_TYPES = ("date", "time", "timestamp")


def columns(table):
    with connection.cursor() as cursor:
        return {
            c.name: c
            for c in connection.introspection.get_table_description(cursor, table)
        }


def foreign_keys(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        c["columns"][0]: c["foreign_key"][0]
        for c in constraints.values()
        if c["foreign_key"]
    }


def column_types(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM " + connection.ops.quote_name(table) + " WHERE 1 = 0"
        )
        description = connection.introspection.get_table_description(cursor, table)
    return {
        c.name: connection.introspection.get_field_type(c.type_code, c).lower()
        for c in description
    }


@pytest.mark.parametrize("table", sorted(ANSWER_TABLES))
def test_answer_tables_hold_no_person_no_time_no_sequence(table):
    assert set(columns(table)) == ANSWER_TABLES[table]
    assert set(foreign_keys(table).values()) <= ALLOWED_TARGETS
    types = column_types(table)
    assert not any(kind in t for t in types.values() for kind in TIME_TYPES), types
    # The primary key is a random UUID, or the session itself (one row each,
    # its value the session's id: no counter of responses).
    if "id" in types:
        assert "uuid" in types["id"] or "char" in types["id"], types["id"]
    else:
        assert foreign_keys(table)["session_id"] == "lectures_sessionpage"


def test_no_table_points_at_an_answer():
    answers = set(ANSWER_TABLES)
    for table in connection.introspection.table_names():
        targets = set(foreign_keys(table).values())
        assert not targets & answers, f"{table} points at an answer table"


def test_the_receipt_knows_who_and_the_day_only():
    table = EvaluationReceipt._meta.db_table
    assert set(columns(table)) == {"id", "session_id", "user_id", "submitted_on"}
    assert set(foreign_keys(table).values()) == {"lectures_sessionpage", "auth_user"}
    assert "datetime" not in column_types(table)["submitted_on"]


@pytest.fixture
def session(tree):
    return ended_session(tree["town"])


@pytest.fixture
def form():
    return EvaluationForm.objects.get(is_default=True)


def test_the_log_names_receipts_never_answers(session, form):
    user = UserFactory()
    attended(session, user)
    receipt = evaluations.submit(session, user, answer(form, 4, 4, 4, 4, 4), "好")
    entries = ModelLogEntry.objects.filter(action=evaluations.LOG_ACTION)
    assert [(e.content_type.model, e.object_id) for e in entries] == [
        ("evaluationreceipt", str(receipt.pk))
    ]


def physical_order(table: str) -> str:
    return "ctid" if connection.vendor == "postgresql" else "rowid"


def test_comments_are_rewritten_in_random_order(session, form, monkeypatch):
    """Physical row order follows the shuffle, not the order of submission."""
    shuffled = []

    class Backwards:
        def shuffle(self, items):
            items.sort(reverse=True)
            shuffled.append(list(items))

    monkeypatch.setattr(evaluations.secrets, "SystemRandom", Backwards)
    ids_before = set()
    for text in ("a意见", "b意见", "c意见"):
        user = UserFactory()
        attended(session, user)
        evaluations.submit(session, user, answer(form, 4, 4, 4, 4, 4), text)
        ids = set(EvaluationComment.objects.values_list("pk", flat=True))
        assert not ids & ids_before, "earlier comments keep their rows"
        ids_before = ids
    assert shuffled[-1] == ["c意见", "b意见", "a意见"]
    table = connection.ops.quote_name(EvaluationComment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text FROM {table} ORDER BY {physical_order(table)}")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored == ["c意见", "b意见", "a意见"]


def test_every_tally_of_the_session_is_rewritten_by_each_response(session, form):
    """No tally's row version says which levels the last respondent chose."""
    users = [UserFactory() for _ in range(2)]
    attended(session, *users)
    evaluations.submit(session, users[0], answer(form, 4, 4, 4, 4, 4))
    evaluations.submit(session, users[1], answer(form, 1, 1, 1, 1, 1))
    if connection.vendor != "postgresql":
        pytest.skip("row versions (xmin) are PostgreSQL's")
    table = connection.ops.quote_name(RatingTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(DISTINCT xmin::text) FROM {table}")
        assert cursor.fetchone()[0] == 1


def test_results_pages_never_name_a_respondent(client, tree, people, form):
    session = ended_session(tree["town"], lecturers=[people["lecturer"].lecturer])
    respondents = [UserFactory(username=f"respondent{n}") for n in range(3)]
    attended(session, *respondents)
    for user in respondents:
        evaluations.submit(session, user, answer(form, 4, 3, 4, 4, 4), "建议")
    for viewer in ("lecturer", "town_admin"):
        client.force_login(people[viewer])
        for url in (
            reverse("lectures_evaluation_session", args=[session.pk]),
            reverse("lectures_evaluations"),
        ):
            html = client.get(url).content.decode()
            assert "respondent" not in html
