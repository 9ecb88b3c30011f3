"""What the two busiest pages read, the club list and a club's page, as plain values from SQL compiled
once per process (clubs.compiled): building and compiling their annotated queries took longer than the
database took to run them. The rules stay in the QuerySet methods these queries call."""
import datetime
from collections import defaultdict
from functools import partial
from typing import NamedTuple

from django.db import router
from django.db.models import Case, Count, Exists, OuterRef, Q, When

from . import compiled, page_cache
from .models import Activity, ActivityArea, BoardMembership, Club, Meeting, Track

ROLE_ORDER = Case(*[When(role=role, then=i) for i, role in enumerate(BoardMembership.Role.values)])


def _label(choices, value):
    """As get_FOO_display: the value's label, an unknown value as it is."""
    return dict(choices).get(value, value)


class ListedClub(NamedTuple):
    """A row of the club list: what it shows of a club, in the order of ClubQuerySet.listed's columns."""

    code: str
    name: str
    dissolved_on: datetime.date | None
    commune: str
    district: str
    track: str
    founded_on: datetime.date
    n: int
    women: int
    older: int
    areas_done: int

    @property
    def track_label(self):
        return _label(Track.choices, self.track)


class Seat(NamedTuple):
    role: str
    full_name: str
    started_on: datetime.date

    @property
    def role_label(self):
        return _label(BoardMembership.Role.choices, self.role)


class RotatedClub(NamedTuple):
    code: str
    name: str
    founded_on: datetime.date
    visible: bool


class RecentMeeting(NamedTuple):
    pk: int
    held_on: datetime.date
    present: int


def _listed_queries(on, ids):
    return {"rows": Club.objects.filter(pk__in=ids).listed(on=on)}


def listed(on, ids):
    """The club list's rows (ListedClub's columns) of the clubs `ids`, in code order."""
    return compiled.rows_for_ids(("clubs.page_rows.listed", on), partial(_listed_queries, on), ids,
                                 alias=router.db_for_read(Club), converted=True)["rows"]


def _overview_queries(on, user, ids):
    activities = Activity.objects.filter(club__in=ids)
    # Rotation may cross districts: the other club is named, and linked only if this user may open it.
    visible = Exists(Club.objects.visible_to(user).filter(pk=OuterRef("pk")))
    return {
        "counts": Club.objects.filter(pk__in=ids).with_composition(on=on).values_list("n", "women", "older"),
        "areas": activities.counted_at(on).values_list("area").distinct().order_by(),
        "calendar": activities.by_month_and_area(on.year),
        "board": (BoardMembership.objects.filter(club__in=ids, started_on__lte=on)
                  .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
                  .order_by(ROLE_ORDER, "started_on").values_list("role", "member__full_name", "started_on")),
        "rotated": (Club.objects.filter(source_club__in=ids).annotate(visible=visible).order_by("code")
                    .values_list("code", "name", "founded_on", "visible")),
        "meetings": (Meeting.objects.filter(club__in=ids).order_by("-held_on").annotate(present=Count("attendees"))
                     .values_list("pk", "held_on", "present")[:6]),
        "source": (Club.objects.filter(rotated_clubs__in=ids).annotate(visible=visible)
                   .values_list("code", "name", "founded_on", "visible")),
    }


def overview(on, user, club):
    """{name: rows} of what a club's page shows of `club` at `on` for `user`: its counts, the areas done,
    the calendar, the board, the clubs of its rotation and its last six meetings. One shape per date and
    scope (which decides the rotation links)."""
    return compiled.rows_for_ids(("clubs.page_rows.overview", on, page_cache.scope(user)),
                                 partial(_overview_queries, on, user), [club.pk],
                                 alias=router.db_for_read(Club), converted=True)


def calendar_grid(rows):
    """The year's months, each with its count per area, from (month, area, count) rows."""
    grid = defaultdict(dict)
    for month, area, c in rows:
        grid[month][area] = c
    return [
        {"month": m, "cells": [(area, grid[m].get(area.value, 0)) for area in ActivityArea], "done": len(grid[m])}
        for m in range(1, 13)
    ]
