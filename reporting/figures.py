"""The figures of indicators.md as data: one `ClubFigures` row per active club, the `Indicators` of an
area, and how the club rows of an area add up to it (`rollup`). reporting.indicators fills the rows
from the database; everything here is arithmetic on them, so a province, a former district and a
commune always add up.
"""
import collections
import datetime
import functools
import itertools
import operator
import types
from dataclasses import dataclass, field
from decimal import Decimal

from clubs.formatting import percent_1dp
from clubs.models import Area, Track

TRACKS = tuple(Track.values)  # existing, new_budget, new_rotation, other
AREA_NUMBERS = frozenset(range(1, 9))
CHECKS = ("size_ok", "women_ok", "older_ok", "composition_ok", "funds_ok", "areas_ok", "borrowers_ok", "well_run",
          "meetings_ok", "standard_ok")


# ------------------------------------------------------------------ arithmetic


def target_met(count, target_percent, clubs_active):
    """A target in percent is met when 100·count ≥ target·clubs_active (indicators.md §5)."""
    return 100 * count >= target_percent * clubs_active


def period_start(as_of):
    return datetime.date(as_of.year, 1, 1)


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class ClubFigures:
    code: str
    name: str
    commune_code: str
    commune_name: str
    district_code: str
    district_name: str
    track: str
    founded_on: datetime.date
    n: int
    women: int
    older: int
    poor_older: int
    borrowers: int
    size_ok: bool
    women_ok: bool
    older_ok: bool
    composition_ok: bool
    funds_ok: bool
    areas_ok: bool
    borrowers_ok: bool
    well_run: bool
    areas_done: frozenset
    loans_disbursed_count: int
    loans_disbursed_amount: int
    outstanding_principal: int
    par30_principal: int
    older_women: int = 0
    members_joined: int = 0
    months_met: frozenset = frozenset()
    required_months: int = 0
    meetings_ok: bool = False
    standard_ok: bool = False
    regulation_on: datetime.date | None = None
    # docs/indicators-care.md §1
    health_sessions: int = 0
    members_checked: int = 0
    older_checked: int = 0
    members_high: int = 0
    # docs/indicators-care.md §2
    volunteers_active: int = 0
    recipients_active: int = 0
    recipients_visited_ok: int = 0
    visits: int = 0

    @functools.cached_property
    def _rollup_values(self):
        """What `rollup` reads of this row (_ROLLED), read once and kept: a dashboard rolls the same
        rows up for the province, again for its districts and again for its communes, and reading some
        thirty attributes of 6,000 rows is most of what a rollup costs. The row is frozen, so the tuple
        never goes stale (dataclasses.replace makes a new row, without it)."""
        return _ROLLED_VALUES(self)

    @property
    def has_health(self):
        """Counted in clubs_with_health (docs/indicators-care.md §1)."""
        return self.health_sessions >= 1

    @property
    def members_checked_pct(self):
        return percent_1dp(self.members_checked, self.n)

    @property
    def older_checked_pct(self):
        return percent_1dp(self.older_checked, self.older)

    @property
    def recipients_visited_pct(self):
        return percent_1dp(self.recipients_visited_ok, self.recipients_active)

    @property
    def checks(self):
        return {name: getattr(self, name) for name in CHECKS}

    def to_json(self):
        return {
            "code": self.code,
            "n": self.n,
            "women": self.women,
            "older": self.older,
            "borrowers": self.borrowers,
            "required_months": self.required_months,
            **self.checks,
            "care": care_json(self, members=self.n, older=self.older),
        }


def care_json(figures, *, members, older, **extra):
    """The `care` object of docs/indicators-care.md §1 and §2, for a club row or an area."""
    return {
        "health_sessions": figures.health_sessions,
        **extra,
        "members_checked": figures.members_checked,
        "members_checked_pct": float(percent_1dp(figures.members_checked, members)),
        "older_checked": figures.older_checked,
        "older_checked_pct": float(percent_1dp(figures.older_checked, older)),
        "members_high": figures.members_high,
        "volunteers_active": figures.volunteers_active,
        "recipients_active": figures.recipients_active,
        "recipients_visited_ok": figures.recipients_visited_ok,
        "recipients_visited_pct": float(figures.recipients_visited_pct),
        "visits": figures.visits,
    }


