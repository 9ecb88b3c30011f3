"""reporting.indicators (and `manage.py indicators --json`) against an independent hand count.

The hand count (reporting/tests/handcount.py) reads the register rows with plain queries and
applies indicators.md §1, §3 and §5 literally in Python. Every §5 key and every per-club figure of
§6 is compared, for the demo data at several reference dates and scopes, and for hand-built
boundary cases where the expected numbers are also written out here by hand.
"""
import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from clubs.models import ActivityArea, Area, Club, Meeting, Member, Track
from clubs.tests.factories import ActivityFactory, ClubFactory, MemberFactory, add_members
from funds.models import EntryKind, Fund
from funds.tests.factories import FundEntryFactory, LoanFactory, RepaymentFactory
from reporting.indicators import compute

from .handcount import CHECK_NAMES, SECTION5_KEYS, Register

D = datetime.date(2025, 12, 31)
M = 1_000_000
PER_CLUB_KEYS = ("n", "women", "older", "borrowers", "required_months", *CHECK_NAMES)


def day(text):
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def scope_label(area):
    return f"{area.level} {area.code} ({area.name})"


def as_json_value(value):
    return float(value) if isinstance(value, Decimal) else value


def differences(expected, got, *, source, label):
    """Every §5 key and per-club §6 figure where `got` (a §6 JSON object) differs from the hand count."""
    out = []
    for key in SECTION5_KEYS:
        if key not in got:
            out.append(f"{source}: key {key!r} missing for {label}")
            continue
        want = as_json_value(expected[key])
        if got[key] != want:
            out.append(f"{source}: {key} for {label}: expected {want!r} by the spec, got {got[key]!r}")
    for key in ("as_of", "scope"):
        if key not in got:
            out.append(f"{source}: key {key!r} missing for {label}")
    clubs = got.get("clubs", [])
    by_code = {c["code"]: c for c in clubs}
    if len(by_code) != len(clubs):
        out.append(f"{source}: a club is listed twice for {label}")
    if set(by_code) != set(expected["clubs"]):
        out.append(
            f"{source}: clubs listed for {label}: missing {sorted(set(expected['clubs']) - set(by_code))}, "
            f"extra {sorted(set(by_code) - set(expected['clubs']))}"
        )
    for code, want in sorted(expected["clubs"].items()):
        have = by_code.get(code)
        if have is None:
            continue
        for key in PER_CLUB_KEYS:
            if have.get(key, "<missing>") != want[key]:
                out.append(
                    f"{source}: club {code} {key} for {label}: expected {want[key]!r} by the spec, "
                    f"got {have.get(key, '<missing>')!r}"
                )
    return out


def command_json(area, as_of):
    args = ["indicators", "--as-of", as_of.isoformat(), "--json"]
    if area.level == Area.Level.DISTRICT:
        args += ["--district", area.code]
    elif area.level == Area.Level.COMMUNE:
        args += ["--commune", area.code]
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def mismatches(register, area, as_of, *, rows=None, command=True):
    """Hand count vs compute() (its JSON and its Decimal percentages) vs the `indicators` command."""
    label = f"{scope_label(area)} at {as_of:%d/%m/%Y}"
    expected = register.indicators(area, as_of, rows)
    result = compute(area=area, as_of=as_of)
    out = differences(expected, result.to_json(), source="compute()", label=label)
    for key in ("women_pct", "older_pct", "par30"):
        if getattr(result, key) != expected[key]:
            out.append(f"compute(): {key} for {label}: expected {expected[key]} by the spec, got {getattr(result, key)}")
    if command:
        got = command_json(area, as_of)
        out += differences(expected, got, source="indicators --json", label=label)
        if got.get("as_of") != as_of.isoformat():
            out.append(f"indicators --json: as_of for {label}: expected {as_of.isoformat()!r}, got {got.get('as_of')!r}")
    return out, expected


