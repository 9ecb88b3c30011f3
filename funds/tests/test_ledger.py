"""Balances, PAR30 and statements computed from rows, checked against sums a person would do by hand."""
import datetime
import random
from decimal import Decimal

import pytest

from clubs.tests.factories import ClubFactory, MemberFactory
from funds import ledger, services, statements
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment, Source

from .factories import FundEntryFactory, LoanFactory, RepaymentFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize("part,whole,expected", [
    (0, 0, "0.0"), (1, 3, "33.3"), (2, 3, "66.7"), (1, 8, "12.5"), (1, 16, "6.3"), (5, 5, "100.0"), (1, 2000, "0.1"),
    (1, 2001, "0.0"),
])
def test_percent_rounds_half_up_to_one_decimal(part, whole, expected):
    assert ledger.percent_1dp(part, whole) == Decimal(expected)


def test_par30_counts_loans_more_than_30_days_past_due_still_owing():
    club = ClubFactory()
    on = D(2025, 12, 31)
    late = LoanFactory(club=club, disbursed_on=D(2025, 1, 5), due_on=D(2025, 11, 30), principal=4_000_000)  # 31 days
    edge = LoanFactory(club=club, disbursed_on=D(2025, 1, 5), due_on=D(2025, 12, 1), principal=3_000_000)  # 30 days
    repaid = LoanFactory(club=club, disbursed_on=D(2024, 1, 5), due_on=D(2024, 7, 5), principal=5_000_000)
    LoanFactory(club=club, disbursed_on=D(2026, 1, 5), due_on=D(2026, 7, 5), principal=9_000_000)  # after D
    RepaymentFactory(loan=late, paid_on=D(2025, 6, 1), principal=1_000_000)
    RepaymentFactory(loan=repaid, paid_on=D(2024, 7, 1), principal=5_000_000)
    RepaymentFactory(loan=late, paid_on=D(2026, 1, 2), principal=3_000_000)  # after D: ignored
    p = ledger.portfolio(Loan.objects.filter(club=club), on)
    assert p.outstanding == 3_000_000 + 3_000_000
    assert p.at_risk == 3_000_000 and p.par30 == Decimal("50.0")
    assert (p.disbursed_count, p.disbursed_amount) == (3, 12_000_000)
    assert ledger.portfolio(Loan.objects.none(), on).par30 == Decimal("0.0")


def test_outstanding_during_follows_the_borrowers_rule():
    club = ClubFactory()
    repaid_2024 = LoanFactory(club=club, disbursed_on=D(2024, 1, 5), due_on=D(2024, 12, 5))
    RepaymentFactory(loan=repaid_2024, paid_on=D(2024, 12, 31), principal=5_000_000)
    repaid_new_year = LoanFactory(club=club, disbursed_on=D(2024, 1, 5), due_on=D(2024, 12, 5))
    RepaymentFactory(loan=repaid_new_year, paid_on=D(2025, 1, 1), principal=5_000_000)
    later = LoanFactory(club=club, disbursed_on=D(2026, 1, 5), due_on=D(2026, 12, 5))
    got = set(Loan.objects.outstanding_during(D(2025, 1, 1), D(2025, 12, 31)))
    assert got == {repaid_new_year}
    assert later not in got


def _hand_sums(club, fund, on):
    thu = sum(e.amount for e in FundEntry.objects.filter(club=club, fund=fund, kind=EntryKind.IN, date__lte=on))
    chi = sum(e.amount for e in FundEntry.objects.filter(club=club, fund=fund, kind=EntryKind.OUT, date__lte=on))
    if fund == Fund.ACTIVITY:
        return thu - chi
    lent = sum(ln.principal for ln in Loan.objects.filter(club=club, disbursed_on__lte=on))
    back = sum(r.principal + r.interest for r in Repayment.objects.filter(loan__club=club, paid_on__lte=on))
    return thu - chi - lent + back


