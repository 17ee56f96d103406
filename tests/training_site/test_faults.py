"""Faults: a database that is busy or gone gets a clean, translated answer.

SQLite lets one writer at a time; a writer waits for the lock (the busy
timeout is SQLite's own retry) and, if it never comes, the request answers
503 with Retry-After and the "service busy" page, having saved nothing.
With the database unreachable, /healthz says 503 and every page that needs
it answers the same page, rendered without a database.
"""

import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from lectures.models import Registration
from tests.factories import SessionFactory, UserFactory

BUSY = "服务繁忙"


def assert_busy_page(response):
    assert response.status_code == 503, response.status_code
    assert response["Retry-After"].isdigit()
    assert BUSY in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_while_another_connection_holds_the_lock_is_a_503(tree):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows")
    session = SessionFactory(parent=tree["town"], capacity=10)
    trainee = UserFactory()
    client = Client(raise_request_exception=False)
    client.force_login(trainee)
    register_url = session.url + "register/"

    # Wait 0.1 s for the lock instead of the production 20 s.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing, say
    try:
        # Readers are not held up (WAL) …
        assert client.get(session.url).status_code == 200
        # … a writer gets the busy page, not a 500, and nothing half-saved.
        assert_busy_page(client.post(register_url))
        assert not Registration.objects.filter(user=trainee).exists()
    finally:
        other.rollback()
        other.close()
        connection.close()  # the next connection has the normal busy timeout

    # Once the lock is free, trying again works.
    assert client.post(register_url).status_code == 302
    assert Registration.objects.get(user=trainee).status == "confirmed"


UNREACHABLE = {
    "sqlite": {"NAME": "/nonexistent-directory/db.sqlite3"},
    "postgresql": {"HOST": "127.0.0.1", "PORT": "1"},
}


def without_database(requests, **headers):
    """Make the requests in a thread whose connection points nowhere."""
    results = {}

    def run():
        wrapper = connections["default"]
        wrapper.settings_dict = {
            **wrapper.settings_dict,
            **UNREACHABLE[wrapper.vendor],
        }
        client = Client(raise_request_exception=False, **headers)
        try:
            for method, url in requests:
                results[url] = getattr(client, method)(url)
        finally:
            wrapper.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return results


@pytest.mark.django_db
def test_with_the_database_gone_pages_fail_cleanly(tree):
    session = SessionFactory(parent=tree["town"])
    pages = [
        ("get", "/healthz"),
        ("get", "/"),
        ("get", "/schedule/"),
        ("get", "/schedule.ics"),
        ("get", tree["town"].url + "feed.ics"),
        ("get", session.url),
        ("get", "/api/v2/pages/"),
        ("get", "/lecturers/"),
        ("post", session.url + "register/"),
    ]
    answers = without_database(pages)

    health = answers.pop("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": False}
    for url, response in answers.items():
        assert response.status_code == 503, url
        assert_busy_page(response)
    # Pages that need no database still work.
    login = without_database([("get", "/accounts/login/")])["/accounts/login/"]
    assert login.status_code == 200


@pytest.mark.django_db
def test_the_busy_page_speaks_english_too(tree):
    page = without_database([("get", "/schedule/")], HTTP_ACCEPT_LANGUAGE="en")
    assert page["/schedule/"].status_code == 503
    assert "Service busy" in page["/schedule/"].content.decode()
