"""Every definition of indicators.md at its boundaries, computed through reporting.indicators."""
import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q, Sum
from django.test.utils import CaptureQueriesContext

from clubs.formatting import percent_1dp
from clubs.models import Area, Club, Member, Track
from clubs.tests.factories import ClubFactory, MemberFactory, add_members, commune, district
from funds.models import EntryKind, Fund, Loan, Repayment
from reporting.figures import TRACKS, target_met
from reporting.indicators import (
    _band_aggregates, _bands, club_figures, compute, compute_breakdown, dashboard_figures, year_ends,
)

from .builders import D, all_areas, entry, good_club, loan, repay

pytestmark = pytest.mark.django_db


def province():
    return Area.objects.resolve()


def figures(club, as_of=D):
    rows = {c.code: c for c in club_figures(area=province(), as_of=as_of)}
    return rows.get(club.code)


# ------------------------------------------------------------------ arithmetic


@pytest.mark.parametrize(
    ("count", "den", "expected"),
    [(1, 16, "6.3"), (1, 8, "12.5"), (2, 3, "66.7"), (1, 3, "33.3"), (5, 2000, "0.3"), (1, 2000, "0.1"),
     (0, 7, "0.0"), (3, 0, "0.0"), (7, 7, "100.0")],
)
def test_percentages_round_half_up_to_one_decimal(count, den, expected):
    # 1/16 = 6.25 % and 1/2000 = 0.05 %: half-up, not banker's rounding.
    assert percent_1dp(count, den) == Decimal(expected)
    assert str(percent_1dp(count, den)) == expected


def test_target_in_percent_compared_in_integers():
    assert target_met(49, 70, 70)  # 4900 ≥ 4900
    assert not target_met(48, 70, 70)
    assert target_met(7, 70, 10)
    assert not target_met(6, 70, 10)


# ------------------------------------------------------------------ composition


def test_good_club_passes_every_check():
    club, _ = good_club()
    f = figures(club)
    assert (f.n, f.women, f.older, f.borrowers) == (40, 28, 26, 20)
    assert all(f.checks.values()), f.checks


def test_exactly_40_members_is_enough_and_39_is_not():
    club = ClubFactory()
    add_members(club, women=26, men=14, older_women=26, older_men=0)  # 65% women, 65% older
    f = figures(club)
    assert f.n == 40 and f.size_ok and f.women_ok and f.older_ok and f.composition_ok
    leaving = Member.objects.filter(club=club, gender=Member.Gender.MALE).first()
    leaving.left_on = datetime.date(2025, 6, 1)
    leaving.save()
    f = figures(club)
    assert f.n == 39 and not f.size_ok and not f.composition_ok


@pytest.mark.parametrize(
    ("women", "ok"),
    [(23, False), (24, True), (28, True), (29, False)],  # of 40: 57.5%, 60%, 70%, 72.5%
)
def test_women_share_between_60_and_70_percent_inclusive(women, ok):
    club = ClubFactory()
    add_members(club, women=women, men=40 - women, older_women=min(women, 26), older_men=max(0, 26 - women))
    f = figures(club)
    assert f.women == women and f.older == 26
    assert f.women_ok is ok
    assert f.composition_ok is ok


@pytest.mark.parametrize(
    ("older", "ok"),
    [(23, False), (24, True), (28, True), (29, False)],
)
def test_older_share_between_60_and_70_percent_inclusive(older, ok):
    club = ClubFactory()
    add_members(club, women=26, men=14, older_women=min(older, 26), older_men=max(0, older - 26))
    f = figures(club)
    assert f.older == older and f.women_ok
    assert f.older_ok is ok


def test_share_boundary_on_a_club_not_of_40():
    # 50 members: 30 women is exactly 60%, 35 exactly 70%; 36 = 72% fails.
    club = ClubFactory()
    add_members(club, women=35, men=15, older_women=30, older_men=0)
    f = figures(club)
    assert (f.n, f.women, f.older) == (50, 35, 30) and f.women_ok and f.older_ok
    MemberFactory(club=club, gender=Member.Gender.FEMALE, birth_year=1985)  # 36/51 = 70.6%
    assert not figures(club).women_ok