def assert_same(area, dates):
    """Compare at every date, for the commune of the test and also its former district and the
    province; return {date: hand-count figures of `area`} for the explicit assertions."""
    register = Register()
    problems, figures = [], {}
    province = Area.objects.get(level=Area.Level.PROVINCE)
    for as_of in dates:
        found, figures[as_of] = mismatches(register, area, as_of)
        problems += found
        for wider in (area.parent, province):
            problems += mismatches(register, wider, as_of)[0]
    assert not problems, "\n".join(problems)
    return figures


def empty_commune():
    """A current commune without any club, so a test's own clubs are the whole scope."""
    return Area.objects.communes().filter(clubs__isnull=True).order_by("code").first()


def member(club, *, gender=Member.Gender.FEMALE, birth_year=1950, birth_date=None, **kwargs):
    return MemberFactory(club=club, gender=gender, birth_year=birth_year, birth_date=birth_date, **kwargs)


def loan(m, *, principal, disbursed, due):
    return LoanFactory(club=m.club, member=m, principal=principal, disbursed_on=day(disbursed), due_on=day(due))


def repay(loan_, *, principal, paid, reverses=None):
    return RepaymentFactory(loan=loan_, principal=principal, interest=0, paid_on=day(paid), reverses=reverses)


# ------------------------------------------------------------------ hand-built boundary cases

pytestmark = pytest.mark.django_db


def test_composition_boundaries_leaving_dissolving_and_founding_on_the_reference_date():
    area = empty_commune()
    founded = day("01/03/2022")
    c60 = ClubFactory(code="XC-C60", commune=area, founded_on=founded)
    add_members(c60, women=24, men=16, older_women=24, older_men=4, on=D)  # 60% women, 70% older
    member(c60, gender=Member.Gender.MALE, birth_year=1990, left_on=D)  # leaves on D: not counted at D
    c70 = ClubFactory(code="XC-C70", commune=area, founded_on=founded, track=Track.EXISTING)
    add_members(c70, women=28, men=12, older_women=24, older_men=0, on=D)  # 70% women, 60% older
    c39 = ClubFactory(code="XC-C39", commune=area, founded_on=founded)
    add_members(c39, women=24, men=15, older_women=24, older_men=0, on=D)
    c29 = ClubFactory(code="XC-C29W", commune=area, founded_on=founded)
    add_members(c29, women=29, men=11, older_women=26, older_men=0, on=D)  # 72.5% women
    gone = ClubFactory(code="XC-DISS", commune=area, founded_on=founded, dissolved_on=D, track=Track.OTHER)
    add_members(gone, women=26, men=14, older_women=26, older_men=0, on=D)
    born = ClubFactory(code="XC-NEWD", commune=area, founded_on=D, track=Track.NEW_ROTATION)
    member(born, joined_on=D)
    later = ClubFactory(code="XC-NEW26", commune=area, founded_on=day("01/01/2026"))
    member(later)
    empty = ClubFactory(code="XC-EMPTY", commune=area, founded_on=founded, track=Track.OTHER)
    member(empty, left_on=day("01/06/2025"))
    FundEntryFactory(club=empty, fund=Fund.INCOME, date=day("01/03/2025"))
    FundEntryFactory(club=empty, fund=Fund.ACTIVITY, date=day("01/03/2025"), amount=M)
    for number in ActivityArea.values:
        ActivityFactory(club=empty, area=number, date=day("01/03/2025"))
    loan(Member.objects.get(club=empty), principal=M, disbursed="01/02/2025", due="01/02/2026")

    figures = assert_same(area, [D - datetime.timedelta(days=1), D, day("01/01/2026")])

    at_d = figures[D]
    clubs = at_d["clubs"]
    assert set(clubs) == {"XC-C60", "XC-C70", "XC-C39", "XC-C29W", "XC-NEWD", "XC-EMPTY"}
    assert (clubs["XC-C60"]["n"], clubs["XC-C60"]["women"], clubs["XC-C60"]["older"]) == (40, 24, 28)
    assert clubs["XC-C60"]["composition_ok"] and clubs["XC-C70"]["composition_ok"]
    assert not clubs["XC-C39"]["size_ok"] and clubs["XC-C39"]["women_ok"] and clubs["XC-C39"]["older_ok"]
    assert clubs["XC-C29W"]["size_ok"] and not clubs["XC-C29W"]["women_ok"] and clubs["XC-C29W"]["older_ok"]
    assert clubs["XC-EMPTY"]["n"] == 0 and not any(clubs["XC-EMPTY"][k] for k in CHECK_NAMES)
    assert at_d["clubs_composition_ok"] == 2
    assert at_d["clubs_active_by_track"] == {"existing": 1, "new_budget": 3, "new_rotation": 1, "other": 1}
    assert at_d["clubs_founded"] == {"existing": 0, "new_budget": 0, "new_rotation": 1, "other": 0}
    assert at_d["members_active"] == 40 + 40 + 39 + 40 + 1
    assert at_d["loans_disbursed"] == {"count": 1, "amount": M}  # the empty club's loan still counts

    day_before = figures[D - datetime.timedelta(days=1)]
    assert "XC-DISS" in day_before["clubs"] and "XC-NEWD" not in day_before["clubs"]
    assert day_before["clubs"]["XC-C60"]["n"] == 41 and not day_before["clubs"]["XC-C60"]["women_ok"]  # 24/41

    new_year = figures[day("01/01/2026")]
    assert new_year["clubs_founded"] == {"existing": 0, "new_budget": 1, "new_rotation": 0, "other": 0}


