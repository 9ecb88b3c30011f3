"""The fund rules of indicators.md §7 and issue 4, through the services staff screens call."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clubs.models import Club, Track
from clubs.tests.factories import ClubFactory, MemberFactory, commune
from funds import ledger, services
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment, Source

from .factories import LoanFactory, RepaymentFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def codes(exc):
    return {e.code for errs in exc.error_dict.values() for e in errs} if hasattr(exc, "error_dict") else {
        e.code for e in exc.error_list}


@pytest.fixture
def club(club_a):
    return club_a


@pytest.fixture
def funded(club, staff_a):
    """A club with 10.000.000 đ of income-fund capital on 01/04/2022."""
    services.fund_entry_record(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2022, 4, 1),
                               amount=10_000_000, source=Source.PROVINCE_BUDGET, description="Vốn", user=staff_a)
    return club


# ---------------------------------------------------------------- ledger entries


def test_entry_vouchers_are_numbered_per_club_fund_kind_and_year(club, staff_a):
    rec = lambda **kw: services.fund_entry_record(club=club, user=staff_a, description="", **kw)  # noqa: E731
    a = rec(fund=Fund.INCOME, kind=EntryKind.IN, date=D(2022, 4, 1), amount=1000, source=Source.MEMBERS)
    b = rec(fund=Fund.INCOME, kind=EntryKind.IN, date=D(2022, 5, 1), amount=1000, source=Source.MEMBERS)
    c = rec(fund=Fund.INCOME, kind=EntryKind.OUT, date=D(2022, 5, 2), amount=500)
    d = rec(fund=Fund.ACTIVITY, kind=EntryKind.IN, date=D(2023, 1, 5), amount=1000, source=Source.MEMBERS)
    assert [a.voucher_no, b.voucher_no, c.voucher_no, d.voucher_no] == [
        "PT-2022-0001", "PT-2022-0002", "PC-2022-0001", "PT-2023-0001"]
    assert a.created_by == staff_a and a.history.first().history_user == staff_a


def test_duplicate_voucher_number_is_refused(funded, staff_a):
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_record(club=funded, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2022, 5, 1),
                                   amount=1, source=Source.OTHER, voucher_no="PT-2022-0001", user=staff_a)
    assert "voucher_taken" in codes(exc.value)


def test_money_in_needs_a_source_and_rotation_is_its_own_action(club, staff_a):
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_record(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2022, 4, 1),
                                   amount=1000, source="", user=staff_a)
    assert codes(exc.value) == {"source_required"}
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_record(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2022, 4, 1),
                                   amount=1000, source=Source.ROTATION, user=staff_a)
    assert codes(exc.value) == {"rotation"}
    assert not FundEntry.objects.exists()


@pytest.mark.parametrize("day,code", [
    (D(2022, 2, 28), "before_founding"),
    (timezone.localdate() + datetime.timedelta(days=1), "future"),
])
def test_no_entry_before_founding_or_in_the_future(club, staff_a, day, code):
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_record(club=club, fund=Fund.ACTIVITY, kind=EntryKind.IN, date=day, amount=1000,
                                   source=Source.MEMBERS, user=staff_a)
    assert codes(exc.value) == {code}


def test_no_entry_after_dissolution(club, staff_a):
    Club.objects.filter(pk=club.pk).update(dissolved_on=D(2024, 1, 1))
    club.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_record(club=club, fund=Fund.ACTIVITY, kind=EntryKind.IN, date=D(2024, 1, 2),
                                   amount=1000, source=Source.MEMBERS, user=staff_a)
    assert codes(exc.value) == {"after_dissolved"}


def test_withdrawal_that_overdraws_is_refused_with_the_day_and_balance(funded, staff_a):
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_record(club=funded, fund=Fund.INCOME, kind=EntryKind.OUT, date=D(2022, 4, 2),
                                   amount=10_000_001, user=staff_a)
    assert codes(exc.value) == {"overdrawn"}
    assert "02/04/2022" in str(exc.value) and "-1 đ" in str(exc.value)
    services.fund_entry_record(club=funded, fund=Fund.INCOME, kind=EntryKind.OUT, date=D(2022, 4, 2),
                               amount=10_000_000, user=staff_a)
    assert ledger.income_cash(funded, D(2022, 4, 2)) == 0


def test_backdated_withdrawal_may_not_make_a_later_day_negative(funded, staff_a):
    # 01/04 +10M; 01/06 −8M. A −3M dated 01/05 leaves 7M that day, but −1M on 01/06.
    services.fund_entry_record(club=funded, fund=Fund.INCOME, kind=EntryKind.OUT, date=D(2022, 6, 1),
                               amount=8_000_000, user=staff_a)
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_record(club=funded, fund=Fund.INCOME, kind=EntryKind.OUT, date=D(2022, 5, 1),
                                   amount=3_000_000, user=staff_a)
    assert "01/06/2022" in str(exc.value)
    services.fund_entry_record(club=funded, fund=Fund.INCOME, kind=EntryKind.OUT, date=D(2022, 5, 1),
                               amount=2_000_000, user=staff_a)
    assert ledger.income_cash(funded, D(2022, 6, 1)) == 0


def test_activity_fund_is_checked_on_its_own(funded, staff_a):
    with pytest.raises(ValidationError):
        services.fund_entry_record(club=funded, fund=Fund.ACTIVITY, kind=EntryKind.OUT, date=D(2022, 5, 1),
                                   amount=1, user=staff_a)


# ---------------------------------------------------------------- reversals


def test_reversal_is_a_new_opposite_row_and_past_balances_stay(funded, staff_a):
    entry = FundEntry.objects.get(club=funded)
    rev = services.fund_entry_reverse(entry=entry, on=D(2023, 1, 10), reason="Ghi nhầm số tiền", user=staff_a)
    assert rev.kind == EntryKind.OUT and rev.amount == entry.amount and rev.reverses == entry
    assert rev.voucher_no == "PC-2023-0001" and "Ghi nhầm" in rev.description
    assert ledger.income_cash(funded, D(2023, 1, 9)) == 10_000_000
    assert ledger.income_cash(funded, D(2023, 1, 10)) == 0
    entry.refresh_from_db()
    assert entry.amount == 10_000_000 and entry.history.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_reverse(entry=entry, on=D(2023, 1, 11), reason="lần nữa", user=staff_a)
    assert codes(exc.value) == {"already_reversed"}
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_reverse(entry=rev, on=D(2023, 1, 11), reason="đảo của đảo", user=staff_a)
    assert codes(exc.value) == {"is_reversal"}


def test_reversal_needs_a_reason_and_a_date_not_before_the_entry(funded, staff_a):
    entry = FundEntry.objects.get(club=funded)
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_reverse(entry=entry, on=D(2023, 1, 10), reason=" ", user=staff_a)
    assert codes(exc.value) == {"reason"}
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_reverse(entry=entry, on=D(2022, 3, 31), reason="x", user=staff_a)
    assert codes(exc.value) == {"reversal_before"}


def test_reversing_capital_already_lent_out_is_refused(funded, staff_a):
    member = MemberFactory(club=funded)
    services.loan_disburse(club=funded, member=member, amount=6_000_000, on=D(2022, 5, 1), due_on=D(2023, 5, 1),
                           purpose="Nuôi lợn", rate=None, user=staff_a)
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_reverse(entry=FundEntry.objects.get(club=funded), on=D(2022, 6, 1), reason="x", user=staff_a)
    assert codes(exc.value) == {"overdrawn"}


# ---------------------------------------------------------------- loans


def test_loan_disbursement_moves_income_cash_and_gets_a_code(funded, staff_a):
    member = MemberFactory(club=funded)
    loan = services.loan_disburse(club=funded, member=member, amount=6_000_000, on=D(2022, 5, 1),
                                  due_on=D(2022, 11, 1), purpose="Nuôi lợn", rate=None, user=staff_a)
    assert loan.code == "KV-2022-001"
    assert ledger.income_cash(funded, D(2022, 4, 30)) == 10_000_000
    assert ledger.income_cash(funded, D(2022, 5, 1)) == 4_000_000
    assert loan.history.first().history_user == staff_a


def test_loan_that_overdraws_the_income_fund_is_refused(funded, staff_a):
    member = MemberFactory(club=funded)
    with pytest.raises(ValidationError) as exc:
        services.loan_disburse(club=funded, member=member, amount=10_000_001, on=D(2022, 5, 1),
                               due_on=D(2022, 11, 1), purpose="", rate=None, user=staff_a)
    assert codes(exc.value) == {"overdrawn"}
    assert not Loan.objects.exists()


def test_loan_only_to_a_member_active_in_that_club_on_the_day(funded, staff_a, club_b):
    joined_later = MemberFactory(club=funded, joined_on=D(2022, 6, 1))
    left = MemberFactory(club=funded, joined_on=D(2022, 3, 1), left_on=D(2022, 4, 15))
    other = MemberFactory(club=club_b)
    for member, code in ((joined_later, "member_not_active"), (left, "member_not_active"),
                         (other, "member_other_club")):
        with pytest.raises(ValidationError) as exc:
            services.loan_disburse(club=funded, member=member, amount=1_000_000, on=D(2022, 5, 1),
                                   due_on=D(2022, 11, 1), purpose="", rate=None, user=staff_a)
        assert codes(exc.value) == {code}


def test_loan_due_date_after_disbursement_and_codes_unique(funded, staff_a):
    member = MemberFactory(club=funded)
    with pytest.raises(ValidationError) as exc:
        services.loan_disburse(club=funded, member=member, amount=1_000_000, on=D(2022, 5, 1),
                               due_on=D(2022, 5, 1), purpose="", rate=None, user=staff_a)
    assert codes(exc.value) == {"due_not_after"}
    services.loan_disburse(club=funded, member=member, amount=1_000_000, on=D(2022, 5, 1),
                           due_on=D(2022, 11, 1), purpose="", rate=None, code="V1", user=staff_a)
    with pytest.raises(ValidationError) as exc:
        services.loan_disburse(club=funded, member=member, amount=1_000_000, on=D(2022, 5, 1),
                               due_on=D(2022, 11, 1), purpose="", rate=None, code="V1", user=staff_a)
    assert codes(exc.value) == {"code_taken"}


def test_backdated_loan_may_not_overdraw_a_later_day(funded, staff_a):
    member = MemberFactory(club=funded)
    services.loan_disburse(club=funded, member=member, amount=7_000_000, on=D(2022, 8, 1),
                           due_on=D(2023, 2, 1), purpose="", rate=None, user=staff_a)
    with pytest.raises(ValidationError) as exc:
        services.loan_disburse(club=funded, member=member, amount=4_000_000, on=D(2022, 6, 1),
                               due_on=D(2022, 12, 1), purpose="", rate=None, user=staff_a)
    assert "01/08/2022" in str(exc.value)


# ---------------------------------------------------------------- repayments


@pytest.fixture
def loan(funded, staff_a):
    member = MemberFactory(club=funded)
    return services.loan_disburse(club=funded, member=member, amount=6_000_000, on=D(2022, 5, 1),
                                  due_on=D(2022, 11, 1), purpose="Nuôi lợn", rate="0.5", user=staff_a)


def test_repayment_brings_principal_and_interest_back_to_the_income_fund(loan, staff_a):
    services.repayment_record(loan=loan, on=D(2022, 6, 1), principal=1_000_000, interest=30_000, user=staff_a)
    assert ledger.income_cash(loan.club, D(2022, 6, 1)) == 4_000_000 + 1_030_000
    row = Loan.objects.with_balance(D(2022, 6, 1)).get(pk=loan.pk)
    assert (row.repaid_principal, row.paid_interest, row.outstanding) == (1_000_000, 30_000, 5_000_000)


def test_repayment_never_exceeds_outstanding_principal(loan, staff_a):
    services.repayment_record(loan=loan, on=D(2022, 6, 1), principal=4_000_000, interest=0, user=staff_a)
    with pytest.raises(ValidationError) as exc:
        services.repayment_record(loan=loan, on=D(2022, 7, 1), principal=2_000_001, interest=0, user=staff_a)
    assert codes(exc.value) == {"exceeds"} and "2.000.000 đ" in str(exc.value)
    services.repayment_record(loan=loan, on=D(2022, 7, 1), principal=2_000_000, interest=0, user=staff_a)
    row = Loan.objects.with_balance().get(pk=loan.pk)
    assert row.outstanding == 0 and row.status_on(D(2022, 12, 1)) == "repaid"


def test_backdated_repayment_counts_later_repayments(loan, staff_a):
    services.repayment_record(loan=loan, on=D(2022, 9, 1), principal=5_000_000, interest=0, user=staff_a)
    with pytest.raises(ValidationError) as exc:
        services.repayment_record(loan=loan, on=D(2022, 6, 1), principal=1_500_000, interest=0, user=staff_a)
    assert codes(exc.value) == {"exceeds"} and "1.000.000 đ" in str(exc.value)


def test_repayment_dates_and_amounts(loan, staff_a):
    cases = [
        (D(2022, 4, 30), 100, 0, "before_disbursed"),
        (timezone.localdate() + datetime.timedelta(days=1), 100, 0, "future"),
        (D(2022, 6, 1), 0, 0, "empty"),
        (D(2022, 6, 1), -5, 0, "negative"),
    ]
    for on, p, i, code in cases:
        with pytest.raises(ValidationError) as exc:
            services.repayment_record(loan=loan, on=on, principal=p, interest=i, user=staff_a)
        assert codes(exc.value) == {code}


def test_repayment_reversal_negates_and_reopens_the_loan(loan, staff_a):
    rep = services.repayment_record(loan=loan, on=D(2022, 6, 1), principal=6_000_000, interest=50_000, user=staff_a)
    rev = services.repayment_reverse(repayment=rep, on=D(2022, 6, 3), reason="Nhập nhầm người", user=staff_a)
    assert (rev.principal, rev.interest, rev.reverses) == (-6_000_000, -50_000, rep)
    assert Loan.objects.with_balance(D(2022, 6, 2)).get(pk=loan.pk).outstanding == 0
    assert Loan.objects.with_balance(D(2022, 6, 3)).get(pk=loan.pk).outstanding == 6_000_000
    assert ledger.income_cash(loan.club, D(2022, 6, 3)) == 4_000_000
    with pytest.raises(ValidationError) as exc:
        services.repayment_reverse(repayment=rep, on=D(2022, 6, 4), reason="x", user=staff_a)
    assert codes(exc.value) == {"already_reversed"}


def test_repayment_reversal_refused_when_the_cash_is_already_lent_again(loan, staff_a):
    rep = services.repayment_record(loan=loan, on=D(2022, 6, 1), principal=6_000_000, interest=0, user=staff_a)
    other = MemberFactory(club=loan.club)
    services.loan_disburse(club=loan.club, member=other, amount=10_000_000, on=D(2022, 6, 2),
                           due_on=D(2023, 1, 1), purpose="", rate=None, user=staff_a)
    with pytest.raises(ValidationError) as exc:
        services.repayment_reverse(repayment=rep, on=D(2022, 6, 3), reason="x", user=staff_a)
    assert codes(exc.value) == {"overdrawn"}


# ---------------------------------------------------------------- collection sheet


def test_collection_sheet_is_all_or_nothing_with_errors_per_row(funded, staff_a):
    a = services.loan_disburse(club=funded, member=MemberFactory(club=funded), amount=3_000_000, on=D(2022, 5, 1),
                               due_on=D(2022, 11, 1), purpose="", rate=None, user=staff_a)
    b = services.loan_disburse(club=funded, member=MemberFactory(club=funded), amount=4_000_000, on=D(2022, 5, 1),
                               due_on=D(2022, 11, 1), purpose="", rate=None, user=staff_a)
    c = services.loan_disburse(club=funded, member=MemberFactory(club=funded), amount=2_000_000, on=D(2022, 5, 1),
                               due_on=D(2022, 11, 1), purpose="", rate=None, user=staff_a)
    rows = [
        {"loan": a, "principal": 500_000, "interest": 15_000},
        {"loan": b, "principal": 4_000_001, "interest": 0},  # more than owed
        {"loan": c, "principal": None, "interest": None},  # did not pay: skipped
    ]
    with pytest.raises(ValidationError) as exc:
        services.collection_sheet_record(club=funded, on=D(2022, 6, 10), rows=rows, user=staff_a)
    assert set(exc.value.error_dict) == {f"principal_{b.pk}"}
    assert not Repayment.objects.exists()
    rows[1]["principal"] = 4_000_000
    saved = services.collection_sheet_record(club=funded, on=D(2022, 6, 10), rows=rows, user=staff_a)
    assert len(saved) == 2
    assert ledger.income_cash(funded, D(2022, 6, 10)) == 1_000_000 + 515_000 + 4_000_000


def test_empty_collection_sheet_is_refused(funded, staff_a):
    with pytest.raises(ValidationError) as exc:
        services.collection_sheet_record(club=funded, on=D(2022, 6, 10), rows=[], user=staff_a)
    assert codes(exc.value) == {"empty"}


def test_collection_sheet_refuses_another_clubs_loan(funded, staff_a, club_b):
    foreign = LoanFactory(club=club_b)
    with pytest.raises(ValidationError) as exc:
        services.collection_sheet_record(club=funded, on=D(2022, 6, 10),
                                         rows=[{"loan": foreign, "principal": 1, "interest": 0}], user=staff_a)
    assert set(exc.value.error_dict) == {f"principal_{foreign.pk}"}


# ---------------------------------------------------------------- rotation


def test_rotation_creates_the_new_club_and_writes_both_sides(funded, staff_a):
    new, out, into = services.rotation_create(
        source_club=funded, amount=6_000_000, on=D(2023, 3, 1), user=staff_a,
        club_data={"code": "CLB-LC1", "name": "CLB Bản Mới", "commune": commune("03388"), "village": "Bản Mới"},
    )
    assert new.track == Track.NEW_ROTATION and new.source_club == funded and new.founded_on == D(2023, 3, 1)
    assert (out.kind, out.counterpart_club, out.club) == (EntryKind.OUT, new, funded)
    assert (into.kind, into.source, into.counterpart_club, into.club) == (EntryKind.IN, Source.ROTATION, funded, new)
    assert ledger.income_cash(funded, D(2023, 3, 1)) == 4_000_000
    assert ledger.income_cash(new, D(2023, 3, 1)) == 6_000_000
    assert list(funded.rotated_clubs.all()) == [new]


def test_rotation_to_an_existing_new_rotation_club(funded, staff_a):
    target = ClubFactory(code="CLB-LC2", track=Track.NEW_ROTATION, founded_on=D(2023, 1, 1))
    services.rotation_create(source_club=funded, amount=5_000_000, on=D(2023, 2, 1), new_club=target, user=staff_a)
    target.refresh_from_db()
    assert target.source_club == funded
    assert ledger.income_cash(target, D(2023, 2, 1)) == 5_000_000


def test_rotation_rules(funded, staff_a):
    budget_club = ClubFactory(code="CLB-NB", track=Track.NEW_BUDGET)
    other_source = ClubFactory(code="CLB-OS")
    taken = ClubFactory(code="CLB-TK", track=Track.NEW_ROTATION, source_club=other_source)
    cases = [
        ({"new_club": budget_club, "amount": 1_000_000}, "track"),
        ({"new_club": taken, "amount": 1_000_000}, "other_source"),
        ({"new_club": funded, "amount": 1_000_000}, "same_club"),
        ({"amount": 1_000_000}, "target_required"),
        ({"club_data": {"code": "CLB-X", "name": "X", "commune": commune("03388")}, "amount": 10_000_001}, "overdrawn"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationError) as exc:
            services.rotation_create(source_club=funded, on=D(2023, 2, 1), user=staff_a, **kwargs)
        assert codes(exc.value) == {code}, kwargs
    assert not Club.objects.filter(code="CLB-X").exists()
    assert FundEntry.objects.filter(counterpart_club__isnull=False).count() == 0


def test_rotation_creates_its_club_through_the_club_rules(funded, staff_a, staff_b):
    """club_create's rules apply: a code taken in another case, a commune outside the user's area."""
    from clubs.rules import CLUB_CODE_TAKEN
    from clubs.services import COMMUNE_NOT_ALLOWED

    ClubFactory(code="CLB-LC9")
    with pytest.raises(ValidationError) as exc:
        services.rotation_create(source_club=funded, amount=1_000_000, on=D(2023, 2, 1), user=staff_a,
                                 club_data={"code": "clb-lc9", "name": "X", "commune": commune("03388")})
    assert exc.value.error_dict["code"][0].message == CLUB_CODE_TAKEN
    with pytest.raises(ValidationError) as exc:
        services.rotation_create(source_club=funded, amount=1_000_000, on=D(2023, 2, 1), user=staff_b,
                                 club_data={"code": "CLB-LC8", "name": "X", "commune": commune("03388")})
    assert exc.value.error_dict["commune"][0].message == COMMUNE_NOT_ALLOWED
    assert not Club.objects.filter(code__in=["clb-lc9", "CLB-LC8"]).exists()
    new, _out, _into = services.rotation_create(
        source_club=funded, amount=1_000_000, on=D(2023, 2, 1), user=staff_a,
        club_data={"code": " CLB-LC7 ", "name": "CLB  Bản   Mới", "commune": commune("03388")})
    assert (new.code, new.name, new.history.first().history_user) == ("CLB-LC7", "CLB Bản Mới", staff_a)


def test_reversing_a_rotation_reverses_both_clubs(funded, staff_a):
    new, out, into = services.rotation_create(
        source_club=funded, amount=6_000_000, on=D(2023, 3, 1), user=staff_a,
        club_data={"code": "CLB-LC1", "name": "CLB Bản Mới", "commune": commune("03388")},
    )
    services.fund_entry_reverse(entry=out, on=D(2023, 3, 5), reason="Sai số tiền", user=staff_a)
    assert ledger.income_cash(funded, D(2023, 3, 5)) == 10_000_000
    assert ledger.income_cash(new, D(2023, 3, 5)) == 0
    assert FundEntry.objects.filter(reverses=into).exists()


def test_reversing_a_rotation_twice_says_it_is_already_reversed(funded, staff_a):
    _new, out, into = services.rotation_create(
        source_club=funded, amount=6_000_000, on=D(2023, 3, 1), user=staff_a,
        club_data={"code": "CLB-LC2", "name": "CLB Bản Hon", "commune": commune("03388")},
    )
    services.fund_entry_reverse(entry=out, on=D(2023, 3, 5), reason="Sai số tiền", user=staff_a)
    for side in (out, into):
        with pytest.raises(ValidationError) as exc:
            services.fund_entry_reverse(entry=side, on=D(2023, 3, 6), reason="Lần nữa", user=staff_a)
        assert codes(exc.value) == {"already_reversed"}
    assert FundEntry.objects.filter(reverses__isnull=False).count() == 2


def test_status_overdue_and_current():
    loan = LoanFactory(disbursed_on=D(2024, 1, 1), due_on=D(2024, 7, 1))
    RepaymentFactory(loan=loan, paid_on=D(2024, 3, 1), principal=1_000_000)
    row = Loan.objects.with_balance(D(2024, 7, 2)).get(pk=loan.pk)
    assert row.status_on(D(2024, 7, 2)) == "overdue" and row.days_overdue(D(2024, 7, 2)) == 1
    row = Loan.objects.with_balance(D(2024, 7, 1)).get(pk=loan.pk)
    assert row.status_on(D(2024, 7, 1)) == "current"
