"""Queries that run beside the request, on their own database connection.

A report's independent queries can run side by side: SQLite and psycopg let
go of Python's lock while the database works, and the server has more than
one core. `beside` runs a function in a thread with its own connection,
closed when it is done, and hands back a `Future`.

That connection cannot see what the caller's transaction has not committed,
so inside an atomic block (a view in a transaction, most tests) the function
runs at once in the caller's thread: the same answer, one after the other.
The two connections may read a moment apart; a report read while check-ins
arrive may count one more person in one figure than in another, as it would
if it were read a second later.
"""

import logging
import threading
from concurrent.futures import Future

from django.db import connection, connections

logger = logging.getLogger(__name__)


def beside(function, *args, **kwargs) -> Future:
    """Start `function(*args, **kwargs)`; `.result()` waits for its value."""
    if connection.in_atomic_block:
        return at_once(function, *args, **kwargs)
    future: Future = Future()

    def work():
        try:
            _run(future, function, args, kwargs)
        finally:
            connections.close_all()

    threading.Thread(target=work, daemon=True).start()
    return future


def at_once(function, *args, **kwargs) -> Future:
    """`function(*args, **kwargs)` run now, as a `Future` like `beside`'s:
    for work that costs less than a connection of its own."""
    future: Future = Future()
    _run(future, function, args, kwargs)
    return future


def _run(future: Future, function, args, kwargs) -> None:
    try:
        future.set_result(function(*args, **kwargs))
    except BaseException as error:  # handed to whoever asks for the result
        logger.debug("%s failed beside the request", function, exc_info=True)
        future.set_exception(error)
