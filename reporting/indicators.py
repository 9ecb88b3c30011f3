"""The plan indicators of shared/spec/indicators.md, computed for any area and reference date.

Everything starts from one row per active club (`ClubFigures`), built with a fixed number of
aggregate queries grouped by club whatever the number of clubs. Province, former-district and
commune figures are rolled up in Python from those same rows (reporting.figures), so the tables
always add up.

Decisions where the spec is silent (see also the report of issue 6):
- funds_ok counts ledger rows that still stand at D: reversal rows never count, and a row
  reversed by a reversal dated on or before D does not count either.
- borrowers (LoanQuerySet.borrowers in funds, the rule the statements use too): a loan is "not
  fully repaid before 1 January" when principal is still owed at the end
  of 31 December (repayments before 1 January summed, reversal rows with their negative amounts),
  or when a reversal dated in the period brings principal back (owed at the end of that day): the
  repayment that finally brings it to 0 is then dated in the period.
- par30: a loan is in arrears when due_on < D - 30 days, i.e. D - due_on >= 31 days; its
  outstanding principal at D is principal minus principal repaid on or before D, never negative
  (repaid principal never exceeds a loan's principal at any date), so a repaid loan adds 0 and
  per-club sums of loans and of repayments give the figure (funds.ledger.loan_sums).
"""
import datetime
from collections import defaultdict

from django.db.models import BitOr, Count, Exists, F, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Cast, ExtractMonth

from clubs import checks
from clubs.models import Activity, Area, Club, Meeting, Member, older_q
from funds.models import EntryKind, Fund, FundEntry

from .club_aggregates import (
    NO_HEALTH, NO_HOMECARE, NO_LOANS, club_scope, health_figures, health_query, homecare_figures, homecare_queries,
    loan_figures, loan_query, run,
)
from .figures import AREA_NUMBERS, TRACKS, ClubFigures, period_start
from .rollup import rollup_areas

# Meetings share the activities' bit-set query: month m of the period is bit MONTH_BIT + m, above
# the activity areas' bits 1-8.
MONTH_BIT = 16


# ------------------------------------------------------------------ queries


def _joined_since(start):
    """§8 members_joined among the active members a query reads: joined on or after `start`."""
    return Q(joined_on__gte=start)


def members_joined_since(area, since, as_of, track=""):
    """members_joined (§8) of `area` counted from `since` instead of 1 January of D's year: the
    cumulative targets of §9, which count from 1 January of the plan's start year. One query."""
    return members_joined_counts(area, as_of, [(since, as_of)], track)[0]


def members_joined_counts(area, as_of, spans, track=""):
    """For each (first, last) of `spans`: the members active at D (§8) who joined from `first` to
    `last`. One aggregate query whatever the number of spans."""
    if not spans:
        return []
    members = Member.objects.active(on=as_of).filter(club_scope(area, as_of, "club__"))
    if track:
        members = members.filter(club__track=track)
    counts = members.aggregate(**{
        f"s{i}": Count("pk", filter=_joined_since(first) & Q(joined_on__lte=last))
        for i, (first, last) in enumerate(spans)
    })
    return [counts[f"s{i}"] for i in range(len(spans))]


def _band_aggregates(as_of):
    """Count(...) per age band (AGE_BANDS) and sex of active members, keyed b{i}_{gender} (BAND_KEYS)."""
    aggregates = {}
    for i, (low, high) in enumerate(AGE_BANDS):
        band = older_q(as_of, age=low) if low else Q()
        if high:
            band &= ~older_q(as_of, age=high)
        for gender in (Member.Gender.FEMALE, Member.Gender.MALE):
            aggregates[f"b{i}_{gender}"] = Count("id", filter=band & Q(gender=gender))
    return aggregates


MEMBER_KEYS = ("n", "women", "older", "poor_older", "older_women", "joined")


def _bands(row):
    return [
        (age_band_label(band), row.get(f"b{i}_female") or 0, row.get(f"b{i}_male") or 0)
        for i, band in enumerate(AGE_BANDS)
    ]


CLUB_FIELDS = (
    "id", "code", "name", "track", "founded_on", "dissolved_on", "regulation_on",
    "commune__code", "commune__name", "commune__parent__code", "commune__parent__name",
    "commune_id", "commune__parent_id",
)


