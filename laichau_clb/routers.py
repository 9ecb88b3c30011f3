"""The read replica (docs/deploy.md, "National set-up"): the dashboard's and the reports' reads go to
DATABASES["replica"] when DATABASE_REPLICA_URL configures one; every write, and every read anywhere
else, goes to the primary.

Only reads inside `replica_reads()` (or a view decorated with `@replica_view`) move, and only until
the first write in that block, or while a transaction on the primary is open: what a request has just
written is read back from the primary, never from a replica that may not have it yet. A replica lags
the primary by the time its WAL takes to arrive (usually well under a second on a local network);
a figure on the dashboard may be that much behind, never mixed: the data generation that keys the
cached figures (clubs/cache.py) is read from the replica too, and a generation is bumped only after
its data committed, so the replica never has the new generation without the data.

Sessions, logins, the access checks of other pages and the history stay on the primary: the session
middleware and the login run outside any such block.
"""
import contextlib
import contextvars
import functools

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# None outside replica_reads(); inside, a one-item list: has this block written yet?
_block = contextvars.ContextVar("replica_reads", default=None)


def replica_configured():
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads():
    """Reads inside go to the replica when there is one (the primary otherwise), until a write."""
    token = _block.set([False])
    try:
        yield
    finally:
        _block.reset(token)


def replica_view(view):
    """A read-only page (the dashboard, a report's preview) served from the replica."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapper


def read_alias():
    """The alias a read would use here and now (the tests and the benchmark say which one served)."""
    block = _block.get()
    if block is None or block[0] or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        block = _block.get()
        if block is not None:
            block[0] = True  # every later read of this block goes to the primary
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema through replication