@pytest.fixture
def busy_club(staff_a):
    """A club with a year of realistic activity written through the services, including reversals."""
    rng = random.Random(7)
    club = ClubFactory(founded_on=D(2024, 1, 1))
    members = [MemberFactory(club=club) for _ in range(12)]
    rec = services.fund_entry_record
    rec(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2024, 1, 10), amount=60_000_000,
        source=Source.PROVINCE_BUDGET, user=staff_a)
    rec(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2024, 2, 10), amount=5_000_000,
        source=Source.SOCIETY, user=staff_a)
    wrong = rec(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2024, 2, 11), amount=700_000,
                source=Source.MEMBERS, user=staff_a)
    services.fund_entry_reverse(entry=wrong, on=D(2024, 5, 2), reason="trùng", user=staff_a)
    loans = []
    for i, m in enumerate(members):
        loans.append(services.loan_disburse(
            club=club, member=m, amount=rng.randrange(3, 11) * 500_000, on=D(2024, 3, 1 + i),
            due_on=D(2024, 9, 1 + i), purpose="Chăn nuôi", rate=Decimal("0.5"), user=staff_a))
    for month in range(4, 10):
        rows = [{"loan": ln, "principal": ln.principal // 6, "interest": 10_000} for ln in loans[: 8 + month % 3]]
        services.collection_sheet_record(club=club, on=D(2024, month, 15), rows=rows, user=staff_a)
    services.repayment_reverse(repayment=Repayment.objects.filter(loan=loans[0]).first(), on=D(2024, 10, 1),
                               reason="nhầm", user=staff_a)
    for month in range(1, 13):
        rec(club=club, fund=Fund.ACTIVITY, kind=EntryKind.IN, date=D(2024, month, 5), amount=150_000,
            source=Source.MEMBERS, user=staff_a)
        rec(club=club, fund=Fund.ACTIVITY, kind=EntryKind.OUT, date=D(2024, month, 20), amount=100_000,
            description="Thăm hỏi", user=staff_a)
    rec(club=club, fund=Fund.INCOME, kind=EntryKind.OUT, date=D(2024, 12, 20), amount=400_000,
        description="Chuyển lãi sang quỹ hoạt động", user=staff_a)
    rec(club=club, fund=Fund.ACTIVITY, kind=EntryKind.IN, date=D(2024, 12, 20), amount=400_000,
        source=Source.LOAN_INTEREST, user=staff_a)
    return club


def test_balances_match_hand_sums_on_every_day_and_for_many_clubs(busy_club):
    for on in (D(2024, 1, 9), D(2024, 3, 5), D(2024, 5, 2), D(2024, 10, 1), D(2024, 12, 31)):
        assert ledger.income_cash(busy_club, on) == _hand_sums(busy_club, Fund.INCOME, on)
        assert ledger.activity_balance(busy_club, on) == _hand_sums(busy_club, Fund.ACTIVITY, on)
        many = ledger.balances([busy_club, ClubFactory()], on)
        assert many[busy_club.pk] == ledger.Balances(ledger.income_cash(busy_club, on),
                                                     ledger.activity_balance(busy_club, on))


def test_statement_reconciles_with_the_ledger_to_the_dong(busy_club):
    start, end = D(2024, 3, 1), D(2024, 11, 30)
    st = statements.statement(busy_club, start, end)
    inc, act = st.income, st.activity
    assert inc.reconciles and act.reconciles
    assert inc.opening == _hand_sums(busy_club, Fund.INCOME, start - datetime.timedelta(days=1))
    assert inc.closing == _hand_sums(busy_club, Fund.INCOME, end)
    in_period = lambda qs, f="date": qs.filter(**{f"{f}__gte": start, f"{f}__lte": end})  # noqa: E731
    loans = in_period(Loan.objects.filter(club=busy_club), "disbursed_on")
    reps = in_period(Repayment.objects.filter(loan__club=busy_club), "paid_on")
    assert inc.loans_disbursed == sum(ln.principal for ln in loans) and inc.loans_count == loans.count()
    assert inc.principal_repaid == sum(r.principal for r in reps)
    assert inc.interest_paid == sum(r.interest for r in reps)
    # The 700.000 đ members' contribution was reversed inside the period: it nets out of that source.
    assert inc.money_in == {Source.MEMBERS: -700_000}
    assert act.money_in == {Source.MEMBERS: 9 * 150_000} and act.money_out == 9 * 100_000
    whole = statements.statement(busy_club, D(2024, 1, 1), D(2024, 12, 31))
    assert whole.income.money_in == {Source.PROVINCE_BUDGET: 60_000_000, Source.SOCIETY: 5_000_000, Source.MEMBERS: 0}
    assert whole.income.closing == _hand_sums(busy_club, Fund.INCOME, D(2024, 12, 31))
    assert whole.activity.money_in[Source.LOAN_INTEREST] == 400_000
    assert sum(ln.outstanding for ln in whole.loans) == whole.portfolio.outstanding


def test_cash_book_running_balance_ends_at_the_ledger_balance(busy_club):
    for fund in Fund.values:
        opening, lines, closing = statements.cash_book(busy_club, fund, D(2024, 4, 1), D(2024, 10, 31))
        assert opening == _hand_sums(busy_club, fund, D(2024, 3, 31))
        assert closing == _hand_sums(busy_club, fund, D(2024, 10, 31))
        assert all(line.balance >= 0 for line in lines)


def test_rotation_shows_as_money_out_of_the_giver_and_in_of_the_receiver(staff_a):
    giver = ClubFactory(founded_on=D(2021, 1, 1))
    FundEntryFactory(club=giver, amount=30_000_000)
    new, _out, _in = services.rotation_create(
        source_club=giver, amount=20_000_000, on=D(2023, 4, 1), user=staff_a,
        club_data={"code": "CLB-R1", "name": "CLB R1", "commune": giver.commune})
    g = statements.statement(giver, D(2023, 1, 1), D(2023, 12, 31)).income
    r = statements.statement(new, D(2023, 1, 1), D(2023, 12, 31)).income
    assert (g.money_out, g.rotation_out, g.closing) == (20_000_000, 20_000_000, 10_000_000)
    assert r.money_in == {Source.ROTATION: 20_000_000} and r.closing == 20_000_000