def _queries(area, as_of, series, ends, bands):
    """The querysets of _club_figures by name: built here, run by club_aggregates.run (which compiles
    those of a set of clubs once per shape), turned into rows by _club_figures."""
    start = period_start(as_of)
    if series:
        # Every club founded on or before D; `is_active` is Club.objects.active's own rule.
        clubs = (
            Club.objects.in_area(area)
            .filter(founded_on__lte=as_of)
            .annotate(is_active=Exists(Club.objects.active(on=as_of).filter(pk=OuterRef("pk"))))
            .order_by("code")
            .values_list(*CLUB_FIELDS, "is_active")
        )
    else:
        clubs = Club.objects.active(on=as_of).in_area(area).order_by("code").values_list(*CLUB_FIELDS)

    member_aggregates = _member_aggregates(as_of, bands)
    members = (
        Member.objects.active(on=as_of)
        .filter(area.club_filter("club__"))
        .order_by()
        .values("club_id")
        .annotate(**member_aggregates)
        .values_list("club_id", *member_aggregates)
    )

    # Per club, as one bit set: the areas worked in during the period (bit k for area k) and the
    # months of the period with a meeting (bit MONTH_BIT + m), one query for both.
    one = Value(1, output_field=IntegerField())
    activity_bits = (
        Activity.objects.filter(club_scope(area, as_of, "club__"), date__gte=start, date__lte=as_of)
        .order_by().values("club_id").annotate(bits=BitOr(one.bitleftshift(F("area")))).values_list("club_id", "bits")
    )
    meeting_bits = (
        Meeting.objects.filter(club_scope(area, as_of, "club__"), held_on__gte=start, held_on__lte=as_of)
        .order_by().values("club_id")
        .annotate(bits=BitOr(one.bitleftshift(Cast(ExtractMonth("held_on"), IntegerField()) + MONTH_BIT)))
        .values_list("club_id", "bits")
    )

    # Ledger rows that still stand at D: not a reversal, and not reversed on or before D.
    funds = (
        FundEntry.objects.filter(
            club_scope(area, as_of, "club__"),
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
        .values_list("club_id", "income_in", "activity_any")
    )
    care, care_periods, care_visits = homecare_queries(area, as_of)
    return {
        "clubs": clubs,
        "members": members,
        "bits": activity_bits.union(meeting_bits, all=True).order_by(),
        "funds": funds,
        "loans": loan_query(area, as_of, ends=ends),
        "health": health_query(area, as_of),
        "care": care,
        "care_periods": care_periods,
        "care_visits": care_visits,
    }


def _member_aggregates(as_of, bands):
    """The members query's counts by name: MEMBER_KEYS, then BAND_KEYS when `bands`."""
    aggregates = {
        "n": Count("id"),
        "women": Count("id", filter=Q(gender=Member.Gender.FEMALE)),
        "older": Count("id", filter=older_q(as_of)),
        "poor_older": Count(
            "id", filter=older_q(as_of) & Q(household__in=[Member.Household.POOR, Member.Household.NEAR_POOR])
        ),
        "older_women": Count("id", filter=older_q(as_of) & Q(gender=Member.Gender.FEMALE)),
        "joined": Count("id", filter=_joined_since(period_start(as_of))),
    }
    if bands:
        aggregates.update(_band_aggregates(as_of))
    return aggregates


def _club_figures(area, as_of, years=None, *, kept=False):
    """(club rows, chart series or None, the kept rows' extras or None). Nine queries whatever the
    number of clubs.

    With `years`, the same queries also yield the chart series of the dashboard (see
    dashboard_figures) instead of three more passes over members, loans and repayments: the clubs
    query then also lists the clubs of the area dissolved on or before D (still active at an earlier
    year end), and the loans query sums per club and year end.

    With `kept` (reporting.figure_rows), the extras are, for each row, (club id, commune id, district
    id, members per age band and sex) from the same queries.
    """
    series = years is not None
    ends = tuple(year_ends(as_of, years)) if series else ()
    found = run(_queries, area, as_of, series, tuple(sorted(set(ends))), series or kept)
    fields = (*CLUB_FIELDS, "is_active") if series else CLUB_FIELDS
    all_clubs = [dict(zip(fields, row)) for row in found["clubs"]]
    clubs = [c for c in all_clubs if c["is_active"]] if series else all_clubs
    if not all_clubs:
        return (), (_empty_series(as_of, years) if series else None), ([] if kept else None)

    # Plain tuples from the cursor: 6,000 rows of up to 16 counts, which the ORM would pass one by
    # one through its converters (about 30 ms at national scale for integers already).
    member_keys = [*MEMBER_KEYS, *(BAND_KEYS if series or kept else ())]
    members = {row[0]: row[1:] for row in found["members"]}
    no_members = (0,) * len(member_keys)

    club_bits = defaultdict(int)
    for club_id, bits in found["bits"]:
        club_bits[club_id] |= bits
    areas_done, months_met = {}, {}
    for club_id, bits in club_bits.items():
        set_bits = [k for k in range(bits.bit_length()) if bits >> k & 1]
        areas_done[club_id] = frozenset(k for k in set_bits if k < MONTH_BIT)
        months_met[club_id] = frozenset(k - MONTH_BIT for k in set_bits if k > MONTH_BIT)

    funds = {club_id: (income_in, activity_any) for club_id, income_in, activity_any in found["funds"]}
    loans = loan_figures(found["loans"], as_of, ends=sorted(set(ends)))
    health = health_figures(found["health"])
    homecare = homecare_figures(found["care"], found["care_periods"], found["care_visits"], as_of)

    out, extras = [], []
    for c in clubs:
        cid = c["id"]
        counts = members.get(cid, no_members)
        n, women, older, poor_older, older_women, joined = counts[:6]
        comp = checks.Composition(n=n, women=women, older=older)
        income_in, activity_any = funds.get(cid, (0, 0))
        funds_ok = bool(
            n > 0
            and income_in > 0
            and activity_any > 0
            and c["regulation_on"] is not None
            and c["regulation_on"] <= as_of
        )
        done = areas_done.get(cid, frozenset())
        areas_ok = checks.areas_ok(len(done & AREA_NUMBERS), n)
        ln = loans.get(cid, NO_LOANS)
        nb = ln["borrowers"]
        b_ok = checks.borrowers_ok(nb, n)
        required = checks.required_months(c["founded_on"], as_of)
        met = months_met.get(cid, frozenset())
        m_ok = checks.meetings_ok(met, required, n)
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
                older_women=older_women,
                members_joined=joined,
                months_met=met,
                required_months=len(required),
                meetings_ok=m_ok,
                standard_ok=areas_ok and m_ok,
                **health.get(cid, NO_HEALTH),
                **homecare.get(cid, NO_HOMECARE),
            )
        )
        if kept:
            extras.append((cid, c["commune_id"], c["commune__parent_id"], tuple(counts[6:])))
    if not series:
        return tuple(out), None, (extras if kept else None)

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
        year = loans.get(c["id"], NO_LOANS)["years"]
        if year:
            for end, i in position.items():
                if c["founded_on"] <= end and (c["dissolved_on"] is None or c["dissolved_on"] > end):
                    totals[end][0] += year[i][0]
                    totals[end][1] += year[i][1]
    loan_series = [(end.year, *totals[end]) for end in ends]
    return tuple(out), {"founded": founded, "bands": _bands(band_totals), "loans": loan_series}, \
        (extras if kept else None)


