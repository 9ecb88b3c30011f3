"""The figures of indicators.md as data: one `ClubFigures` row per active club, the `Indicators` of an
area. reporting.indicators fills the rows from the database; reporting/rollup.py adds them up into
an area's Indicators, so a province, a former district and a commune always add up.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from clubs.formatting import percent_1dp
from clubs.models import Track

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
