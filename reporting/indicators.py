"""The plan indicators of shared/spec/indicators.md, computed for any area and reference date.

Everything starts from one row per active club (`ClubFigures`), built with a fixed number of
aggregate queries grouped by club whatever the number of clubs. Province, former-district and
commune figures are rolled up in Python from those same rows, so the tables always add up.

Decisions where the spec is silent (see also the report of issue 6):
- funds_ok counts ledger rows that still stand at D: reversal rows never count, and a row
  reversed by a reversal dated on or before D does not count either.
- borrowers: a loan is "not fully repaid before 1 January" when principal is still owed at the end
  of 31 December (repayments before 1 January summed, reversal rows with their negative amounts),
  or when a reversal dated in the period brings principal back (owed at the end of that day): the
  repayment that finally brings it to 0 is then dated in the period.
- par30: a loan is in arrears when due_on < D - 30 days, i.e. D - due_on >= 31 days; its
  outstanding principal at D is principal minus principal repaid on or before D, counted only
  when positive.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DataError, connection
from django.db.models import BitOr, Count, Exists, F, IntegerField, OuterRef, Q, Value

from clubs import checks
from clubs.formatting import percent_1dp
from clubs.models import Activity, Area, Club, Member, Track
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment

TRACKS = tuple(Track.values)  # existing, new_budget, new_rotation, other
AREA_NUMBERS = frozenset(range(1, 9))
OLDER_AGE = 60
CHECKS = ("size_ok", "women_ok", "older_ok", "composition_ok", "funds_ok", "areas_ok", "borrowers_ok", "well_run")


# ------------------------------------------------------------------ arithmetic


def pct(count, denominator):
    """100·count/denominator rounded half-up to one decimal, in integers; 0.0 when denominator is 0.
    The funds ledger's rule (club pages show PAR30 with it), so both round alike; counts are never
    negative."""
    return percent_1dp(count, denominator)


def target_met(count, target_percent, clubs_active):
    """A target in percent is met when 100·count ≥ target·clubs_active (indicators.md §5)."""
    return 100 * count >= target_percent * clubs_active


def period_start(as_of):
    return datetime.date(as_of.year, 1, 1)


def older_cutoff(as_of, age=OLDER_AGE):
    """Latest birth date of someone aged `age` or more at `as_of` (29 Feb falls back to 28 Feb)."""
    try:
        return as_of.replace(year=as_of.year - age)
    except ValueError:
        return as_of.replace(year=as_of.year - age, day=28)


def older_q(as_of, prefix="", age=OLDER_AGE):
    """Age at D ≥ `age`: from the birth date when known, else D.year − birth_year (indicators.md §1)."""
    return Q(**{f"{prefix}birth_date__lte": older_cutoff(as_of, age)}) | Q(
        **{f"{prefix}birth_date__isnull": True, f"{prefix}birth_year__lte": as_of.year - age}
    )


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
    regulation_on: datetime.date | None = None

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
            **self.checks,
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
    clubs: tuple = field(default=())

    @property
    def scope(self):
        return {"level": self.scope_level, "code": self.scope_code, "name": self.scope_name}

    def club_pct(self, count):
        """Share of active clubs, for targets such as "70% of clubs well run"."""
        return pct(count, self.clubs_active)

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
            "clubs": [club.to_json() for club in self.clubs],
        }


# ------------------------------------------------------------------ queries


def _club_scope(area, as_of, prefix):
    """Clubs active at D whose commune lies in `area`, reached from another model through `prefix`."""
    return (
        Q(**{f"{prefix}founded_on__lte": as_of})
        & (Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": as_of}))
        & area.club_filter(prefix)
    )


_NO_LOANS = {"disbursed_count": 0, "disbursed_amount": 0, "outstanding": 0, "par30": 0, "borrowers": 0, "years": ()}

# One pass over the loans of the clubs in scope, each joined to its own repayment sums. Django
# cannot join a grouped subquery, and the correlated forms it can write (a subquery per loan, or
# NOT IN over a grouped subquery) are orders of magnitude slower at 500,000 loans, so this one
# statement is written by hand. The clubs come as id lists from the clubs query of club_figures
# (ORM scope and active rule); the active-member rule is MemberQuerySet.active's, over those clubs.
# Shape, measured with EXPLAIN ANALYZE at 500,000 loans (docs/benchmarks.md): the repayment sums
# are one streaming GroupAggregate over the covering index (loan_id, paid_on) INCLUDE (principal),
# merge-joined to the loans in id order, in integer arithmetic (see _fetch_sums); one sort by club
# for the distinct borrowers. With year ends (the dashboard's loans chart) the same pass also sums
# principal repaid up to each of them.
# A loan at 0 on 31 December can be reopened by a reversal dated in the period (balances only rise
# on a negative row): it is then outstanding in the period, and was not "fully repaid before
# 1 January" as the register stands at D. The IN subquery finds those loans from their end-of-day
# balances (a handful of rows, from the partial index on reversal rows; hashed once).
LOANS_SQL = """
SELECT l.club_id,
       COUNT(*) FILTER (WHERE l.disbursed_on >= %(start)s),
       COALESCE(SUM(l.principal) FILTER (WHERE l.disbursed_on >= %(start)s), 0),
       COALESCE(SUM(l.principal - COALESCE(r.upto, 0)) FILTER (WHERE COALESCE(r.upto, 0) <> l.principal), 0),
       COALESCE(SUM(l.principal - COALESCE(r.upto, 0))
                FILTER (WHERE l.due_on < %(par)s AND COALESCE(r.upto, 0) < l.principal), 0),
       COUNT(DISTINCT l.member_id) FILTER (
           WHERE {member_active} AND (COALESCE(r.before, 0) < l.principal OR l.id IN (
               SELECT x.loan_id FROM (
                   SELECT loan_id, paid_on, SUM(principal) OVER (PARTITION BY loan_id ORDER BY paid_on) AS repaid
                   FROM {repayment}
                   WHERE paid_on <= %(d)s AND loan_id IN (
                       SELECT loan_id FROM {repayment} WHERE principal < 0 AND paid_on >= %(start)s AND paid_on <= %(d)s)
               ) x JOIN {loan} xl ON xl.id = x.loan_id
               WHERE x.paid_on >= %(start)s AND x.repaid < xl.principal)))
       {year_columns}