def test_age_sixty_reached_on_the_birthday_with_birth_date_year_only_and_29_february():
    area = empty_commune()
    club = ClubFactory(code="XC-AGE", commune=area, founded_on=day("01/03/2022"))
    for _ in range(22):
        member(club, birth_year=1950)
    member(club, birth_year=1965, birth_date=day("15/06/1965"))  # 60 on 15/06/2025
    member(club, birth_year=1965)  # year only: 60 from 01/01/2025
    member(club, gender=Member.Gender.MALE, birth_year=1965, birth_date=day("16/06/1965"))
    member(club, gender=Member.Gender.MALE, birth_year=1966)
    for _ in range(14):
        member(club, gender=Member.Gender.MALE, birth_year=1985)

    leap = ClubFactory(code="XC-LEAP", commune=area, founded_on=day("01/03/2022"))
    for _ in range(22):
        member(leap, birth_year=1950)
    member(leap, birth_year=1964, birth_date=day("28/02/1964"))
    member(leap, birth_year=1964, birth_date=day("29/02/1964"))  # 60 on 29/02/2024, not on 28/02
    member(leap, gender=Member.Gender.MALE, birth_year=1964, birth_date=day("01/03/1964"))
    for _ in range(15):
        member(leap, gender=Member.Gender.MALE, birth_year=1990)

    dates = [day(t) for t in ("27/02/2024", "28/02/2024", "29/02/2024", "01/03/2024", "31/12/2024", "01/01/2025",
                              "14/06/2025", "15/06/2025", "16/06/2025", "31/12/2025", "01/01/2026")]
    figures = assert_same(area, dates)

    older = {d: {code: row["older"] for code, row in figures[d]["clubs"].items()} for d in dates}
    assert [older[day(t)]["XC-LEAP"] for t in ("27/02/2024", "28/02/2024", "29/02/2024", "01/03/2024")] == [22, 23, 24, 25]
    assert [older[day(t)]["XC-AGE"] for t in ("31/12/2024", "01/01/2025", "14/06/2025", "15/06/2025", "16/06/2025",
                                              "31/12/2025", "01/01/2026")] == [22, 23, 23, 24, 25, 25, 26]
    # 24 of 40 is exactly 60%: the club passes on the birthday and fails the day before.
    assert figures[day("15/06/2025")]["clubs"]["XC-AGE"]["older_ok"]
    assert not figures[day("14/06/2025")]["clubs"]["XC-AGE"]["older_ok"]
    # Both clubs together: 48 of 80 the day before, 49 of 80 = 61.25% on the birthday, half-up to 61.3.
    assert figures[day("14/06/2025")]["older_pct"] == Decimal("60.0")
    assert figures[day("15/06/2025")]["older_pct"] == Decimal("61.3")


