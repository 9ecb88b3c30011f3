"""The clubs a transaction wrote to, handed once to the listeners after it commits (issue 16).

Every write path calls `touch(*rows)` once after saving: clubs.services.save_checked (the services of
clubs and funds), the workbook import's write. It is the one after-write hook: it bumps the figures'
generation on commit (clubs/cache.py), finds each row's club from the registry of dated rows in
clubs/locks.py (each row of the figures is declared there once), collects the ids per transaction, and
on commit calls each listener once with all of them: reporting recomputes the figures of those clubs
only (reporting/figure_rows.py), and clubs draws those clubs' page stamps (clubs/cache.py). A
rolled-back write calls nobody. Listeners must only hand the ids on (enqueue a task, write a stamp):
the work itself is no signal's business. (The check before the write,
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


class _Written:
    """What one transaction wrote: its clubs, and whether any row belonged to no club."""

    def __init__(self):
        self.clubs, self.wide = set(), False


def _after_commit(written, using):
    """The listeners (clubs' page stamps among them), then the generation. In that order: a page read
    between the two would otherwise find its old body under the old stamps and keep it under the new
    generation (clubs/page_cache.py)."""
    if written.clubs:
        for callback in _LISTENERS:
            callback(sorted(written.clubs), using)
    cache.bump(using, wide=written.wide)


def _pending(using):
    """What this transaction wrote so far, with its on-commit callback registered once. The callback is
    looked up in the connection's queue: after a rollback (or a rolled-back savepoint that registered
    it) it is gone, and a new record starts."""
    connection = connections[using]
    held = getattr(connection, "_touched_clubs", None)
    if held is not None and any(func is held[1] for _sids, func, _robust in connection.run_on_commit):
        return held[0]
    written = _Written()

    def commit():
        connection._touched_clubs = None
        _after_commit(written, using)

    connection._touched_clubs = (written, commit)
    transaction.on_commit(commit, using=using)
    return written


def _touched(club_ids, *, wide, using):
    committed = not connections[using].in_atomic_block  # autocommit: the write is already committed
    written = _Written() if committed else _pending(using)
    written.clubs.update(i for i in club_ids if i is not None)
    written.wide = written.wide or wide
    if committed:
        _after_commit(written, using)


def touch(*objs, using=DEFAULT_DB_ALIAS):
    """After a write: the clubs of the saved rows (any model declared in clubs/locks.py) are marked as
    written in this transaction, and the cached figures and pages go stale on commit. A row of no club
    (or of none declared) may show on any page: it moves the wide generation too."""
    clubs = [locks.club_of(obj) for obj in objs]
    _touched(clubs, wide=not clubs or None in clubs, using=using)
