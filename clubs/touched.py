"""The clubs a transaction wrote to, handed once to the listeners after it commits (issue 16).

Every write path calls `touch(*rows)` once after saving: clubs.services.save_checked (the services of
clubs and funds), the workbook import's write. It is the one after-write hook: it bumps the figures'
generation on commit (clubs/cache.py), finds each row's club from the registry of dated rows in
clubs/locks.py (each row of the figures is declared there once), collects the ids per transaction, and
on commit calls each listener once with all of them: reporting recomputes the figures of those clubs
only (reporting/figure_rows.py). A rolled-back write calls nobody. Listeners must only hand the ids on
(enqueue a task): the work itself is no signal's business. (The check before the write,
locks.check_write, cannot be this call: it must raise before the save, and the import checks its
rows in memory instead.)
"""
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from . import cache, locks

_LISTENERS = []


def listen(callback):
    """`callback(club_ids, using)` after each commit that touched clubs (AppConfig.ready)."""
    if callback not in _LISTENERS:
        _LISTENERS.append(callback)


def _pending(using):
    """The set of this transaction, with its on-commit callback registered once. The callback is looked
    up in the connection's queue: after a rollback (or a rolled-back savepoint that registered it) it is
    gone, and a new set starts."""
    connection = connections[using]
    held = getattr(connection, "_touched_clubs", None)
    if held is not None and any(func is held[1] for _sids, func, _robust in connection.run_on_commit):
        return held[0]
    found = set()

    def commit():
        connection._touched_clubs = None
        if found:
            for callback in _LISTENERS:
                callback(sorted(found), using)

    connection._touched_clubs = (found, commit)
    transaction.on_commit(commit, using=using)
    return found


def touch_ids(club_ids, using=DEFAULT_DB_ALIAS):
    ids = {i for i in club_ids if i is not None}
    if not ids:
        return
    if not connections[using].in_atomic_block:  # autocommit: the write is already committed
        for callback in _LISTENERS:
            callback(sorted(ids), using)
        return
    _pending(using).update(ids)


def touch(*objs, using=DEFAULT_DB_ALIAS):
    """After a write: the cached figures go stale on commit, and the clubs of the saved rows (any model
    declared in clubs/locks.py) are marked as written in this transaction."""
    cache.bump_on_commit()
    touch_ids((locks.club_of(obj) for obj in objs), using=using)