# ------------------------------------------------------------------ ages


@pytest.mark.parametrize(
    ("birth_date", "older"),
    [
        (datetime.date(1965, 12, 31), True),   # turns 60 on D
        (datetime.date(1966, 1, 1), False),    # turns 60 the day after D
        (datetime.date(1965, 12, 30), True),
    ],
)
def test_age_60_reached_on_reference_date_with_birth_date(birth_date, older):
    club = ClubFactory()
    m = MemberFactory(club=club, birth_year=birth_date.year, birth_date=birth_date)
    assert (figures(club).older == 1) is older
    assert (m.age_on(D) >= 60) is older


def test_age_60_mid_year_birthday():
    club = ClubFactory()
    MemberFactory(club=club, birth_year=1965, birth_date=datetime.date(1965, 7, 15))
    assert figures(club, datetime.date(2025, 7, 15)).older == 1
    assert figures(club, datetime.date(2025, 7, 14)).older == 0


@pytest.mark.parametrize(("birth_year", "older"), [(1965, True), (1966, False)])
def test_age_with_only_birth_year_is_year_difference(birth_year, older):
    # Only the year known: at 1/1/2025 someone born in 1965 already counts as 60.
    club = ClubFactory()
    MemberFactory(club=club, birth_year=birth_year, birth_date=None)
    assert (figures(club, datetime.date(2025, 1, 1)).older == 1) is older
    assert (figures(club, D).older == 1) is older


def test_born_on_29_february():
    club = ClubFactory(founded_on=datetime.date(2020, 1, 1))
    MemberFactory(club=club, birth_year=1964, birth_date=datetime.date(1964, 2, 29))
    assert figures(club, datetime.date(2024, 2, 28)).older == 0
    assert figures(club, datetime.date(2024, 2, 29)).older == 1
    # In a year without 29 February, 60 completed years at 28/2 is the 1965-born on 28/2.
    other = ClubFactory(founded_on=datetime.date(2020, 1, 1))
    MemberFactory(club=other, birth_year=1965, birth_date=datetime.date(1965, 2, 28))
    MemberFactory(club=other, birth_year=1965, birth_date=datetime.date(1965, 3, 1))
    assert figures(other, datetime.date(2025, 2, 28)).older == 1


def test_poor_older_counts_older_members_of_poor_and_near_poor_households():
    club = ClubFactory()
    MemberFactory(club=club, birth_year=1950, household=Member.Household.POOR)
    MemberFactory(club=club, birth_year=1950, household=Member.Household.NEAR_POOR)
    MemberFactory(club=club, birth_year=1950)
    MemberFactory(club=club, birth_year=1980, household=Member.Household.POOR)  # younger: not counted
    assert figures(club).poor_older == 2
    assert compute(area=province(), as_of=D).poor_older == 2


# ------------------------------------------------------------------ active members and clubs


def test_member_leaving_on_reference_date_is_not_active_and_joining_on_it_is():
    club = ClubFactory()
    MemberFactory(club=club, left_on=D)
    MemberFactory(club=club, left_on=D + datetime.timedelta(days=1))
    MemberFactory(club=club, joined_on=D)
    MemberFactory(club=club, joined_on=D + datetime.timedelta(days=1))
    assert figures(club).n == 2


def test_club_dissolved_on_reference_date_is_not_active():
    club = ClubFactory(founded_on=datetime.date(2022, 1, 1), dissolved_on=D)
    add_members(club, women=1, men=0)
    assert figures(club) is None
    assert figures(club, D - datetime.timedelta(days=1)).n == 1
    result = compute(area=province(), as_of=D)
    assert result.clubs_active == 0 and result.members_active == 0


