"""Two writers on the zero-setup SQLite database queue instead of failing with "database is locked".

Each transaction reads first and writes afterwards, like a disbursement (balance check, then the
loan row). The test opens its own file database with the project's SQLite options: the test
database of pytest-django on SQLite lives in memory, where locking works differently.
"""
import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite only: the database-wide write lock is what is tested; PostgreSQL locks rows",
)


@pytest.fixture
def file_db(tmp_path, django_db_blocker):
    """A new alias per call: a file database with the given options; removed afterwards."""
    aliases = []
    django_db_blocker.unblock()  # a database of the test's own, outside pytest-django's test database

    def make(options):
        alias = f"writers{len(aliases)}"
        connections.settings[alias] = {
            **settings.DATABASES["default"], "NAME": str(tmp_path / f"{alias}.sqlite3"), "OPTIONS": options,
        }
        aliases.append(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, writer TEXT)")
        connections[alias].close()
        return alias

    yield make
    for alias in aliases:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
    django_db_blocker.restore()


def _two_writers(alias):
    barrier = threading.Barrier(2)
    errors = []

    def write(name):
        try:
            barrier.wait()
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM entry")
                time.sleep(0.3)  # both would hold a read lock here without IMMEDIATE
                cursor.execute("INSERT INTO entry (writer) VALUES (%s)", [name])
        except OperationalError as exc:
            errors.append(str(exc))
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=write, args=(n,)) for n in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM entry")
        (rows,) = cursor.fetchone()
    return rows, errors


def test_settings_make_sqlite_writers_queue():
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] >= 5


def test_two_simultaneous_writers_both_save(file_db):
    alias = file_db(settings.DATABASES["default"]["OPTIONS"])
    assert _two_writers(alias) == (2, [])


def test_without_immediate_one_writer_fails(file_db):
    """Control: with SQLite's default (deferred) transactions the same race loses a write, so the
    test above passes because of the settings, not because of timing luck."""
    alias = file_db({"timeout": 20})
    rows, errors = _two_writers(alias)
    assert rows == 1 and errors and "locked" in errors[0]