def test_borrowers_repaid_on_31_december_or_1_january_two_loans_inactive_member_and_reversals():
    area = empty_commune()
    club = ClubFactory(code="XC-LOAN", commune=area, founded_on=day("01/03/2022"))
    m1, m2, m3, m4, m5, m6, m7, m8 = (member(club) for _ in range(8))
    m5.left_on = day("30/06/2025")
    m5.save()
    l1 = loan(m1, principal=10 * M, disbursed="01/03/2024", due="01/03/2025")
    repay(l1, principal=10 * M, paid="31/12/2024")  # fully repaid before 1 January 2025
    l2 = loan(m2, principal=10 * M, disbursed="01/03/2024", due="01/03/2025")
    repay(l2, principal=10 * M, paid="01/01/2025")  # still owed on 1 January 2025
    l4a = loan(m4, principal=6 * M, disbursed="01/03/2024", due="01/09/2024")
    repay(l4a, principal=6 * M, paid="01/09/2024")
    loan(m4, principal=4 * M, disbursed="01/06/2025", due="01/06/2026")  # second loan: one borrower
    loan(m5, principal=5 * M, disbursed="01/03/2025", due="01/03/2026")  # member leaves: not a borrower
    loan(m6, principal=3 * M, disbursed="01/01/2026", due="01/01/2027")  # after D
    loan(m7, principal=2 * M, disbursed="31/12/2025", due="31/12/2026")  # on D
    l8 = loan(m8, principal=10 * M, disbursed="01/03/2025", due="01/03/2026")
    wrong = repay(l8, principal=4 * M, paid="01/05/2025")
    repay(l8, principal=-4 * M, paid="05/05/2025", reverses=wrong)
    repay(l8, principal=4 * M, paid="10/05/2025")

    figures = assert_same(area, [day("31/12/2024"), D, day("01/01/2026")])

    row = figures[D]["clubs"]["XC-LOAN"]
    assert (row["n"], row["borrowers"], row["borrowers_ok"]) == (7, 4, True)  # m2, m4, m7, m8 of 7
    assert figures[D]["loans_disbursed"] == {"count": 4, "amount": 21 * M}
    assert figures[D]["outstanding_principal"] == 17 * M  # 4 + 5 + 2 + 6
    assert figures[D]["par30"] == Decimal("0.0")
    row = figures[day("31/12/2024")]["clubs"]["XC-LOAN"]
    assert (row["n"], row["borrowers"], row["borrowers_ok"]) == (8, 3, False)  # m1, m2, m4 of 8
    assert figures[day("31/12/2024")]["outstanding_principal"] == 10 * M
    assert figures[day("01/01/2026")]["clubs"]["XC-LOAN"]["borrowers"] == 4  # m4, m6, m7, m8


def test_par30_counts_loans_due_31_days_before_the_reference_date_not_30():
    area = empty_commune()
    club = ClubFactory(code="XC-PAR", commune=area, founded_on=day("01/03/2022"))
    q1, q2, q3, q4, q5 = (member(club) for _ in range(5))
    loan(q1, principal=5 * M, disbursed="01/12/2024", due="01/12/2025")  # due + 30 days = 31/12/2025
    p2 = loan(q2, principal=4 * M, disbursed="30/11/2024", due="30/11/2025")  # due + 31 days = 31/12/2025
    repay(p2, principal=M, paid="30/12/2024")
    p3 = loan(q3, principal=3 * M, disbursed="01/06/2024", due="01/06/2025")
    repay(p3, principal=3 * M, paid="01/06/2025")  # overdue date passed, nothing owed
    p4 = loan(q4, principal=5 * M, disbursed="01/01/2024", due="01/01/2025")
    wrong = repay(p4, principal=3 * M, paid="01/03/2024")
    repay(p4, principal=-3 * M, paid="10/03/2024", reverses=wrong)
    repay(p4, principal=3 * M, paid="15/03/2024")
    loan(q5, principal=2 * M, disbursed="01/07/2025", due="01/07/2026")

    dates = [day("30/12/2025"), D, day("01/01/2026")]
    figures = assert_same(area, dates)

    assert [figures[d]["outstanding_principal"] for d in dates] == [12 * M] * 3
    assert figures[day("30/12/2025")]["par30"] == Decimal("16.7")  # 2 of 12: only p4
    assert figures[D]["par30"] == Decimal("41.7")  # 5 of 12: p2 (31 days) and p4, not p1 (30 days)
    assert figures[day("01/01/2026")]["par30"] == Decimal("83.3")  # 10 of 12