@dataclass(frozen=True)
class Indicators:
    as_of: datetime.date
    scope_code: str
    scope_name: str
    scope_level: str
    clubs_active: int
    clubs_active_by_track: dict
    clubs_founded: dict
    members_active: int
    members_by_track: dict
    women: int
    older: int
    women_pct: Decimal
    older_pct: Decimal
    poor_older: int
    clubs_composition_ok: int
    clubs_funds_ok: int
    clubs_areas_ok: int
    clubs_borrowers_ok: int
    clubs_well_run: int
    loans_disbursed_count: int
    loans_disbursed_amount: int
    outstanding_principal: int
    par30_principal: int
    par30: Decimal
    communes_total: int
    communes_with_club: int
    communes_with_club_pct: Decimal
    clubs_meetings_ok: int = 0
    clubs_standard: int = 0
    communes_standard: int = 0
    members_joined: int = 0
    older_women: int = 0
    older_women_pct: Decimal = Decimal("0.0")
    # docs/indicators-care.md §1
    health_sessions: int = 0
    clubs_with_health: int = 0
    members_checked: int = 0
    older_checked: int = 0
    members_high: int = 0
    # docs/indicators-care.md §2
    volunteers_active: int = 0
    recipients_active: int = 0
    recipients_visited_ok: int = 0
    visits: int = 0
    clubs: tuple = field(default=())

    @property
    def recipients_visited_pct(self):
        return percent_1dp(self.recipients_visited_ok, self.recipients_active)

    @property
    def members_checked_pct(self):
        return percent_1dp(self.members_checked, self.members_active)

    @property
    def older_checked_pct(self):
        return percent_1dp(self.older_checked, self.older)

    @property
    def communes_standard_pct(self):
        return percent_1dp(self.communes_standard, self.communes_total)

    @property
    def scope(self):
        return {"level": self.scope_level, "code": self.scope_code, "name": self.scope_name}

    def club_pct(self, count):
        """Share of active clubs, for targets such as "70% of clubs well run"."""
        return percent_1dp(count, self.clubs_active)

    def value(self, key, track=""):
        """The figure a plan target of `key` (and track) is compared with."""
        if key in ("clubs_active_by_track", "clubs_founded", "members_by_track"):
            per_track = getattr(self, key)
            return per_track[track] if track else sum(per_track.values())
        if key == "loans_disbursed":
            return self.loans_disbursed_amount
        return getattr(self, key)

    def to_json(self):
        """The object of indicators.md §6 (plain JSON types; percentages as one-decimal numbers)."""
        return {
            "as_of": self.as_of.isoformat(),
            "scope": self.scope,
            "clubs_active": self.clubs_active,
            "clubs_active_by_track": dict(self.clubs_active_by_track),
            "clubs_founded": dict(self.clubs_founded),
            "members_active": self.members_active,
            "members_by_track": dict(self.members_by_track),
            "women_pct": float(self.women_pct),
            "older_pct": float(self.older_pct),
            "poor_older": self.poor_older,
            "clubs_composition_ok": self.clubs_composition_ok,
            "clubs_funds_ok": self.clubs_funds_ok,
            "clubs_areas_ok": self.clubs_areas_ok,
            "clubs_borrowers_ok": self.clubs_borrowers_ok,
            "clubs_well_run": self.clubs_well_run,
            "loans_disbursed": {"count": self.loans_disbursed_count, "amount": self.loans_disbursed_amount},
            "outstanding_principal": self.outstanding_principal,
            "par30": float(self.par30),
            "clubs_meetings_ok": self.clubs_meetings_ok,
            "clubs_standard": self.clubs_standard,
            "communes_total": self.communes_total,
            "communes_covered": self.communes_with_club,  # §8's key for the figure
            "communes_standard": self.communes_standard,
            "members_joined": self.members_joined,
            "older_women_pct": float(self.older_women_pct),
            "care": care_json(self, members=self.members_active, older=self.older,
                              clubs_with_health=self.clubs_with_health),
            "clubs": [club.to_json() for club in self.clubs],
        }


