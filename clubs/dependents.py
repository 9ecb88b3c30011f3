"""Rows dated within a club's life or a member's membership ("dated dependents"), of any app.

A club's founding date may not move after its first ledger line, loan, activity or meeting, nor its
dissolution before its last; a member's joining date may not move after their first loan. Clubs must
not import funds (dependencies point clubs ← funds), so each app declares its own dated rows here
once, in its AppConfig.ready(), and clubs loads them without knowing the models:

    dependents.register("club", DatedRows(FundEntry, owner="club", date="date", label=...))

`first()` and `last()` load, for many owners at once (the importer's batches) or for one (a form),
the earliest or latest such row of each owner: two queries per kind of row, whatever the number of
owners. The rules that compare dates to them live in clubs/rules.py (`dated_dependents_*`).
"""
from dataclasses import dataclass
from typing import Callable

from django.db import models
from django.db.models import Max, Min
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DatedRows:
    model: type[models.Model]
    owner: str  # lookup from the row to the owner's id: "club", "loan__club", "member", "attendees"
    date: str  # the row's date field
    label: Callable  # row -> text naming it, e.g. "khoản vay KV-2024-003"
    related: tuple = ()  # select_related() for what the label reads
    where: tuple = ()  # (lookup, value) pairs the rows must also match, e.g. (("removed", False),)


@dataclass(frozen=True)
class Dated:
    date: object
    label: str


_REGISTRY = {"club": [], "member": []}


def register(kind, rows):
    if rows not in _REGISTRY[kind]:
        _REGISTRY[kind].append(rows)


def first(kind, ids):
    """{owner id: Dated} the earliest dependent row of each owner that has one."""
    return _extreme(kind, ids, earliest=True)


def last(kind, ids):
    """{owner id: Dated} the latest dependent row of each owner that has one."""
    return _extreme(kind, ids, earliest=False)


def _extreme(kind, ids, *, earliest):
    ids = sorted({i for i in ids if i is not None})
    found = {}
    for start in range(0, len(ids), CHUNK):
        _extreme_chunk(kind, ids[start:start + CHUNK], earliest, found)
    return found


CHUNK = 900  # ids per query: well under SQLite's limit on query parameters


def _extreme_chunk(kind, ids, earliest, found):
    for spec in _REGISTRY[kind]:
        rows = spec.model.objects.filter(**{f"{spec.owner}__in": ids}, **dict(spec.where))
        bounds = dict(rows.order_by().values(spec.owner).annotate(
            day=(Min if earliest else Max)(spec.date)).values_list(spec.owner, "day"))
        # The rows on those days, oldest first so a tie is named by the row entered first.
        candidates = rows.filter(**{f"{spec.date}__in": set(bounds.values())}).annotate(
            _owner=models.F(spec.owner), _day=models.F(spec.date)).order_by("pk")
        if spec.related:
            candidates = candidates.select_related(*spec.related)
        for row in candidates:
            day = row._day  # spec.date may span a relation ("session__date")
            if bounds.get(row._owner) != day:
                continue
            best = found.get(row._owner)
            if best is None or (day < best.date if earliest else day > best.date):
                found[row._owner] = Dated(day, str(spec.label(row)))
            bounds[row._owner] = None  # one row per owner and kind is enough


def register_clubs_rows():
    """The clubs app's own dated rows (ClubsConfig.ready). Members joining are a rule of their own
    (rules.club_dates' first_joined), since the importer also weighs the members of the same file."""
    from .models import Activity, BoardMembership, Meeting

    register("club", DatedRows(Activity, owner="club", date="date",
                               label=lambda a: _("hoạt động “%(content)s”") % {"content": a.content[:60]}))
    register("club", DatedRows(Meeting, owner="club", date="held_on", label=lambda m: _("buổi sinh hoạt")))
    register("member", DatedRows(BoardMembership, owner="member", date="started_on",
                                 label=lambda b: _("nhiệm vụ %(role)s") % {"role": b.get_role_display()}))
    register("member", DatedRows(Meeting, owner="attendees", date="held_on",
                                 label=lambda m: _("buổi sinh hoạt có mặt")))
