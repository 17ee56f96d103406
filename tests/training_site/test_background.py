"""Queries beside the request: their own thread and connection, or at once."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from training_site.background import beside


def where() -> tuple[int, int]:
    return threading.get_ident(), id(connection.connection)


def count_users() -> int:
    return get_user_model().objects.count()


@pytest.mark.django_db
def test_inside_a_transaction_the_work_is_done_at_once_and_sees_it():
    get_user_model().objects.create(username="uncommitted")
    connection.ensure_connection()
    assert beside(where).result() == where()
    assert beside(count_users).result() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_it_runs_on_its_own_thread_and_connection():
    get_user_model().objects.create(username="committed")
    connection.ensure_connection()
    thread, own = beside(where).result()
    assert thread != threading.get_ident()
    assert own != id(connection.connection)
    assert beside(count_users).result() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_error_reaches_whoever_asks_for_the_result():
    def fail():
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        beside(fail).result()