def test_club_founded_on_reference_date_is_active_and_founded_in_period():
    founded = ClubFactory(founded_on=D, track=Track.NEW_ROTATION)
    ClubFactory(founded_on=datetime.date(2024, 12, 31), track=Track.NEW_BUDGET)  # previous period
    ClubFactory(founded_on=datetime.date(2025, 1, 1), track=Track.NEW_BUDGET)
    ClubFactory(founded_on=D + datetime.timedelta(days=1), track=Track.EXISTING)  # not yet active
    result = compute(area=province(), as_of=D)
    assert founded.code in [c.code for c in result.clubs]
    assert result.clubs_active == 3
    assert result.clubs_active_by_track == {"existing": 0, "new_budget": 2, "new_rotation": 1, "other": 0}
    assert result.clubs_founded == {"existing": 0, "new_budget": 1, "new_rotation": 1, "other": 0}


def test_club_with_no_members_fails_every_check():
    club = ClubFactory()
    entry(club, fund=Fund.INCOME)
    entry(club, fund=Fund.ACTIVITY)
    all_areas(club)
    f = figures(club)
    assert f.n == 0
    assert not any(f.checks.values()), f.checks


# ------------------------------------------------------------------ funds and areas


def test_funds_ok_needs_income_thu_activity_entry_and_regulation():
    club, _ = good_club()
    assert figures(club).funds_ok
    no_reg, _ = good_club(regulation_on=None)
    assert not figures(no_reg).funds_ok
    late_reg, _ = good_club(founded_on=datetime.date(2022, 1, 1), regulation_on=D + datetime.timedelta(days=1))
    assert not figures(late_reg).funds_ok
    assert figures(late_reg, D + datetime.timedelta(days=1)).funds_ok


def test_funds_ok_counts_only_entries_on_or_before_reference_date():
    club = ClubFactory()
    add_members(club, women=28, men=12, older_women=18, older_men=8)
    entry(club, fund=Fund.INCOME, date=datetime.date(2025, 3, 1))
    entry(club, fund=Fund.ACTIVITY, kind=EntryKind.OUT, amount=1, date=D)  # any entry counts, dated on D
    assert figures(club).funds_ok
    assert not figures(club, D - datetime.timedelta(days=1)).funds_ok


def test_income_fund_needs_a_thu_entry_not_only_chi():
    club = ClubFactory()
    add_members(club, women=28, men=12, older_women=18, older_men=8)
    entry(club, fund=Fund.INCOME, kind=EntryKind.OUT)
    entry(club, fund=Fund.ACTIVITY)
    assert not figures(club).funds_ok


def test_reversed_thu_entry_does_not_count_once_reversed():
    club = ClubFactory()
    add_members(club, women=28, men=12, older_women=18, older_men=8)
    wrong = entry(club, fund=Fund.INCOME, date=datetime.date(2025, 3, 1))
    entry(club, fund=Fund.INCOME, kind=EntryKind.OUT, date=datetime.date(2025, 6, 1), reverses=wrong)
    entry(club, fund=Fund.ACTIVITY)
    assert figures(club, datetime.date(2025, 5, 31)).funds_ok  # not yet reversed then
    assert not figures(club).funds_ok


def test_areas_ok_needs_each_of_8_areas_in_the_period():
    club, _ = good_club()
    assert figures(club).areas_done == frozenset(range(1, 9)) and figures(club).areas_ok
    other = ClubFactory()
    add_members(other, women=28, men=12, older_women=18, older_men=8)
    all_areas(other, date=datetime.date(2024, 12, 31))  # previous year: does not count in 2025
    assert figures(other).areas_done == frozenset() and not figures(other).areas_ok
    assert figures(other, datetime.date(2024, 12, 31)).areas_ok
    all_areas(other, date=datetime.date(2025, 1, 1))
    assert figures(other).areas_ok and figures(other, datetime.date(2025, 1, 1)).areas_ok


def test_seven_areas_are_not_enough():
    club = ClubFactory()
    add_members(club, women=28, men=12, older_women=18, older_men=8)
    all_areas(club)
    club.activities.filter(area=8).delete()
    f = figures(club)
    assert f.areas_done == frozenset(range(1, 8)) and not f.areas_ok and not f.well_run


