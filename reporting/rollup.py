"""How the club rows of an area add up to its Indicators (indicators.md §5): sums, counts by track,
communes with a club, shares taken last. A dashboard rolls the same rows up for the province, its
former districts and its communes, so the rows are first added up per (district, commune) pair of
codes (`club_cells`), once per page, and each area adds up its pairs.
"""
import collections
import itertools
import operator
from dataclasses import dataclass
from decimal import Decimal

from clubs.formatting import percent_1dp
from clubs.models import Area

from .figures import TRACKS, Indicators, period_start


# The Indicators that are one ClubFigures field summed over an area's clubs, and that field. The rest are
# counts by track, communes with a club, and shares taken last (_indicators).
_SUMS = {
    "members_active": "n", "women": "women", "older": "older", "poor_older": "poor_older",
    "older_women": "older_women", "outstanding_principal": "outstanding_principal",
    "par30_principal": "par30_principal", "loans_disbursed_count": "loans_disbursed_count",
    "loans_disbursed_amount": "loans_disbursed_amount", "members_joined": "members_joined",
    "clubs_composition_ok": "composition_ok", "clubs_funds_ok": "funds_ok", "clubs_areas_ok": "areas_ok",
    "clubs_borrowers_ok": "borrowers_ok", "clubs_well_run": "well_run", "clubs_meetings_ok": "meetings_ok",
    "clubs_standard": "standard_ok", "health_sessions": "health_sessions", "members_checked": "members_checked",
    "older_checked": "older_checked", "members_high": "members_high", "volunteers_active": "volunteers_active",
    "recipients_active": "recipients_active", "recipients_visited_ok": "recipients_visited_ok", "visits": "visits",
}
_SUMMED = tuple(_SUMS.values())
# ... and the four values an area groups, filters or counts its clubs by.
_ROLLED = _SUMMED + ("track", "founded_on", "commune_code", "has_health")
_ROLLED_VALUES = operator.attrgetter(*_ROLLED)


def _columns(clubs):
    """{field of _ROLLED: its values, club by club}, read and transposed in C."""
    columns = tuple(zip(*map(_ROLLED_VALUES, clubs))) or ((),) * len(_ROLLED)
    return dict(zip(_ROLLED, columns))


def _per_track(tracks, members, founded, *, start, as_of):
    """Clubs, members and clubs founded in [start, as_of] by track. Each dict lists every track of
    TRACKS (0 when it has no club) and then any other track in the order its first club comes, the
    order the tables print: a Counter keeps its keys in the order first met."""
    clubs_by_track = dict.fromkeys(TRACKS, 0)
    clubs_by_track.update(collections.Counter(tracks))
    founded_by_track = dict.fromkeys(clubs_by_track, 0)
    founded_by_track.update(collections.Counter(
        itertools.compress(tracks, [start <= founded_on <= as_of for founded_on in founded])))
    members_by_track = dict.fromkeys(clubs_by_track, 0)
    for track, n in zip(tracks, members):
        members_by_track[track] += n
    return clubs_by_track, members_by_track, founded_by_track


@dataclass(frozen=True)
class _Part:
    """What some club rows add up to, before any share is taken: the parts of disjoint sets of rows add
    up to the part of their union."""
    clubs_active: int
    total: dict  # {field of _SUMMED: sum}
    clubs_by_track: dict
    members_by_track: dict
    founded_by_track: dict
    communes: frozenset  # codes of the communes with a club
    communes_standard: frozenset  # ... with a club meeting the standard
    clubs_with_health: int


def _part(clubs, as_of):
    columns = _columns(clubs)
    clubs_by_track, members_by_track, founded_by_track = _per_track(
        columns["track"], columns["n"], columns["founded_on"], start=period_start(as_of), as_of=as_of)
    communes = columns["commune_code"]
    return _Part(
        clubs_active=len(clubs),
        total={name: sum(columns[name]) for name in _SUMMED},
        clubs_by_track=clubs_by_track,
        members_by_track=members_by_track,
        founded_by_track=founded_by_track,
        communes=frozenset(communes),
        communes_standard=frozenset(itertools.compress(communes, columns["standard_ok"])),
        clubs_with_health=sum(columns["has_health"]),
    )