FROM {loan} l
LEFT JOIN (
    SELECT loan_id, {before} AS before, {upto} AS upto {year_sums}
    FROM {repayment} WHERE paid_on <= %(d)s GROUP BY loan_id
) r ON r.loan_id = l.id
{member_join}
WHERE l.disbursed_on <= %(d)s {club_filter}
GROUP BY l.club_id
"""
# Active members: joined on or before D, not left on or before D, in a club active at D in scope
# (MemberQuerySet.active over the ids of those clubs). Province-wide nearly every member is active,
# so the loans are checked against the few who are not: members of the clubs not in that list, or
# joined after D, or left on or before it (three index scans); in a smaller area against the active
# ones. Both say the same thing.
MEMBER_JOIN = {
    "inactive": (
        "LEFT JOIN (SELECT id FROM {member} WHERE club_id IN"
        " (SELECT id FROM {club} WHERE id <> ALL(%(active)s::bigint[]))"
        " UNION SELECT id FROM {member} WHERE joined_on > %(d)s"
        " UNION SELECT id FROM {member} WHERE left_on <= %(d)s) m ON m.id = l.member_id",
        "m.id IS NULL",
    ),
    "active": (
        "LEFT JOIN (SELECT id FROM {member} WHERE club_id = ANY(%(active)s::bigint[])"
        " AND joined_on <= %(d)s AND (left_on IS NULL OR left_on > %(d)s)) m ON m.id = l.member_id",
        "m.id IS NOT NULL",
    ),
}


def _loans_sql(area, past, params, repaid):
    """LOANS_SQL for `area` with the columns of the year ends `past` (their dates go into `params`);
    repaid(condition) is the per-loan sum of principal repaid under that condition."""
    year_columns, year_sums = [], []
    for i, end in enumerate(past):
        params[f"s{i}"], params[f"e{i}"] = datetime.date(end.year, 1, 1), end
        year_sums.append(f", {repaid(f'paid_on <= %(e{i})s')} AS u{i}")
        # Loans repaid in full by e add nothing; leaving them out of the sum saves most of its work.
        year_columns.append(
            f", COALESCE(SUM(l.principal) FILTER (WHERE l.disbursed_on >= %(s{i})s AND l.disbursed_on <= %(e{i})s), 0)"
            f", COALESCE(SUM(l.principal - COALESCE(r.u{i}, 0))"
            f" FILTER (WHERE l.disbursed_on <= %(e{i})s AND COALESCE(r.u{i}, 0) <> l.principal), 0)"
        )
    join, member_active = MEMBER_JOIN["inactive" if area.level == Area.Level.PROVINCE else "active"]
    tables = {
        "loan": Loan._meta.db_table,
        "repayment": Repayment._meta.db_table,
        "member": Member._meta.db_table,
        "club": Club._meta.db_table,
    }
    sql = LOANS_SQL.format(
        club_filter="" if area.level == Area.Level.PROVINCE else "AND l.club_id = ANY(%(clubs)s::bigint[])",
        member_active=member_active,
        member_join=join.format(**tables),
        year_columns="".join(year_columns),
        year_sums="".join(year_sums),
        before=repaid("paid_on < %(start)s"),
        upto=repaid(""),
        **tables,
    )
    return sql


def _loan_figures(area, as_of, *, clubs, active, ends=()):
    """{club id: money figures and borrowers} for the clubs with ids `clubs`. One query.

    Province-wide the loans are not filtered by club at all (every club lies in the province): rows
    of other clubs (founded after D) are simply not read by the caller. The planner then sees the
    true number of loans and keeps the serial merge join, rather than a parallel plan that repeats
    the repayment sums of every loan in each worker (measured slower on 2 CPUs).

    - loans disbursed in the period (count, amount);
    - outstanding: principal of loans disbursed on or before D minus principal repaid on or before D;
    - par30: the same for loans due more than 30 days before D that still owe principal at D;
    - borrowers: distinct active members (`active`: ids of the clubs active at D in scope) with a loan
      outstanding at some time in the period: disbursed on or before D, and either still owed at the
      end of 31 December (principal repaid before 1 January, reversal rows included with their negative
      amounts, less than its principal) or owed again at the end of a day of the period after a
      reversal dated in it;
    - years: for each date `e` of `ends` (each on or before D), (principal disbursed from 1 January of
      e's year to e, principal disbursed on or before e minus principal repaid on or before e).
    """
    start = period_start(as_of)
    params = {
        "start": start,
        "d": as_of,
        "par": as_of - datetime.timedelta(days=30),  # due strictly before it: more than 30 days late
        "clubs": list(clubs),
        "active": list(active),
    }
    past = [end for end in ends if end != as_of]  # D itself is the disbursed and outstanding columns
    rows = _fetch_sums(lambda repaid: _loans_sql(area, past, params, repaid), params)
    figures = {}
    for row in rows:
        money = {
            "disbursed_count": row[1],
            "disbursed_amount": int(row[2]),
            "outstanding": int(row[3]),
            "par30": int(row[4]),
            "borrowers": row[5],
        }
        years = iter((int(row[6 + 2 * i]), int(row[7 + 2 * i])) for i in range(len(past)))
        money["years"] = tuple(
            (money["disbursed_amount"], money["outstanding"]) if end == as_of else next(years) for end in ends
        )
        figures[row[0]] = money
    return figures


INT_MAX = 2**31 - 1


def _narrow_sum(condition):
    return f"SUM(principal::integer) FILTER (WHERE {condition})" if condition else "SUM(principal::integer)"


def _wide_sum(condition):
    return f"SUM(principal) FILTER (WHERE {condition})::bigint" if condition else "SUM(principal)::bigint"


# sum(bigint) keeps a 128-bit state per group and builds a numeric for each result: at 437,000 loans
# that is about 0.1 s of the loans query for the dashboard (EXPLAIN ANALYZE, docs/benchmarks.md).
# sum(integer) accumulates in a plain bigint. Every repayment amount fits in integer unless the
# partial index repayment_wide_principal lists one, so the narrow form is used when it is empty;
# otherwise (or if such a row arrives between the two statements) the exact bigint form is.
def _fetch_sums(build, params):
    """Rows of the statement build(repaid), in the narrow form when every amount fits."""
    narrow = not Repayment.objects.filter(Q(principal__gt=INT_MAX) | Q(principal__lt=-INT_MAX - 1)).exists()
    with connection.cursor() as cursor:
        if narrow:
            try:
                cursor.execute(build(_narrow_sum), params)
                return cursor.fetchall()
            except DataError:
                if connection.in_atomic_block:
                    raise
        cursor.execute(build(_wide_sum), params)
        return cursor.fetchall()


def _rows(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _dicts(queryset, names):
    return [dict(zip(names, row)) for row in _rows(queryset)]


def _band_aggregates(as_of):
    """Count(...) per age band (AGE_BANDS) and sex of active members, keyed b{i}_{gender}."""
    aggregates = {}
    for i, (low, high) in enumerate(AGE_BANDS):
        band = older_q(as_of, age=low) if low else Q()
        if high:
            band &= ~older_q(as_of, age=high)
        for gender in (Member.Gender.FEMALE, Member.Gender.MALE):
            aggregates[f"b{i}_{gender}"] = Count("id", filter=band & Q(gender=gender))
    return aggregates


def _bands(row):
    return [
        (age_band_label(band), row.get(f"b{i}_female") or 0, row.get(f"b{i}_male") or 0)
        for i, band in enumerate(AGE_BANDS)
    ]


def _club_figures(area, as_of, years=None):
    """(club rows, chart series or None). Six queries whatever the number of clubs.

    With `years`, the same queries also yield the chart series of the dashboard (see
    dashboard_figures) instead of three more passes over members, loans and repayments: the clubs
    query then also lists the clubs of the area dissolved on or before D (still active at an earlier
    year end), and the loans query sums per club and year end.
    """
    start = period_start(as_of)
    series = years is not None
    fields = (
        "id", "code", "name", "track", "founded_on", "dissolved_on", "regulation_on",
        "commune__code", "commune__name", "commune__parent__code", "commune__parent__name",
    )
    if series:
        # Every club founded on or before D; `is_active` is Club.objects.active's own rule.
        all_clubs = _dicts(
            Club.objects.in_area(area)
            .filter(founded_on__lte=as_of)
            .annotate(is_active=Exists(Club.objects.active(on=as_of).filter(pk=OuterRef("pk"))))
            .order_by("code")
            .values_list(*fields, "is_active"),
            (*fields, "is_active"),
        )
        clubs = [c for c in all_clubs if c["is_active"]]
    else:
        all_clubs = clubs = _dicts(
            Club.objects.active(on=as_of).in_area(area).order_by("code").values_list(*fields), fields
        )
    if not all_clubs:
        return (), (_empty_series(as_of, years) if series else None)

    member_aggregates = {
        "n": Count("id"),
        "women": Count("id", filter=Q(gender=Member.Gender.FEMALE)),
        "older": Count("id", filter=older_q(as_of)),
        "poor_older": Count(
            "id", filter=older_q(as_of) & Q(household__in=[Member.Household.POOR, Member.Household.NEAR_POOR])
        ),
    }
    if series:
        member_aggregates.update(_band_aggregates(as_of))
    # Plain tuples from the cursor: 6,000 rows of up to 16 counts, which the ORM would pass one by
    # one through its converters (about 30 ms at national scale for integers already).
    member_keys = list(member_aggregates)
    members = {
        row[0]: row[1:]
        for row in _rows(
            Member.objects.active(on=as_of)
            .filter(area.club_filter("club__"))
            .order_by()
            .values("club_id")
            .annotate(**member_aggregates)
            .values_list("club_id", *member_keys)
        )
    }
    no_members = (0,) * len(member_keys)

    # One row per club: the areas worked in during the period as a bit set (bit k for area k).
    areas_done = {
        club_id: frozenset(k for k in range(bits.bit_length()) if bits >> k & 1)
        for club_id, bits in _rows(
            Activity.objects.filter(_club_scope(area, as_of, "club__"), date__gte=start, date__lte=as_of)
            .order_by()
            .values("club_id")
            .annotate(bits=BitOr(Value(1, output_field=IntegerField()).bitleftshift(F("area"))))
            .values_list("club_id", "bits")
        )
    }

    # Ledger rows that still stand at D: not a reversal, and not reversed on or before D.
    funds = {
        row["club_id"]: row
        for row in FundEntry.objects.filter(
            _club_scope(area, as_of, "club__"),
            Q(reversed_by__isnull=True) | Q(reversed_by__date__gt=as_of),
            date__lte=as_of,
            reverses__isnull=True,
        )
        .order_by()
        .values("club_id")
        .annotate(
            income_in=Count("id", filter=Q(fund=Fund.INCOME, kind=EntryKind.IN)),
            activity_any=Count("id", filter=Q(fund=Fund.ACTIVITY)),
        )
    }

    ends = year_ends(as_of, years) if series else ()
    active_ids = [c["id"] for c in clubs]
    loans = _loan_figures(
        area, as_of, clubs=[c["id"] for c in all_clubs] if series else active_ids, active=active_ids,
        ends=sorted(set(ends)),
    )

    out = []
    for c in clubs:
        cid = c["id"]
        n, women, older, poor_older = members.get(cid, no_members)[:4]
        comp = checks.Composition(n=n, women=women, older=older)
        f = funds.get(cid, {})
        funds_ok = bool(
            n > 0
            and f.get("income_in", 0) > 0
            and f.get("activity_any", 0) > 0
            and c["regulation_on"] is not None
            and c["regulation_on"] <= as_of
        )
        done = areas_done.get(cid, frozenset())
        areas_ok = n > 0 and done >= AREA_NUMBERS
        ln = loans.get(cid, _NO_LOANS)
        nb = ln["borrowers"]
        b_ok = checks.borrowers_ok(nb, n)
        out.append(
            ClubFigures(
                code=c["code"],
                name=c["name"],
                commune_code=c["commune__code"],
                commune_name=c["commune__name"],
                district_code=c["commune__parent__code"] or "",
                district_name=c["commune__parent__name"] or "",
                track=c["track"],
                founded_on=c["founded_on"],
                regulation_on=c["regulation_on"],
                n=n,
                women=women,
                older=older,
                poor_older=poor_older,
                borrowers=nb,
                size_ok=comp.size_ok,
                women_ok=comp.women_ok,
                older_ok=comp.older_ok,
                composition_ok=comp.composition_ok,
                funds_ok=funds_ok,
                areas_ok=areas_ok,
                borrowers_ok=b_ok,
                well_run=areas_ok and b_ok,
                areas_done=done,
                loans_disbursed_count=ln["disbursed_count"],
                loans_disbursed_amount=ln["disbursed_amount"],
                outstanding_principal=ln["outstanding"],
                par30_principal=ln["par30"],
            )
        )
    if not series:
        return tuple(out), None

    # The chart series, from the same rows (see dashboard_figures).
    founded = {y: dict.fromkeys(TRACKS, 0) for y in years}
    for c in all_clubs:
        if c["founded_on"].year in founded:
            end = min(datetime.date(c["founded_on"].year, 12, 31), as_of)
            if c["dissolved_on"] is None or c["dissolved_on"] > end:
                founded[c["founded_on"].year][c["track"]] += 1
    band_totals = dict(zip(member_keys, map(sum, zip(no_members, *members.values()))))
    position = {end: i for i, end in enumerate(sorted(set(ends)))}
    totals = defaultdict(lambda: [0, 0])
    for c in all_clubs:
        year = loans.get(c["id"], _NO_LOANS)["years"]
        if year:
            for end, i in position.items():
                if c["founded_on"] <= end and (c["dissolved_on"] is None or c["dissolved_on"] > end):
                    totals[end][0] += year[i][0]
                    totals[end][1] += year[i][1]
    loan_series = [(end.year, *totals[end]) for end in ends]
    return tuple(out), {"founded": founded, "bands": _bands(band_totals), "loans": loan_series}


def _empty_series(as_of, years):
    return {
        "founded": {y: dict.fromkeys(TRACKS, 0) for y in years},
        "bands": _bands({}),
        "loans": [(end.year, 0, 0) for end in year_ends(as_of, years)],
    }


def club_figures(*, area, as_of):
    """One ClubFigures per club active at `as_of` in `area`, ordered by club code. Six queries (five
    aggregates and an empty-index check), whatever the number of clubs."""
    return _club_figures(area, as_of)[0]


def dashboard_figures(*, area, as_of, years):
    """Club rows and the dashboard's chart series for (area, D) in the queries of club_figures:

    - "rows": club_figures(area=area, as_of=D);
    - "founded": {year: {track: clubs}}, clubs_founded as the yearly report of each year gives it
      (clubs founded in the year and active at 31/12 of it, or at D for D's year);
    - "bands": [(age band label, women, men)] of the active members at D, age as in §1;
    - "loans": [(year, principal disbursed in the year, outstanding principal at 31/12 or D)] of the
      clubs active at each of those dates, as each yearly report computes them.

    reporting/tests/test_indicators.py checks the series against plain one-purpose queries."""
    rows, series = _club_figures(area, as_of, years=list(years))
    return {"rows": rows, **series}


def _per_track(clubs, value):
    out = dict.fromkeys(TRACKS, 0)
    for club in clubs:
        out[club.track] = out.get(club.track, 0) + value(club)
    return out


def rollup(clubs, *, as_of, area, communes_total=None):
    """Indicators for `area` from the club rows that lie in it."""
    clubs = tuple(clubs)
    start = period_start(as_of)
    members = sum(c.n for c in clubs)
    women = sum(c.women for c in clubs)
    older = sum(c.older for c in clubs)
    outstanding = sum(c.outstanding_principal for c in clubs)
    par_principal = sum(c.par30_principal for c in clubs)
    communes_with_club = len({c.commune_code for c in clubs})
    if communes_total is None:
        communes_total = 1 if area.level == Area.Level.COMMUNE else communes_with_club
    return Indicators(
        as_of=as_of,
        scope_code=area.code,
        scope_name=area.name,
        scope_level=area.level,
        clubs_active=len(clubs),
        clubs_active_by_track=_per_track(clubs, lambda c: 1),
        clubs_founded=_per_track(clubs, lambda c: int(start <= c.founded_on <= as_of)),
        members_active=members,
        members_by_track=_per_track(clubs, lambda c: c.n),
        women=women,
        older=older,
        women_pct=pct(women, members),
        older_pct=pct(older, members),
        poor_older=sum(c.poor_older for c in clubs),
        clubs_composition_ok=sum(c.composition_ok for c in clubs),
        clubs_funds_ok=sum(c.funds_ok for c in clubs),
        clubs_areas_ok=sum(c.areas_ok for c in clubs),
        clubs_borrowers_ok=sum(c.borrowers_ok for c in clubs),
        clubs_well_run=sum(c.well_run for c in clubs),
        loans_disbursed_count=sum(c.loans_disbursed_count for c in clubs),
        loans_disbursed_amount=sum(c.loans_disbursed_amount for c in clubs),
        outstanding_principal=outstanding,
        par30_principal=par_principal,
        par30=pct(par_principal, outstanding) if outstanding > 0 else Decimal("0.0"),
        communes_total=communes_total,
        communes_with_club=communes_with_club,
        communes_with_club_pct=pct(communes_with_club, communes_total),
        clubs=clubs,
    )


def _communes_in(area):
    qs = Area.objects.communes()
    if area.level == Area.Level.DISTRICT:
        qs = qs.filter(parent_id=area.pk)
    elif area.level == Area.Level.COMMUNE:
        qs = qs.filter(pk=area.pk)
    return qs


def compute(*, area, as_of, clubs=None):
    """Indicators of indicators.md §5 for the clubs active at `as_of` whose commune lies in `area`."""
    if clubs is None:
        clubs = club_figures(area=area, as_of=as_of)
    return rollup(clubs, as_of=as_of, area=area, communes_total=_communes_in(area).count())


def compute_breakdown(*, area, as_of, level="district", clubs=None):
    """One Indicators per child area of `area` at `level` ("district" or "commune"), ordered by code,
    every child listed even without clubs, all rolled up from the same club rows."""
    if clubs is None:
        clubs = club_figures(area=area, as_of=as_of)
    communes = list(_communes_in(area).select_related("parent").order_by("code"))
    if level == "commune":
        by_code = defaultdict(list)
        for club in clubs:
            by_code[club.commune_code].append(club)
        return [rollup(by_code.get(c.code, ()), as_of=as_of, area=c, communes_total=1) for c in communes]
    if level != "district":
        raise ValueError(level)
    districts = {}
    communes_per_district = defaultdict(int)
    for c in communes:
        if c.parent is not None:
            districts[c.parent.code] = c.parent
            communes_per_district[c.parent.code] += 1
    by_code = defaultdict(list)
    for club in clubs:
        by_code[club.district_code].append(club)
    return [
        rollup(by_code.get(code, ()), as_of=as_of, area=d, communes_total=communes_per_district[code])
        for code, d in sorted(districts.items())
    ]


def resolve_area(*, district=None, commune=None):
    """The province, a former district or a current commune by code (a 5-digit code needs its level)."""
    if district:
        return Area.objects.get(level=Area.Level.DISTRICT, code=district)
    if commune:
        return Area.objects.get(level=Area.Level.COMMUNE, code=commune)
    return Area.objects.get(level=Area.Level.PROVINCE)


# ------------------------------------------------------------------ chart series helpers

AGE_BANDS = ((0, 40), (40, 50), (50, 60), (60, 70), (70, 80), (80, None))


def age_band_label(band):
    low, high = band
    if low == 0:
        return f"<{high}"
    return f"{low}–{high - 1}" if high else f"≥{low}"


def year_ends(as_of, years):
    """31/12 of each year, the last one capped at D."""
    return [min(datetime.date(y, 12, 31), as_of) for y in years]


# ------------------------------------------------------------------ change stamp

def data_version():
    """A value that changes whenever a row the indicators read is written: every write path (forms,
    services, workbook import, admin, demo) records a history row, and raw bulk loads (the benchmark)
    at least add ids. Reads one index end per table. Used to cache figures safely."""
    models = (Club, Member, Activity, FundEntry, Loan, Repayment)
    parts = []
    for model in models:
        parts.append(f"(SELECT MAX(id) FROM {model._meta.db_table})")  # noqa: S608  table names from the models, no user input
        parts.append(f"(SELECT MAX(history_id) FROM {model.history.model._meta.db_table})")  # noqa: S608  table names from the models, no user input
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return "-".join(str(v or 0) for v in cursor.fetchone())