def _empty_series(as_of, years):
    return {
        "founded": {y: dict.fromkeys(TRACKS, 0) for y in years},
        "bands": _bands({}),
        "loans": [(end.year, 0, 0) for end in year_ends(as_of, years)],
    }


def club_figures(*, area, as_of):
    """One ClubFigures per club active at `as_of` in `area`, ordered by club code. Nine queries (the
    clubs, six aggregates grouped by club, and care.reads.care_months's two), whatever the number of clubs."""
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
    rows, series, _ = _club_figures(area, as_of, years=list(years))
    return {"rows": rows, **series}


def _communes_in(area):
    qs = Area.objects.communes()
    if area.level == Area.Level.DISTRICT:
        qs = qs.filter(parent_id=area.pk)
    elif area.level == Area.Level.COMMUNE:
        qs = qs.filter(pk=area.pk)
    return qs


def compute(*, area, as_of, clubs=None, cells=None):
    """Indicators of indicators.md §5 for the clubs active at `as_of` whose commune lies in `area`.
    `cells`: rollup.club_cells(clubs, as_of), when the caller rolls the same rows up again."""
    if clubs is None:
        clubs = club_figures(area=area, as_of=as_of)
    return rollup_areas(clubs, as_of=as_of, areas=[(area, _communes_in(area).count())], cells=cells)[0]


def compute_breakdown(*, area, as_of, level="district", clubs=None, cells=None):
    """One Indicators per child area of `area` at `level` ("district" or "commune"), ordered by code,
    every child listed even without clubs, all rolled up from the same club rows (a district's clubs
    are the rows naming it, a commune's the rows naming it: rollup.rollup_areas)."""
    if clubs is None:
        clubs = club_figures(area=area, as_of=as_of)
    communes = list(_communes_in(area).select_related("parent").order_by("code"))
    if level == "commune":
        return rollup_areas(clubs, as_of=as_of, areas=[(c, 1) for c in communes], key="commune_code", cells=cells)
    if level != "district":
        raise ValueError(level)
    districts = {}
    communes_per_district = defaultdict(int)
    for c in communes:
        if c.parent is not None:
            districts[c.parent.code] = c.parent
            communes_per_district[c.parent.code] += 1
    return rollup_areas(clubs, as_of=as_of, key="district_code", cells=cells,
                        areas=[(d, communes_per_district[code]) for code, d in sorted(districts.items())])


def indicators_json(*, area, as_of, clubs=None):
    """The object `indicators --json` prints (indicators.md §6); the API's indicators return it too
    (from its cached club_figures rows, `clubs`)."""
    return compute(area=area, as_of=as_of, clubs=clubs).to_json()


# ------------------------------------------------------------------ chart series helpers

AGE_BANDS = ((0, 40), (40, 50), (50, 60), (60, 70), (70, 80), (80, None))
BAND_KEYS = tuple(f"b{i}_{gender}" for i in range(len(AGE_BANDS)) for gender in ("female", "male"))


def age_band_label(band):
    low, high = band
    if low == 0:
        return f"<{high}"
    return f"{low}–{high - 1}" if high else f"≥{low}"


def year_ends(as_of, years):
    """31/12 of each year, the last one capped at D."""
    return [min(datetime.date(y, 12, 31), as_of) for y in years]