def _added(parts):
    """The part of the union of the rows of `parts` (disjoint), or None when a part has a track outside
    TRACKS: such a track is listed in the order its first club comes, which sums do not keep."""
    if any(len(part.clubs_by_track) != len(TRACKS) for part in parts):
        return None
    return _Part(
        clubs_active=sum(part.clubs_active for part in parts),
        total={name: sum(part.total[name] for part in parts) for name in _SUMMED},
        clubs_by_track={t: sum(part.clubs_by_track[t] for part in parts) for t in TRACKS},
        members_by_track={t: sum(part.members_by_track[t] for part in parts) for t in TRACKS},
        founded_by_track={t: sum(part.founded_by_track[t] for part in parts) for t in TRACKS},
        communes=frozenset().union(*(part.communes for part in parts)),
        communes_standard=frozenset().union(*(part.communes_standard for part in parts)),
        clubs_with_health=sum(part.clubs_with_health for part in parts),
    )


# Per process: the part of each (date, cell) last added up, with the rows it was added up from. The kept
# rows (figure_rows.read) are the very same objects from one page to the next until a row is rewritten,
# so a page after a write adds up again only the cell of the club written (2 ms instead of 37 for the
# province at national scale); rows computed live are new objects, and their cells are added up afresh.
_CELL_PARTS = {}
_CELL_PARTS_KEPT = 4096


def club_cells(clubs, as_of):
    """{(district_code, commune_code): the part of the rows of that pair}: what rollup_areas adds up.
    A page rolling the same rows up for an area, its districts and its communes computes them once and
    hands them to each (indicators.compute and compute_breakdown take them as `cells`)."""
    by_cell = collections.defaultdict(list)
    for club in clubs:
        by_cell[club.district_code, club.commune_code].append(club)
    cells = {}
    for key, rows in by_cell.items():
        found = _CELL_PARTS.get((as_of, key))
        if found is not None and len(found[0]) == len(rows) and all(map(operator.is_, found[0], rows)):
            cells[key] = found[1]
            continue
        cells[key] = _part(rows, as_of)
        if len(_CELL_PARTS) >= _CELL_PARTS_KEPT:
            _CELL_PARTS.pop(next(iter(_CELL_PARTS)), None)
        _CELL_PARTS[as_of, key] = (tuple(rows), cells[key])
    return cells


def rollup_areas(clubs, *, as_of, areas, key=None, cells=None):
    """[rollup(...) of each (area, communes_total) of `areas`], the clubs of an area being the rows whose
    `key` ("district_code" or "commune_code") is the area's code, or all of them when key is None.
    Each area adds up the parts of its (district, commune) cells of the rows rather than rereading
    the rows; grouped by the rows' own codes, so no nesting of communes in districts is assumed."""
    if not isinstance(clubs, (tuple, list)):
        clubs = tuple(clubs)  # read twice below
    if cells is None:
        cells = club_cells(clubs, as_of)
    if key is None:
        rows_of, parts_of = {None: tuple(clubs)}, {None: list(cells.values())}
    else:
        position = {"district_code": 0, "commune_code": 1}[key]
        rows_of, parts_of = collections.defaultdict(list), collections.defaultdict(list)
        for club in clubs:
            rows_of[getattr(club, key)].append(club)
        for cell, part in cells.items():
            parts_of[cell[position]].append(part)
    out = []
    for area, communes_total in areas:
        code = None if key is None else area.code
        rows = tuple(rows_of.get(code, ()))
        part = _added(parts_of.get(code, ())) or _part(rows, as_of)
        out.append(_indicators(part, rows, as_of=as_of, area=area, communes_total=communes_total))
    return out


def _indicators(part, clubs, *, as_of, area, communes_total):
    total = part.total
    communes_with_club = len(part.communes)
    if communes_total is None:
        communes_total = 1 if area.level == Area.Level.COMMUNE else communes_with_club
    members, older, outstanding = total["n"], total["older"], total["outstanding_principal"]
    return Indicators(
        as_of=as_of,
        scope_code=area.code,
        scope_name=area.name,
        scope_level=area.level,
        **{name: total[summed] for name, summed in _SUMS.items()},
        clubs_active=part.clubs_active,
        clubs_active_by_track=part.clubs_by_track,
        clubs_founded=part.founded_by_track,
        members_by_track=part.members_by_track,
        women_pct=percent_1dp(total["women"], members),
        older_pct=percent_1dp(older, members),
        older_women_pct=percent_1dp(total["older_women"], older),
        par30=percent_1dp(total["par30_principal"], outstanding) if outstanding > 0 else Decimal("0.0"),
        communes_total=communes_total,
        communes_with_club=communes_with_club,
        communes_with_club_pct=percent_1dp(communes_with_club, communes_total),
        communes_standard=len(part.communes_standard),
        clubs_with_health=part.clubs_with_health,
        clubs=clubs,
    )
