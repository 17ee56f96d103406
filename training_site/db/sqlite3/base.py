"""SQLite whose writers queue on a file lock instead of SQLite's busy loop.

SQLite has one writer at a time. A writer that finds the lock taken is put
to sleep by the busy handler and retries after 1, 2, 5, 10, 15… ms: the
lock is usually free long before it wakes, so in a check-in rush the
writers spent more time asleep than writing. Here every transaction (an
atomic block: `BEGIN IMMEDIATE`, see settings) first takes an exclusive
`flock` on a file beside the database, and the kernel wakes the next one
the moment it is released: the transactions follow each other without
gaps. SQLite's own locking still guards the data; this only orders the
queue. A process that dies holding the lock releases it with its files.
"""

import contextlib
import fcntl
import os

from django.db.backends.sqlite3 import base, creation


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        super()._destroy_test_db(test_database_name, verbosity)
        if test_database_name and not self.is_in_memory_db(test_database_name):
            # The queue's lock file goes with the test database.
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{test_database_name}-writers")


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    _queue_file = None
    _in_turn = False

    def _queue(self):
        if self._queue_file is None:
            name = str(self.settings_dict["NAME"])
            if self.is_in_memory_db() or not name:
                return None
            self._queue_file = open(f"{name}-writers", "a")  # noqa: SIM115
        return self._queue_file

    def _start_transaction_under_autocommit(self):
        queue = self._queue()
        if queue is not None and not self._in_turn:
            fcntl.flock(queue, fcntl.LOCK_EX)
            self._in_turn = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _end_turn(self):
        if self._in_turn:
            self._in_turn = False
            fcntl.flock(self._queue_file, fcntl.LOCK_UN)

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._end_turn()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._end_turn()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._end_turn()
            if self._queue_file is not None:
                self._queue_file.close()
                self._queue_file = None