# ------------------------------------------------------------------ borrowers


def test_loan_repaid_on_1_january_makes_a_borrower_that_year():
    club, members = good_club(borrowers=0)
    ln = loan(members[0], disbursed_on=datetime.date(2024, 3, 1), due_on=datetime.date(2025, 3, 1))
    repay(ln, principal=ln.principal, paid_on=datetime.date(2025, 1, 1))
    assert figures(club).borrowers == 1


def test_loan_repaid_on_31_december_before_is_not_a_borrower():
    club, members = good_club(borrowers=0)
    ln = loan(members[0], disbursed_on=datetime.date(2024, 3, 1), due_on=datetime.date(2025, 3, 1))
    repay(ln, principal=3_000_000, paid_on=datetime.date(2024, 6, 1))
    repay(ln, principal=2_000_000, paid_on=datetime.date(2024, 12, 31))
    assert figures(club).borrowers == 0
    assert figures(club, datetime.date(2024, 12, 31)).borrowers == 1


def test_partly_repaid_loan_and_reversed_repayment_keep_a_borrower():
    club, members = good_club(borrowers=0)
    ln = loan(members[0], disbursed_on=datetime.date(2024, 3, 1), due_on=datetime.date(2025, 3, 1))
    wrong = repay(ln, principal=ln.principal, paid_on=datetime.date(2024, 11, 1))
    repay(ln, principal=-ln.principal, paid_on=datetime.date(2024, 11, 5), reverses=wrong)
    assert figures(club).borrowers == 1


def test_loan_reopened_in_the_period_by_a_reversal_makes_a_borrower():
    club, members = good_club(borrowers=0)
    ln = loan(members[0], disbursed_on=datetime.date(2024, 3, 1), due_on=datetime.date(2025, 3, 1))
    wrong = repay(ln, principal=ln.principal, paid_on=datetime.date(2024, 12, 15))  # 0 on 31/12/2024 ...
    repay(ln, principal=-ln.principal, paid_on=datetime.date(2025, 1, 10), reverses=wrong)  # ... owed again
    repay(ln, principal=ln.principal, paid_on=datetime.date(2025, 1, 20))  # finally repaid in 2025
    assert figures(club).borrowers == 1
    assert figures(club, datetime.date(2025, 1, 9)).borrowers == 0  # not yet reopened then
    assert figures(club, datetime.date(2024, 12, 31)).borrowers == 1  # owed during 2024


def test_reversal_and_correct_repayment_on_the_same_day_do_not_reopen():
    club, members = good_club(borrowers=0)
    ln = loan(members[0], disbursed_on=datetime.date(2024, 3, 1), due_on=datetime.date(2025, 3, 1))
    wrong = repay(ln, principal=ln.principal, paid_on=datetime.date(2024, 12, 15))
    # Corrected the same day: at the end of 10/01/2025 nothing is owed.
    repay(ln, principal=-ln.principal, paid_on=datetime.date(2025, 1, 10), reverses=wrong)
    repay(ln, principal=ln.principal, paid_on=datetime.date(2025, 1, 10))
    assert figures(club).borrowers == 0


def test_loan_disbursed_after_reference_date_does_not_count():
    club, members = good_club(borrowers=0)
    loan(members[0], disbursed_on=D + datetime.timedelta(days=1), due_on=datetime.date(2026, 6, 1))
    assert figures(club).borrowers == 0
    loan(members[1], disbursed_on=D, due_on=datetime.date(2026, 6, 1))
    assert figures(club).borrowers == 1


def test_member_with_several_loans_counts_once_and_former_members_not_at_all():
    club, members = good_club(borrowers=0)
    loan(members[0])
    loan(members[0], disbursed_on=datetime.date(2025, 5, 1))
    gone = MemberFactory(club=club, left_on=datetime.date(2025, 9, 1))
    loan(gone, principal=7_000_000)
    f = figures(club)
    assert f.borrowers == 1
    # Money covers every loan of the club, the former member's included.
    assert f.loans_disbursed_count == 3
    assert f.loans_disbursed_amount == 17_000_000
    assert f.outstanding_principal == 17_000_000


