"""SQLite's writers queue on a file lock, held exactly for a transaction."""

import fcntl

import pytest
from django.db import connection, transaction


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's writer queue")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_writers_queue_on_a_file_lock_held_for_the_transaction():
    other = open(f"{connection.settings_dict['NAME']}-writers", "a")  # noqa: SIM115

    def free() -> bool:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(other, fcntl.LOCK_UN)
        return True

    try:
        assert free()
        with transaction.atomic():
            connection.cursor().execute("SELECT 1")
            assert not free()
        assert free()

        def fail_inside_a_transaction():
            with transaction.atomic():
                assert not free()
                raise RuntimeError

        with pytest.raises(RuntimeError):
            fail_inside_a_transaction()
        assert free()
    finally:
        other.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's writer queue")
def test_a_destroyed_test_database_takes_its_queue_file_with_it(tmp_path):
    database = tmp_path / "test-db.sqlite3"
    for path in (database, tmp_path / "test-db.sqlite3-writers"):
        path.write_text("")
    connection.creation._destroy_test_db(str(database), verbosity=0)
    assert list(tmp_path.iterdir()) == []
