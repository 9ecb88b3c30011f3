"""An independent hand count of indicators.md §3, §5 and §8, to check reporting/indicators.py against.

Rows are loaded with plain queries (no annotations, no aggregates) and every rule is applied in
Python, one register line at a time, the way two people counting the paper registers would. It
deliberately imports nothing from reporting.indicators or clubs.checks: a shared helper would hide
a shared mistake.

Readings of the spec (indicators.md) applied here:
- Age at D: completed years from birth_date when known, else D.year − birth_year (§1). For a
  29 February birthday the 60th birthday always falls in a leap year (60 is a multiple of 4), so
  "completed years" is never ambiguous at the 60-year line.
- borrowers (§3): a loan counts when it was "outstanding at some time in the period": disbursed on
  or before D and not fully repaid before 1 January, where a loan is fully repaid on the date of the
  repayment that brings its outstanding principal to 0. Reversal repayments (negative amounts)
  are repayments like any other: a loan brought to 0 in December and reopened by a reversal dated
  in January is outstanding in January, so it is not "fully repaid before 1 January" as seen at D.
- funds_ok (§3): the spec does not say how reversed ledger rows count. Read as "entries that
  still stand at D" (the choice reporting/indicators.py documents): a reversal row is a correction,
  not money in or out, so it never counts; a row reversed by a reversal dated on or before D no
  longer counts; a row reversed only after D still counted at D, as printed then.
- meetings_ok (§8): with no required month (D in the founding month, or in January before its
  last day) a club with members meets the rule vacuously; a club with no members fails it, as
  "a club with n = 0 fails every check" (§3) reads for the checks §8 adds.
- Percentages: 100·count/denominator rounded half-up to one decimal, exactly (fractions), 0.0
  for a zero denominator; par30 is 0.0 when nothing is outstanding (§5).
"""
import datetime
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from clubs.models import Activity, Area, Club, Meeting, Member
from funds.models import FundEntry, Loan, Repayment

TRACK_CODES = ("existing", "new_budget", "new_rotation", "other")
CHECK_NAMES = ("size_ok", "women_ok", "older_ok", "composition_ok", "funds_ok", "areas_ok", "borrowers_ok", "well_run",
               "meetings_ok", "standard_ok")
ALL_AREAS = {1, 2, 3, 4, 5, 6, 7, 8}


def percent(count, denominator):
    """100·count/denominator, half-up to one decimal, as a Decimal; 0.0 when the denominator is 0."""
    if denominator == 0:
        return Decimal("0.0")
    tenths = Fraction(1000 * count, denominator) + Fraction(1, 2)
    return (Decimal(tenths.__floor__()) / Decimal(10)).quantize(Decimal("0.1"))


def age_on(member, d):
    b = member["birth_date"]
    if b is None:
        return d.year - member["birth_year"]
    years = d.year - b.year
    if (d.month, d.day) < (b.month, b.day):
        years -= 1
    return years