# The figures an area adds up from its clubs, summed column by column, and the four values it groups,
# filters or counts its clubs by.
_SUMMED = ("n", "women", "older", "outstanding_principal", "par30_principal", "older_women", "poor_older",
           "composition_ok", "funds_ok", "areas_ok", "borrowers_ok", "well_run", "loans_disbursed_count",
           "loans_disbursed_amount", "meetings_ok", "standard_ok", "members_joined", "health_sessions",
           "members_checked", "older_checked", "members_high", "volunteers_active", "recipients_active",
           "recipients_visited_ok", "visits")
_ROLLED = _SUMMED + ("track", "founded_on", "commune_code", "has_health")
_ROLLED_VALUES = operator.attrgetter(*_ROLLED)
_ROLLUP_VALUES = operator.attrgetter("_rollup_values")


def _columns(clubs):
    """{field of _ROLLED: its values, club by club}, transposed in C from each row's kept tuple."""
    columns = tuple(zip(*map(_ROLLUP_VALUES, clubs))) or ((),) * len(_ROLLED)
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


def club_cells(clubs, as_of):
    """{(district_code, commune_code): the part of the rows of that pair}: what rollup_areas adds up.
    A page rolling the same rows up for an area, its districts and its communes computes them once and
    hands them to each (indicators.compute and compute_breakdown take them as `cells`)."""
    by_cell = collections.defaultdict(list)
    for club in clubs:
        by_cell[club.district_code, club.commune_code].append(club)
    return {key: _part(cell, as_of) for key, cell in by_cell.items()}


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


def rollup(clubs, *, as_of, area, communes_total=None):
    """Indicators for `area` from the club rows that lie in it."""
    clubs = tuple(clubs)
    return _indicators(_part(clubs, as_of), clubs, as_of=as_of, area=area, communes_total=communes_total)


def _indicators(part, clubs, *, as_of, area, communes_total):
    total = types.SimpleNamespace(**part.total)
    members = total.n
    women = total.women
    older = total.older
    outstanding = total.outstanding_principal
    par_principal = total.par30_principal
    communes_with_club = len(part.communes)
    older_women = total.older_women
    if communes_total is None:
        communes_total = 1 if area.level == Area.Level.COMMUNE else communes_with_club
    return Indicators(
        as_of=as_of,
        scope_code=area.code,
        scope_name=area.name,
        scope_level=area.level,
        clubs_active=part.clubs_active,
        clubs_active_by_track=part.clubs_by_track,
        clubs_founded=part.founded_by_track,
        members_active=members,
        members_by_track=part.members_by_track,
        women=women,
        older=older,
        women_pct=percent_1dp(women, members),
        older_pct=percent_1dp(older, members),
        poor_older=total.poor_older,
        clubs_composition_ok=total.composition_ok,
        clubs_funds_ok=total.funds_ok,
        clubs_areas_ok=total.areas_ok,
        clubs_borrowers_ok=total.borrowers_ok,
        clubs_well_run=total.well_run,
        loans_disbursed_count=total.loans_disbursed_count,
        loans_disbursed_amount=total.loans_disbursed_amount,
        outstanding_principal=outstanding,
        par30_principal=par_principal,
        par30=percent_1dp(par_principal, outstanding) if outstanding > 0 else Decimal("0.0"),
        communes_total=communes_total,
        communes_with_club=communes_with_club,
        communes_with_club_pct=percent_1dp(communes_with_club, communes_total),
        clubs_meetings_ok=total.meetings_ok,
        clubs_standard=total.standard_ok,
        communes_standard=len(part.communes_standard),
        members_joined=total.members_joined,
        older_women=older_women,
        older_women_pct=percent_1dp(older_women, older),
        health_sessions=total.health_sessions,
        clubs_with_health=part.clubs_with_health,
        members_checked=total.members_checked,
        older_checked=total.older_checked,
        members_high=total.members_high,
        volunteers_active=total.volunteers_active,
        recipients_active=total.recipients_active,
        recipients_visited_ok=total.recipients_visited_ok,
        visits=total.visits,
        clubs=clubs,
    )