@pytest.mark.parametrize(("borrowers", "ok"), [(19, False), (20, True)])
def test_borrowers_ok_at_half_of_members(borrowers, ok):
    club, _ = good_club(borrowers=borrowers)
    f = figures(club)
    assert f.borrowers == borrowers
    assert f.borrowers_ok is ok and f.well_run is ok


# ------------------------------------------------------------------ money


def test_loans_disbursed_in_period_outstanding_and_repayments():
    club, members = good_club(borrowers=0)
    old = loan(members[0], principal=10_000_000, disbursed_on=datetime.date(2024, 12, 31), due_on=datetime.date(2025, 12, 31))
    new = loan(members[1], principal=4_000_000, disbursed_on=datetime.date(2025, 1, 1))
    loan(members[2], principal=9_000_000, disbursed_on=D + datetime.timedelta(days=1), due_on=datetime.date(2026, 12, 1))
    repay(old, principal=2_000_000, interest=100_000, paid_on=datetime.date(2025, 3, 1))
    r = repay(new, principal=1_000_000, paid_on=datetime.date(2025, 4, 1))
    repay(new, principal=-1_000_000, paid_on=datetime.date(2025, 4, 2), reverses=r)  # correction
    repay(old, principal=500_000, paid_on=D + datetime.timedelta(days=1))  # after D
    result = compute(area=province(), as_of=D)
    assert result.loans_disbursed_count == 1 and result.loans_disbursed_amount == 4_000_000
    assert result.outstanding_principal == 10_000_000 - 2_000_000 + 4_000_000
    j = result.to_json()
    assert j["loans_disbursed"] == {"count": 1, "amount": 4_000_000}


def test_par30_at_30_and_31_days_late():
    club, members = good_club(borrowers=0)
    due = datetime.date(2025, 11, 30)
    late = loan(members[0], principal=6_000_000, disbursed_on=datetime.date(2025, 1, 10), due_on=due)
    repay(late, principal=2_000_000, paid_on=datetime.date(2025, 6, 1))
    loan(members[1], principal=12_000_000, disbursed_on=datetime.date(2025, 1, 10), due_on=datetime.date(2026, 1, 10))
    # D − due = 30 days: not yet in PAR30.
    at_30 = compute(area=province(), as_of=due + datetime.timedelta(days=30))
    assert at_30.outstanding_principal == 16_000_000 and at_30.par30 == Decimal("0.0")
    # 31 days: 4,000,000 of 16,000,000 outstanding = 25.0%.
    at_31 = compute(area=province(), as_of=due + datetime.timedelta(days=31))
    assert at_31.par30_principal == 4_000_000 and at_31.par30 == Decimal("25.0")
    assert at_31.to_json()["par30"] == 25.0


def test_fully_repaid_late_loan_is_not_at_risk():
    club, members = good_club(borrowers=0)
    ln = loan(members[0], principal=3_000_000, disbursed_on=datetime.date(2025, 1, 10), due_on=datetime.date(2025, 5, 1))
    loan(members[1], principal=3_000_000, disbursed_on=datetime.date(2025, 1, 10), due_on=datetime.date(2025, 5, 1))
    repay(ln, principal=3_000_000, paid_on=datetime.date(2025, 9, 1))
    result = compute(area=province(), as_of=D)
    assert result.outstanding_principal == 3_000_000 and result.par30 == Decimal("100.0")
    assert compute(area=province(), as_of=datetime.date(2025, 8, 31)).par30 == Decimal("100.0")
    assert compute(area=province(), as_of=datetime.date(2025, 5, 31)).par30 == Decimal("0.0")


def test_par30_is_zero_when_nothing_is_outstanding():
    good_club(borrowers=0)
    result = compute(area=province(), as_of=D)
    assert result.outstanding_principal == 0 and result.par30 == Decimal("0.0")


# ------------------------------------------------------------------ scope and roll-up


