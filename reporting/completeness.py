"""Monthly completeness (issue 15): which clubs have entered their month's books and been marked
"đã báo cáo". Pure reads returning dataclasses, a fixed number of queries whatever the number of clubs;
a club is due for a month by clubs.checks.month_due, the one rule the marking service also applies."""
import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from care.models import HealthSession
from clubs import checks
from clubs.collation import vi_key
from clubs.formatting import format_percent, percent_1dp
from clubs.models import Activity, Meeting, MonthReport
from funds.models import FundEntry, Loan, Repayment

# A cell of a club's year: reported; due and not reported once the month is over (late) or while it runs
# (open); not due (before founding, after dissolution); not begun yet.
REPORTED, LATE, OPEN, NOT_DUE, FUTURE = "reported", "late", "open", "not_due", "future"


@dataclass(frozen=True)
class ClubMonth:
    club_id: int
    code: str
    name: str
    commune: str
    commune_code: str
    district: str
    district_code: str
    activities: int = 0
    areas: int = 0
    meetings: int = 0
    fund_movements: int = 0
    health_sessions: int = 0
    reported: bool = False
    marked_by: str = ""
    marked_at: datetime.datetime | None = None

    @property
    def entered(self):
        """The books the mark stands for: the activity sheet, the meeting and the fund movements."""
        return bool(self.activities and self.meetings and self.fund_movements)


@dataclass(frozen=True)
class Share:
    name: str
    code: str
    due: int
    reported: int

    @property
    def pct(self):
        return format_percent(percent_1dp(self.reported, self.due))

    @property
    def late(self):
        return self.due - self.reported


@dataclass(frozen=True)
class MonthCompleteness:
    year: int
    month: int
    ended: bool  # the month is over: a club not marked is late
    rows: list = field(default_factory=list)  # ClubMonth, clubs due that month, by code
    by_district: list = field(default_factory=list)  # Share
    by_commune: list = field(default_factory=list)

    @property
    def total(self):
        return Share("", "", len(self.rows), sum(r.reported for r in self.rows))

    @property
    def late_districts(self):
        return [s for s in self.by_district if s.late] if self.ended else []


def _clubs(clubs):
    return list(clubs.order_by("code").values(
        "pk", "code", "name", "founded_on", "dissolved_on", "commune__name", "commune__code",
        "commune__parent__name", "commune__parent__code"))


def _due(club, year, month):
    return checks.month_due(founded_on=club["founded_on"], dissolved_on=club["dissolved_on"], year=year, month=month)


def _counts(model, clubs, date_field, first, last, club_field="club", **extra):
    rows = (model.objects.filter(**{f"{club_field}__in": clubs, f"{date_field}__gte": first,
                                    f"{date_field}__lte": last})
            .values(club_field).annotate(n=Count("pk"), **extra).order_by())
    return {row[club_field]: row for row in rows}


def _shares(rows, key, code):
    groups = defaultdict(lambda: [0, 0])
    for row in rows:
        group = groups[(getattr(row, key), getattr(row, code))]
        group[0] += 1
        group[1] += row.reported
    return [Share(name, c, due, reported)
            for (name, c), (due, reported) in sorted(groups.items(), key=lambda item: vi_key(item[0][0]))]


def month_completeness(clubs, *, year, month, today):
    """The clubs of `clubs` (a Club queryset, already scoped) due in that month, with what is entered."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    due = [c for c in _clubs(clubs) if _due(c, year, month)]
    ids = [c["pk"] for c in due]
    activities = _counts(Activity, ids, "date", first, last, areas=Count("area", distinct=True))
    meetings = _counts(Meeting, ids, "held_on", first, last)
    entries = _counts(FundEntry, ids, "date", first, last)
    loans = _counts(Loan, ids, "disbursed_on", first, last)
    repayments = _counts(Repayment, ids, "paid_on", first, last, club_field="loan__club")
    health = _counts(HealthSession, ids, "date", first, last)
    marks = {m.club_id: m for m in MonthReport.objects.filter(club__in=ids, year=year, month=month, reported=True)
             .select_related("marked_by")}
    rows = []
    for c in due:
        pk, mark = c["pk"], marks.get(c["pk"])
        rows.append(ClubMonth(
            club_id=pk, code=c["code"], name=c["name"], commune=c["commune__name"], commune_code=c["commune__code"],
            district=c["commune__parent__name"] or "", district_code=c["commune__parent__code"] or "",
            activities=activities.get(pk, {}).get("n", 0), areas=activities.get(pk, {}).get("areas", 0),
            meetings=meetings.get(pk, {}).get("n", 0),
            fund_movements=sum(found.get(pk, {}).get("n", 0) for found in (entries, loans, repayments)),
            health_sessions=health.get(pk, {}).get("n", 0),
            reported=mark is not None,
            marked_by=(mark.marked_by.get_full_name() or mark.marked_by.username) if mark and mark.marked_by else "",
            marked_at=mark.marked_at if mark else None,
        ))
    return MonthCompleteness(
        year=year, month=month, ended=last < today, rows=rows,
        by_district=_shares(rows, "district", "district_code"),
        by_commune=_shares(rows, "commune", "commune_code"),
    )


@dataclass(frozen=True)
class ClubYear:
    code: str
    name: str
    commune: str
    cells: tuple  # (month, state) for months 1-12

    @property
    def reported(self):
        return sum(state == REPORTED for _m, state in self.cells)

    @property
    def due(self):
        return sum(state in (REPORTED, LATE, OPEN) for _m, state in self.cells)


def year_grid(clubs, *, year, today):
    """Every club of `clubs` active in some month of the year, with the state of each month: two queries."""
    marked = defaultdict(set)
    for club_id, month in MonthReport.objects.filter(club__in=clubs, year=year, reported=True).values_list(
            "club_id", "month"):
        marked[club_id].add(month)
    grid = []
    for c in _clubs(clubs):
        cells = []
        for month in range(1, 13):
            first = datetime.date(year, month, 1)
            last = datetime.date(year, month, calendar.monthrange(year, month)[1])
            if first > today:
                state = FUTURE
            elif not _due(c, year, month):
                state = NOT_DUE
            elif month in marked[c["pk"]]:
                state = REPORTED
            else:
                state = LATE if last < today else OPEN
            cells.append((month, state))
        if any(_due(c, year, m) for m in range(1, 13)):
            grid.append(ClubYear(c["code"], c["name"], c["commune__name"], tuple(cells)))
    return grid