def test_loan_reopened_in_the_period_by_a_reversal_counts_as_a_borrower():
    area = empty_commune()
    club = ClubFactory(code="XC-REOPEN", commune=area, founded_on=day("01/03/2022"))
    r1, r2 = member(club), member(club)
    l1 = loan(r1, principal=10 * M, disbursed="01/03/2024", due="01/03/2025")
    wrong = repay(l1, principal=10 * M, paid="15/12/2024")  # brings it to 0 in 2024 ...
    repay(l1, principal=-10 * M, paid="10/01/2025", reverses=wrong)  # ... the correction reopens it ...
    repay(l1, principal=10 * M, paid="20/01/2025")  # ... and it is fully repaid on 20/01/2025

    # By the spec the loan is owed from 10/01 to 20/01/2025, and the repayment that finally brings it
    # to 0 is dated 20/01/2025, not before 1 January: r1 is a borrower of 2025, and 2 × 1 ≥ 2.
    row = Register().indicators(area, D)["clubs"]["XC-REOPEN"]
    assert (row["n"], row["borrowers"], row["borrowers_ok"]) == (2, 1, True)
    got = {c.code: c for c in compute(area=area, as_of=D).clubs}["XC-REOPEN"]
    assert (got.borrowers, got.borrowers_ok) == (1, True), (
        f"borrowers of XC-REOPEN at 31/12/2025, commune {area.code}: expected 1 by the spec, got {got.borrowers}"
    )
    assert_same(area, [D])

    # Ambiguous corner, read by end-of-day balances (as §7 reads balances) in both counts: a
    # reversal and a new repayment on the same day leave nothing owed at the end of any day of
    # the period, so that loan is not counted. (Read as "the date of the repayment that brings
    # it to 0" it would be; the order of two rows within one day decides, which the spec leaves open.)
    l2 = loan(r2, principal=10 * M, disbursed="01/03/2024", due="01/03/2025")
    wrong = repay(l2, principal=10 * M, paid="15/12/2024")
    repay(l2, principal=-10 * M, paid="10/01/2025", reverses=wrong)
    repay(l2, principal=10 * M, paid="10/01/2025")
    figures = assert_same(area, [D])
    assert figures[D]["clubs"]["XC-REOPEN"]["borrowers"] == 1


