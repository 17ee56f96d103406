"""Real threads against the real database, released together."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def all_at_once(function, items):
    """Run function(item) in one thread per item, released together.

    Each thread has its own database connection (Django's are per thread),
    closed when it is done.
    """
    barrier = threading.Barrier(len(items))

    def worker(item):
        barrier.wait()
        try:
            return function(item)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(worker, items))