def test_scope_by_district_and_commune():
    a, _ = good_club("CLB-A", commune=commune("03388"))  # district 105
    b = ClubFactory(code="CLB-B", commune=commune("03390"), track=Track.EXISTING)  # district 106
    add_members(b, women=3, men=1)
    # 03394 is a current commune in 109, but the same code was Thèn Sin (legacy, 106).
    c = ClubFactory(code="CLB-C", commune=commune("03394"))
    add_members(c, women=2, men=2, older_women=0, older_men=0)

    assert compute(area=Area.objects.resolve(district="105"), as_of=D).clubs_active == 1
    r106 = compute(area=Area.objects.resolve(district="106"), as_of=D)
    assert [x.code for x in r106.clubs] == ["CLB-B"] and r106.members_active == 4
    r = compute(area=Area.objects.resolve(commune="03394"), as_of=D)
    assert [x.code for x in r.clubs] == ["CLB-C"] and r.scope_level == "commune"
    assert r.women_pct == Decimal("50.0") and r.older_pct == Decimal("0.0")
    assert Area.objects.filter(code="03394").count() == 2  # the trap exists in the data
    prov = compute(area=province(), as_of=D)
    assert prov.clubs_active == 3 and prov.members_active == 48
    assert prov.women_pct == percent_1dp(33, 48) == Decimal("68.8")


def test_breakdown_by_district_and_commune_adds_up_to_the_province():
    good_club("CLB-A", commune=commune("03388"))
    good_club("CLB-A2", commune=commune("03408"))
    b = ClubFactory(code="CLB-B", commune=commune("03390"))
    add_members(b, women=5, men=0)
    prov = compute(area=province(), as_of=D)
    by_district = compute_breakdown(area=province(), as_of=D, level="district")
    assert len(by_district) == 8
    assert sum(d.clubs_active for d in by_district) == prov.clubs_active == 3
    assert sum(d.members_active for d in by_district) == prov.members_active == 85
    assert sum(d.outstanding_principal for d in by_district) == prov.outstanding_principal
    by_commune = compute_breakdown(area=province(), as_of=D, level="commune")
    assert len(by_commune) == 38
    assert sum(c.clubs_well_run for c in by_commune) == prov.clubs_well_run == 2
    d105 = compute_breakdown(area=district("105"), as_of=D, level="commune")
    assert {c.scope_code for c in d105 if c.clubs_active} == {"03388", "03408"}
    assert prov.communes_with_club == 3 and prov.communes_total == 38
    assert prov.communes_with_club_pct == Decimal("7.9")


def test_members_by_track_and_province_figures():
    good_club("CLB-N", track=Track.NEW_BUDGET)
    r = ClubFactory(code="CLB-R", track=Track.NEW_ROTATION)
    add_members(r, women=3, men=2, older_women=1, older_men=1)
    result = compute(area=province(), as_of=D)
    assert result.members_by_track == {"existing": 0, "new_budget": 40, "new_rotation": 5, "other": 0}
    assert result.clubs_composition_ok == 1 and result.clubs_funds_ok == 1
    assert result.clubs_areas_ok == 1 and result.clubs_borrowers_ok == 1 and result.clubs_well_run == 1
    assert result.women == 31 and result.older == 28
    assert result.women_pct == percent_1dp(31, 45) == Decimal("68.9")
    assert result.older_pct == percent_1dp(28, 45) == Decimal("62.2")


# ------------------------------------------------------------------ queries and output


def _count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_fixed_number_of_queries_for_3_and_30_clubs():
    province_area = province()

    def run():
        compute(area=province_area, as_of=D)
        compute_breakdown(area=province_area, as_of=D, level="commune")

    for i in range(3):
        good_club(f"Q{i:02d}", borrowers=2)
    small = _count_queries(run)
    for i in range(3, 30):
        club, members = good_club(f"Q{i:02d}", borrowers=2, commune=commune(["03388", "03390", "03394"][i % 3]))
        repay(members[0].loans.first(), principal=1_000, paid_on=datetime.date(2025, 5, 1))
    assert compute(area=province_area, as_of=D).clubs_active == 30
    assert _count_queries(run) == small