def test_funds_ok_needs_standing_entries_of_both_funds_and_the_regulation_by_the_reference_date():
    area = empty_commune()
    clubs = {}

    def club(code, **kwargs):
        c = ClubFactory(code=code, commune=area, founded_on=day("01/03/2022"), **kwargs)
        member(c)
        clubs[code] = c
        return c

    def income_in(c, date="05/01/2025", **kwargs):
        return FundEntryFactory(club=c, fund=Fund.INCOME, kind=EntryKind.IN, date=day(date), **kwargs)

    def activity(c, date="05/01/2025", kind=EntryKind.IN):
        return FundEntryFactory(club=c, fund=Fund.ACTIVITY, kind=kind, date=day(date), amount=M)

    ok = club("XC-F-OK")
    income_in(ok), activity(ok)
    reversed_ = club("XC-F-REV")
    wrong = income_in(reversed_)
    FundEntryFactory(club=reversed_, fund=Fund.INCOME, kind=EntryKind.OUT, date=day("10/12/2025"), reverses=wrong)
    activity(reversed_)
    late = club("XC-F-LATE")
    income_in(late, "01/01/2026"), activity(late)
    noreg = club("XC-F-NOREG", regulation_on=None)
    income_in(noreg), activity(noreg)
    reglate = club("XC-F-REGLATE", regulation_on=day("01/01/2026"))
    income_in(reglate), activity(reglate)
    chi_rev = club("XC-F-CHIREV")
    out = FundEntryFactory(club=chi_rev, fund=Fund.INCOME, kind=EntryKind.OUT, date=day("01/02/2025"))
    FundEntryFactory(club=chi_rev, fund=Fund.INCOME, kind=EntryKind.IN, source="", date=day("05/02/2025"), reverses=out)
    activity(chi_rev)
    act_out = club("XC-F-ACTOUT")
    income_in(act_out), activity(act_out, kind=EntryKind.OUT)
    noact = club("XC-F-NOACT")
    income_in(noact)

    dates = [day("30/11/2025"), D, day("01/01/2026")]
    figures = assert_same(area, dates)

    def ok_at(d):
        return {code for code, row in figures[d]["clubs"].items() if row["funds_ok"]}

    assert ok_at(D) == {"XC-F-OK", "XC-F-ACTOUT"}
    assert ok_at(day("30/11/2025")) == {"XC-F-OK", "XC-F-REV", "XC-F-ACTOUT"}  # reversed only on 10/12
    assert ok_at(day("01/01/2026")) == {"XC-F-OK", "XC-F-LATE", "XC-F-REGLATE", "XC-F-ACTOUT"}
    assert figures[D]["clubs_funds_ok"] == 2


def test_areas_ok_needs_all_eight_areas_within_the_period():
    area = empty_commune()
    for code, eighth in (("XC-A-OK", "31/12/2025"), ("XC-A-LATE", "01/01/2026"), ("XC-A-PREV", "31/12/2024")):
        c = ClubFactory(code=code, commune=area, founded_on=day("01/03/2022"))
        member(c)
        for number in ActivityArea.values[:7]:
            ActivityFactory(club=c, area=number, date=day("01/01/2025"))
        ActivityFactory(club=c, area=ActivityArea.RESOURCES, date=day(eighth))
    figures = assert_same(area, [day("30/12/2025"), D, day("01/01/2026")])

    assert {code for code, row in figures[D]["clubs"].items() if row["areas_ok"]} == {"XC-A-OK"}
    assert figures[day("30/12/2025")]["clubs_areas_ok"] == 0
    assert figures[day("01/01/2026")]["clubs_areas_ok"] == 0


def test_birth_date_wins_over_birth_year_and_zero_denominators_give_zero():
    area = empty_commune()
    club = ClubFactory(code="XC-BD", commune=area, founded_on=day("01/03/2022"))
    # Registers sometimes carry a year that disagrees with the date: the date of birth decides (§1).
    member(club, birth_year=1950, birth_date=day("01/07/1970"))  # 55 at D, not 75
    member(club, gender=Member.Gender.MALE, birth_year=1990, birth_date=day("31/12/1965"), household="poor")  # 60 on D
    member(club, household="near_poor", left_on=day("01/12/2025"))
    repaid = loan(Member.objects.filter(club=club).first(), principal=M, disbursed="01/02/2025", due="01/03/2025")
    repay(repaid, principal=M, paid="01/03/2025")
    figures = assert_same(area, [day("30/12/2025"), D])
    assert (figures[D]["clubs"]["XC-BD"]["older"], figures[D]["poor_older"]) == (1, 1)
    assert (figures[day("30/12/2025")]["clubs"]["XC-BD"]["older"], figures[day("30/12/2025")]["poor_older"]) == (0, 0)
    assert figures[D]["outstanding_principal"] == 0 and figures[D]["par30"] == Decimal("0.0")

    # A scope whose clubs have no members left, and a scope with no club at all.
    club.dissolved_on = day("30/12/2025")
    club.save()
    lonely = ClubFactory(code="XC-NOBODY", commune=area, founded_on=day("01/03/2022"))
    member(lonely, left_on=day("01/06/2025"))
    figures = assert_same(area, [D])
    assert figures[D]["clubs_active"] == 1 and figures[D]["members_active"] == 0
    assert figures[D]["women_pct"] == figures[D]["older_pct"] == figures[D]["par30"] == Decimal("0.0")
    nothing = empty_commune()
    figures = assert_same(nothing, [D])
    assert figures[D]["clubs_active"] == 0
    assert figures[D]["clubs_active_by_track"] == {"existing": 0, "new_budget": 0, "new_rotation": 0, "other": 0}
    assert figures[D]["members_by_track"] == {"existing": 0, "new_budget": 0, "new_rotation": 0, "other": 0}