class Register:
    """Every row the indicators read, loaded once; figures for any date and area computed from it."""

    def __init__(self):
        self.areas = {a["id"]: a for a in Area.objects.values("id", "level", "code", "parent_id")}
        self.clubs = list(
            Club.objects.values("id", "code", "track", "founded_on", "dissolved_on", "regulation_on", "commune_id")
        )
        self.members_of = defaultdict(list)
        for m in Member.objects.values(
            "id", "club_id", "gender", "birth_year", "birth_date", "household", "joined_on", "left_on"
        ):
            self.members_of[m["club_id"]].append(m)
        self.activities_of = defaultdict(list)
        for a in Activity.objects.values("club_id", "date", "area"):
            self.activities_of[a["club_id"]].append(a)
        self.meetings_of = defaultdict(list)
        for m in Meeting.objects.values("club_id", "held_on"):
            self.meetings_of[m["club_id"]].append(m["held_on"])
        self.entries_of = defaultdict(list)
        entries = list(FundEntry.objects.values("id", "club_id", "fund", "kind", "date", "reverses_id"))
        self.reversal_date = {e["reverses_id"]: e["date"] for e in entries if e["reverses_id"] is not None}
        for e in entries:
            self.entries_of[e["club_id"]].append(e)
        self.loans_of = defaultdict(list)
        for loan in Loan.objects.values("id", "club_id", "member_id", "disbursed_on", "principal", "due_on"):
            self.loans_of[loan["club_id"]].append(loan)
        self.repayments_of = defaultdict(list)
        for r in Repayment.objects.values("loan_id", "paid_on", "principal"):
            self.repayments_of[r["loan_id"]].append(r)

    # ------------------------------------------------------------ §1

    @staticmethod
    def club_active(club, d):
        return club["founded_on"] <= d and (club["dissolved_on"] is None or club["dissolved_on"] > d)

    @staticmethod
    def member_active(member, d):
        return member["joined_on"] <= d and (member["left_on"] is None or member["left_on"] > d)

    def in_area(self, club, area):
        """The club's (current) commune lies in `area`: the province, a former district, or that commune."""
        if area.level == "province":
            return True
        commune = self.areas[club["commune_id"]]
        if area.level == "district":
            return commune["parent_id"] == area.pk
        return commune["id"] == area.pk

    # ------------------------------------------------------------ loans

    def repaid_upto(self, loan, d):
        return sum(r["principal"] for r in self.repayments_of[loan["id"]] if r["paid_on"] <= d)

    def outstanding_in_period(self, loan, start, d):
        """Disbursed on or before D and not fully repaid before `start` (as the register stands at D)."""
        if loan["disbursed_on"] > d:
            return False
        if loan["disbursed_on"] >= start:
            return True
        if loan["principal"] - self.repaid_upto(loan, start - datetime.timedelta(days=1)) > 0:
            return True  # still owed on 1 January
        # Owed nothing on 31 December: it was fully repaid before 1 January unless a row dated in
        # the period (a reversal) brought principal back, i.e. unless the date it was finally
        # brought to 0 falls in the period.
        for r in self.repayments_of[loan["id"]]:
            if start <= r["paid_on"] <= d and loan["principal"] - self.repaid_upto(loan, r["paid_on"]) > 0:
                return True
        return False

    # ------------------------------------------------------------ §3

    def club_row(self, club, d):
        start = datetime.date(d.year, 1, 1)
        members = [m for m in self.members_of[club["id"]] if self.member_active(m, d)]
        n = len(members)
        women = sum(1 for m in members if m["gender"] == "female")
        older_members = [m for m in members if age_on(m, d) >= 60]
        older = len(older_members)
        poor_older = sum(1 for m in older_members if m["household"] in ("poor", "near_poor"))

        size_ok = n >= 40
        women_ok = n > 0 and 6 * n <= 10 * women and 10 * women <= 7 * n
        older_ok = n > 0 and 6 * n <= 10 * older and 10 * older <= 7 * n

        def stands(e):
            if e["reverses_id"] is not None:
                return False
            reversed_on = self.reversal_date.get(e["id"])
            return reversed_on is None or reversed_on > d

        entries = [e for e in self.entries_of[club["id"]] if e["date"] <= d and stands(e)]
        income_in = any(e["fund"] == "income" and e["kind"] == "in" for e in entries)
        activity_any = any(e["fund"] == "activity" for e in entries)
        regulation = club["regulation_on"] is not None and club["regulation_on"] <= d
        funds_ok = n > 0 and income_in and activity_any and regulation

        done = {a["area"] for a in self.activities_of[club["id"]] if start <= a["date"] <= d}
        areas_ok = n > 0 and ALL_AREAS <= done

        active_ids = {m["id"] for m in members}
        loans = self.loans_of[club["id"]]
        borrower_ids = {
            loan["member_id"] for loan in loans
            if loan["member_id"] in active_ids and self.outstanding_in_period(loan, start, d)
        }
        borrowers = len(borrower_ids)
        borrowers_ok = n > 0 and 2 * borrowers >= n

        # §8: walk the months of the year; a month is required when it lies whole between the
        # founding date and D.
        required = []
        first = start
        while first <= d:
            following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            last = following - datetime.timedelta(days=1)
            if first >= club["founded_on"] and last <= d:
                required.append((first, last))
            first = following
        meetings = self.meetings_of[club["id"]]
        meetings_ok = n > 0 and all(any(a <= held <= b for held in meetings) for a, b in required)

        disbursed = [loan for loan in loans if start <= loan["disbursed_on"] <= d]
        upto_d = [loan for loan in loans if loan["disbursed_on"] <= d]
        outstanding = sum(loan["principal"] for loan in upto_d) - sum(self.repaid_upto(loan, d) for loan in upto_d)
        par30 = 0
        for loan in upto_d:
            owed = loan["principal"] - self.repaid_upto(loan, d)
            if (d - loan["due_on"]).days > 30 and owed > 0:
                par30 += owed
        return {
            "code": club["code"],
            "track": club["track"],
            "founded_on": club["founded_on"],
            "n": n,
            "women": women,
            "older": older,
            "poor_older": poor_older,
            "borrowers": borrowers,
            "size_ok": size_ok,
            "women_ok": women_ok,
            "older_ok": older_ok,
            "composition_ok": size_ok and women_ok and older_ok,
            "funds_ok": funds_ok,
            "areas_ok": areas_ok,
            "borrowers_ok": borrowers_ok,
            "well_run": areas_ok and borrowers_ok,
            "required_months": len(required),
            "meetings_ok": meetings_ok,
            "standard_ok": areas_ok and meetings_ok,
            "commune_id": club["commune_id"],
            "older_women": sum(1 for m in older_members if m["gender"] == "female"),
            "joined": sum(1 for m in members if start <= m["joined_on"] <= d),
            "loans_count": len(disbursed),
            "loans_amount": sum(loan["principal"] for loan in disbursed),
            "outstanding": outstanding,
            "par30_principal": par30,
        }

    def club_rows(self, d):
        """{club code: figures} for every club active at D (any area)."""
        return {c["code"]: self.club_row(c, d) for c in self.clubs if self.club_active(c, d)}

    # ------------------------------------------------------------ §5

    def indicators(self, area, d, rows=None):
        """The §5 figures for `area` at D, shaped like the §6 JSON (percentages as Decimal)."""
        rows = self.club_rows(d) if rows is None else rows
        by_code = {c["code"]: c for c in self.clubs}
        clubs = [row for code, row in rows.items() if self.in_area(by_code[code], area)]
        start = datetime.date(d.year, 1, 1)

        def per_track(value):
            out = {t: 0 for t in TRACK_CODES}
            for row in clubs:
                out[row["track"]] += value(row)
            return out

        members = sum(r["n"] for r in clubs)
        older = sum(r["older"] for r in clubs)
        communes = [
            a["id"] for a in self.areas.values()
            if a["level"] == "commune" and (
                area.level == "province" or (area.level == "district" and a["parent_id"] == area.pk) or a["id"] == area.pk
            )
        ]
        outstanding = sum(r["outstanding"] for r in clubs)
        par30_principal = sum(r["par30_principal"] for r in clubs)
        return {
            "clubs_active": len(clubs),
            "clubs_active_by_track": per_track(lambda r: 1),
            "clubs_founded": per_track(lambda r: 1 if start <= r["founded_on"] <= d else 0),
            "members_active": members,
            "members_by_track": per_track(lambda r: r["n"]),
            "women_pct": percent(sum(r["women"] for r in clubs), members),
            "older_pct": percent(sum(r["older"] for r in clubs), members),
            "poor_older": sum(r["poor_older"] for r in clubs),
            "clubs_composition_ok": sum(1 for r in clubs if r["composition_ok"]),
            "clubs_funds_ok": sum(1 for r in clubs if r["funds_ok"]),
            "clubs_areas_ok": sum(1 for r in clubs if r["areas_ok"]),
            "clubs_borrowers_ok": sum(1 for r in clubs if r["borrowers_ok"]),
            "clubs_well_run": sum(1 for r in clubs if r["well_run"]),
            "loans_disbursed": {
                "count": sum(r["loans_count"] for r in clubs),
                "amount": sum(r["loans_amount"] for r in clubs),
            },
            "outstanding_principal": outstanding,
            "par30": percent(par30_principal, outstanding) if outstanding > 0 else Decimal("0.0"),
            "clubs_meetings_ok": sum(1 for r in clubs if r["meetings_ok"]),
            "clubs_standard": sum(1 for r in clubs if r["standard_ok"]),
            "communes_total": len(communes),
            "communes_covered": len({r["commune_id"] for r in clubs}),
            "communes_standard": len({r["commune_id"] for r in clubs if r["standard_ok"]}),
            "members_joined": sum(r["joined"] for r in clubs),
            "older_women_pct": percent(sum(r["older_women"] for r in clubs), older),
            "clubs": {
                r["code"]: {key: r[key] for key in ("n", "women", "older", "borrowers", "required_months", *CHECK_NAMES)}
                for r in clubs
            },
        }


SECTION5_KEYS = (
    "clubs_active", "clubs_active_by_track", "clubs_founded", "members_active", "members_by_track",
    "women_pct", "older_pct", "poor_older", "clubs_composition_ok", "clubs_funds_ok", "clubs_areas_ok",
    "clubs_borrowers_ok", "clubs_well_run", "loans_disbursed", "outstanding_principal", "par30",
    # §8
    "clubs_meetings_ok", "clubs_standard", "communes_total", "communes_covered", "communes_standard",
    "members_joined", "older_women_pct",
)