def test_indicators_command_prints_section_6_json():
    good_club("CLB-J", commune=commune("03388"))
    out = StringIO()
    call_command("indicators", "--as-of", "2025-12-31", "--district", "105", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {
        "as_of", "scope", "clubs", "clubs_active", "clubs_active_by_track", "clubs_founded", "members_active",
        "members_by_track", "women_pct", "older_pct", "poor_older", "clubs_composition_ok", "clubs_funds_ok",
        "clubs_areas_ok", "clubs_borrowers_ok", "clubs_well_run", "loans_disbursed", "outstanding_principal", "par30",
        # §8
        "clubs_meetings_ok", "clubs_standard", "communes_total", "communes_covered", "communes_standard",
        "members_joined", "older_women_pct",
        # docs/indicators-care.md §1
        "care",
    }
    assert data["as_of"] == "2025-12-31"
    assert data["scope"]["code"] == "105" and data["scope"]["level"] == "district"
    assert data["clubs_active_by_track"] == {"existing": 0, "new_budget": 1, "new_rotation": 0, "other": 0}
    assert data["women_pct"] == 70.0 and data["older_pct"] == 65.0
    assert '"women_pct": 70.0' in out.getvalue()
    assert data["loans_disbursed"] == {"count": 20, "amount": 100_000_000}
    assert data["clubs"] == [{
        "code": "CLB-J", "n": 40, "women": 28, "older": 26, "borrowers": 20, "size_ok": True, "women_ok": True,
        "older_ok": True, "composition_ok": True, "funds_ok": True, "areas_ok": True, "borrowers_ok": True,
        "well_run": True, "required_months": 12, "meetings_ok": True, "standard_ok": True,
        "care": {"health_sessions": 0, "members_checked": 0, "members_checked_pct": 0.0, "older_checked": 0,
                 "older_checked_pct": 0.0, "members_high": 0, "volunteers_active": 0, "recipients_active": 0,
                 "recipients_visited_ok": 0, "recipients_visited_pct": 0.0, "visits": 0},
    }]


def test_indicators_command_by_commune_and_bad_input():
    from django.core.management.base import CommandError

    good_club("CLB-C", commune=commune("03394"))
    out = StringIO()
    call_command("indicators", "--as-of", "2025-12-31", "--commune", "03394", "--json", stdout=out)
    assert json.loads(out.getvalue())["clubs_active"] == 1
    with pytest.raises(CommandError):
        call_command("indicators", "--as-of", "31/12/2025", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("indicators", "--as-of", "2025-12-31", "--district", "999", stdout=StringIO())


def test_indicators_command_explains_a_legacy_commune_code():
    from django.core.management.base import CommandError

    # A code that only a January-2025 commune had: the command names the current commune instead.
    from clubs.models import Area as A

    legacy_only = (
        A.objects.filter(level="legacy_commune").exclude(code__in=A.objects.filter(level="commune").values("code"))
        .select_related("successor").first()
    )
    with pytest.raises(CommandError, match=legacy_only.successor.code):
        call_command("indicators", "--as-of", "2025-12-31", "--commune", legacy_only.code, stdout=StringIO())


# ------------------------------------------------------------------ the dashboard's single pass

# The chart series by plain one-purpose queries, one per series: dashboard_figures computes them in
# the passes of club_figures, and must give exactly these.


def _members_by_age_band(*, area, as_of):
    """[(band label, women, men)] of active members at D, age as in §1. One query."""
    row = Member.objects.active(on=as_of).filter(area.club_filter("club__")).aggregate(**_band_aggregates(as_of))
    return _bands(row)


def _founded_by_year(*, area, as_of, years):
    """{year: {track: clubs}}: clubs_founded as the yearly report of each year gives it (active at
    31/12 of that year, or at D for D's year). One query."""
    out = {y: dict.fromkeys(TRACKS, 0) for y in years}
    rows = (
        Club.objects.in_area(area)
        .filter(founded_on__lte=as_of, founded_on__year__in=list(years))
        .order_by()
        .values_list("track", "founded_on", "dissolved_on")
    )
    for track, founded, dissolved in rows:
        end = min(datetime.date(founded.year, 12, 31), as_of)
        if dissolved is None or dissolved > end:
            out[founded.year][track] += 1
    return out


def _loans_by_year(*, area, as_of, years):
    """[(year, disbursed amount in the year, outstanding principal at 31/12 or D)], for the clubs
    active at each of those dates, as each yearly report computes them. Two queries."""
    ends = year_ends(as_of, years)

    def active(end, prefix):
        return Q(**{f"{prefix}founded_on__lte": end}) & (
            Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": end})
        )

    loan_aggs, repay_aggs = {}, {}
    for i, end in enumerate(ends):
        start = datetime.date(end.year, 1, 1)
        live = active(end, "club__") & Q(disbursed_on__lte=end)
        loan_aggs[f"d{i}"] = Sum("principal", filter=live & Q(disbursed_on__gte=start))
        loan_aggs[f"p{i}"] = Sum("principal", filter=live)
        repay_aggs[f"r{i}"] = Sum(
            "principal", filter=active(end, "loan__club__") & Q(loan__disbursed_on__lte=end, paid_on__lte=end)
        )
    loans = Loan.objects.filter(area.club_filter("club__")).aggregate(**loan_aggs) if ends else {}
    repaid = Repayment.objects.filter(area.club_filter("loan__club__")).aggregate(**repay_aggs) if ends else {}
    return [
        (end.year, loans[f"d{i}"] or 0, (loans[f"p{i}"] or 0) - (repaid[f"r{i}"] or 0))
        for i, end in enumerate(ends)
    ]


def test_dashboard_figures_equal_the_separate_series_including_a_dissolved_club():
    years = [2022, 2023, 2024, 2025]
    _club, members = good_club("CLB-D1", founded_on=datetime.date(2022, 3, 1), borrowers=5)
    gone, gone_members = good_club("CLB-D2", founded_on=datetime.date(2023, 2, 1), borrowers=3)
    gone.dissolved_on = datetime.date(2025, 3, 1)  # active at 31/12/2023 and 2024, not at D
    gone.save()
    old = loan(members[0], principal=8_000_000, disbursed_on=datetime.date(2023, 5, 1), due_on=datetime.date(2024, 5, 1))
    repay(old, principal=3_000_000, paid_on=datetime.date(2024, 1, 10))
    repay(gone_members[0].loans.first(), principal=1_000_000, paid_on=datetime.date(2025, 2, 1))
    loan(gone_members[1], principal=4_000_000, disbursed_on=datetime.date(2023, 6, 1), due_on=datetime.date(2024, 6, 1))
    bundle = dashboard_figures(area=province(), as_of=D, years=years)
    assert [c.code for c in bundle["rows"]] == ["CLB-D1"]
    assert bundle["rows"] == club_figures(area=province(), as_of=D)
    assert bundle["founded"] == _founded_by_year(area=province(), as_of=D, years=years)
    assert bundle["bands"] == _members_by_age_band(area=province(), as_of=D)
    assert bundle["loans"] == _loans_by_year(area=province(), as_of=D, years=years)
    # (year, disbursed, outstanding): the dissolved club counts at the ends of 2023 and 2024.
    assert bundle["loans"][1] == (2023, 12_000_000, 12_000_000)
    assert bundle["loans"][2] == (2024, 0, 9_000_000)


def test_amounts_beyond_the_integer_range_are_summed_exactly():
    club, members = good_club("CLB-BIG", borrowers=0)
    big = loan(members[0], principal=5_000_000_000, disbursed_on=datetime.date(2024, 3, 1))
    repay(big, principal=2_999_999_999, paid_on=datetime.date(2024, 9, 1))
    repay(big, principal=2_000_000_000, paid_on=datetime.date(2025, 3, 1))
    row = figures(club)
    assert row.outstanding_principal == 1
    assert row.borrowers == 1  # still owed 2.000.000.001 đ at the end of 2024