# ------------------------------------------------------------------ the demo data

DEMO_DATES = [day(t) for t in ("31/12/2022", "31/12/2023", "31/12/2024", "30/06/2025", "31/12/2025", "01/01/2026")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed the demo once for the module, inside a transaction rolled back at the end (each test's
    own transaction nests in it as a savepoint), and load the hand-count register once."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            register = Register()
            rows = {as_of: register.club_rows(as_of) for as_of in DEMO_DATES}
            dissolved = Club.objects.filter(dissolved_on__isnull=False).select_related("commune__parent").first()
            district = dissolved.commune.parent if dissolved else Area.objects.districts().order_by("code").first()
            commune = (
                Area.objects.communes().filter(parent=district, clubs__isnull=False).order_by("code").first()
            )
            yield {"register": register, "rows": rows, "district": district, "commune": commune}
            transaction.set_rollback(True)


def demo_scope(demo, name):
    return Area.objects.get(level=Area.Level.PROVINCE) if name == "province" else demo[name]


@pytest.mark.parametrize("scope", ["province", "district", "commune"])
@pytest.mark.parametrize("as_of", DEMO_DATES, ids=lambda d: d.isoformat())
def test_demo_data_every_key_and_every_club_matches_the_hand_count(demo, as_of, scope):
    area = demo_scope(demo, scope)
    problems, expected = mismatches(demo["register"], area, as_of, rows=demo["rows"][as_of])
    assert not problems, "\n".join(problems)
    if scope == "province" and as_of.year >= 2023:
        # The comparison means something only if the demo exercises the figures.
        assert expected["clubs_active"] > 0 and expected["outstanding_principal"] > 0


def test_demo_data_every_former_district_and_commune_matches_the_hand_count(demo):
    register = demo["register"]
    areas = list(Area.objects.districts().order_by("code")) + list(
        Area.objects.communes().filter(clubs__isnull=False).distinct().order_by("code")
    )
    problems = []
    for as_of in DEMO_DATES:
        for area in areas:
            problems += mismatches(register, area, as_of, rows=demo["rows"][as_of], command=False)[0]
    assert not problems, "\n".join(problems[:50])


def test_demo_data_at_other_dates_matches_the_hand_count(demo):
    """Dates that are not year ends: a leap day, mid-month, the seeding day's month."""
    register = demo["register"]
    areas = [Area.objects.get(level=Area.Level.PROVINCE), *Area.objects.districts().order_by("code")]
    problems = []
    for as_of in [day(t) for t in ("28/02/2024", "29/02/2024", "01/03/2024", "15/06/2025", "30/09/2026")]:
        rows = register.club_rows(as_of)
        for area in areas:
            problems += mismatches(register, area, as_of, rows=rows, command=False)[0]
    assert not problems, "\n".join(problems[:50])


def test_demo_data_scopes_chosen_cover_a_dissolved_club_and_real_figures(demo):
    rows = demo["rows"][day("31/12/2025")]
    province = demo["register"].indicators(demo_scope(demo, "province"), day("31/12/2025"), rows)
    district = demo["register"].indicators(demo["district"], day("31/12/2025"), rows)
    assert province["clubs_active"] >= 70
    assert 0 < district["clubs_active"] < province["clubs_active"]
    assert province["outstanding_principal"] > 0 and province["par30"] > 0
    assert 0 < province["clubs_well_run"] < province["clubs_active"]


def test_meetings_and_standard_at_month_boundaries_and_a_commune_whose_only_club_dissolved():
    """§8: a month is required when it lies whole between the founding date and D."""
    area = empty_commune()
    other = Area.objects.communes().filter(clubs__isnull=True).exclude(pk=area.pk).order_by("code").first()
    m01 = ClubFactory(code="XC-M01", commune=area, founded_on=day("01/03/2025"))  # March is required
    for _ in range(2):
        member(m01, joined_on=day("01/03/2025"))
    member(m01, gender=Member.Gender.MALE, joined_on=day("01/03/2025"))
    for held in ("31/03/2025", "30/04/2025", "31/05/2025", "30/06/2025"):  # the last day of each month
        Meeting.objects.create(club=m01, held_on=day(held))
    for number in ActivityArea.values:
        ActivityFactory(club=m01, area=number, date=day("01/06/2025"))
    m02 = ClubFactory(code="XC-M02", commune=area, founded_on=day("02/03/2025"))  # March is not
    member(m02, joined_on=day("02/03/2025"))
    for held in ("01/04/2025", "15/05/2025"):
        Meeting.objects.create(club=m02, held_on=day(held))
    m03 = ClubFactory(code="XC-M03", commune=area, founded_on=day("01/03/2022"))
    member(m03, joined_on=day("01/03/2022"))
    for month in (1, 3, 4, 5, 6):  # no meeting in February
        Meeting.objects.create(club=m03, held_on=datetime.date(2025, month, 10))
    gone = ClubFactory(code="XC-GONE", commune=other, founded_on=day("01/03/2022"), dissolved_on=day("01/05/2025"))
    member(gone, joined_on=day("01/03/2022"))
    Meeting.objects.create(club=gone, held_on=day("10/04/2025"))

    mid_june, end_june, mid_january = day("15/06/2025"), day("30/06/2025"), day("15/01/2025")
    figures = assert_same(area, [mid_january, mid_june, end_june])

    clubs = figures[mid_june]["clubs"]
    assert [clubs[c]["required_months"] for c in ("XC-M01", "XC-M02", "XC-M03")] == [3, 2, 5]
    assert [clubs[c]["meetings_ok"] for c in ("XC-M01", "XC-M02", "XC-M03")] == [True, True, False]
    assert [clubs[c]["standard_ok"] for c in ("XC-M01", "XC-M02", "XC-M03")] == [True, False, False]
    at = figures[mid_june]
    assert (at["clubs_meetings_ok"], at["clubs_standard"]) == (2, 1)
    assert (at["communes_total"], at["communes_covered"], at["communes_standard"]) == (1, 1, 1)
    assert at["members_joined"] == 4  # XC-M01's three and XC-M02's one joined in 2025
    assert at["older_women_pct"] == Decimal("80.0")  # 4 of the 5 older members

    clubs = figures[end_june]["clubs"]
    assert [clubs[c]["required_months"] for c in ("XC-M01", "XC-M02", "XC-M03")] == [4, 3, 6]
    assert [clubs[c]["meetings_ok"] for c in ("XC-M01", "XC-M02", "XC-M03")] == [True, False, False]

    # Before the end of January no month is required yet: every club with members meets the rule.
    assert all(c["required_months"] == 0 and c["meetings_ok"] for c in figures[mid_january]["clubs"].values())

    register = Register()
    problems, dissolved_only = mismatches(register, other, mid_june)
    assert not problems, "\n".join(problems)
    assert (dissolved_only["communes_total"], dissolved_only["communes_covered"]) == (1, 0)
    before, at_april = mismatches(register, other, day("30/04/2025"))
    assert not before and at_april["communes_covered"] == 1 and at_april["clubs"]["XC-GONE"]["meetings_ok"] is False
