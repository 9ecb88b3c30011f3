"""Fund balances and loan-book figures, computed from rows (indicators.md §5 and §7).

Nothing here is stored: every balance is a sum of FundEntry, Loan and Repayment rows dated on or
before the day asked about. Reporting, the workbook and the indicators reuse these functions, so a
figure is computed the same way on every page, export and PDF.

- income_cash(club, on) / activity_balance(club, on) / fund_balance(club, fund, on): one club.
- balances(clubs, on): {club_id: Balances} for many clubs in a fixed number of queries.
- daily_movements(club, fund, since): net change per day, for the "never negative" rule.
- portfolio(loans, on): outstanding principal and PAR30 of any loan queryset, from the aggregates of
  loan_sums(on) and repayment_sums(on), which the indicators group by club: the one definition.
- percent_1dp (from clubs.formatting): percent rounded half-up to one decimal, integer arithmetic.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from clubs.formatting import percent_1dp

from .models import EntryKind, Fund, FundEntry, Loan, Repayment

ONE_DAY = datetime.timedelta(days=1)
PAR_DAYS = 30


def _in_out(entries):
    totals = entries.aggregate(
        thu=Sum("amount", filter=Q(kind=EntryKind.IN), default=0),
        chi=Sum("amount", filter=Q(kind=EntryKind.OUT), default=0),
    )
    return totals["thu"] - totals["chi"]


def activity_balance(club, on):
    """Activity fund at the end of `on`: Thu − Chi dated on or before `on`."""
    return _in_out(FundEntry.objects.filter(club=club, fund=Fund.ACTIVITY, date__lte=on))


def income_cash(club, on):
    """Income-generation fund cash at the end of `on`: Thu − Chi − loans disbursed + principal
    repaid + interest/fees paid, each dated on or before `on`."""
    entries = _in_out(FundEntry.objects.filter(club=club, fund=Fund.INCOME, date__lte=on))
    lent = Loan.objects.filter(club=club, disbursed_on__lte=on).aggregate(s=Sum("principal", default=0))["s"]
    paid = Repayment.objects.filter(loan__club=club, paid_on__lte=on).aggregate(
        s=Sum(F("principal") + F("interest"), default=0)
    )["s"]
    return entries - lent + paid


def fund_balance(club, fund, on):
    return income_cash(club, on) if fund == Fund.INCOME else activity_balance(club, on)


@dataclass(frozen=True)
class Balances:
    income: int = 0
    activity: int = 0


def balances(clubs, on):
    """{club_id: Balances(income, activity)} for every club of a queryset or list, in three queries."""
    club_ids = [c.pk for c in clubs] if isinstance(clubs, (list, tuple)) else clubs.values("pk")
    income, activity = defaultdict(int), defaultdict(int)
    rows = (
        FundEntry.objects.filter(club__in=club_ids, date__lte=on)
        .values("club_id", "fund")
        .annotate(
            thu=Sum("amount", filter=Q(kind=EntryKind.IN), default=0),
            chi=Sum("amount", filter=Q(kind=EntryKind.OUT), default=0),
        )
        .order_by()
    )
    for row in rows:
        target = income if row["fund"] == Fund.INCOME else activity
        target[row["club_id"]] += row["thu"] - row["chi"]
    for row in (
        Loan.objects.filter(club__in=club_ids, disbursed_on__lte=on)
        .values("club_id").annotate(s=Sum("principal")).order_by()
    ):
        income[row["club_id"]] -= row["s"]
    for row in (
        Repayment.objects.filter(loan__club__in=club_ids, paid_on__lte=on)
        .values("loan__club_id").annotate(s=Sum(F("principal") + F("interest"))).order_by()
    ):
        income[row["loan__club_id"]] += row["s"]
    ids = set(income) | set(activity)
    if isinstance(clubs, (list, tuple)):
        ids |= {c.pk for c in clubs}
    return {pk: Balances(income[pk], activity[pk]) for pk in ids}


def daily_movements(club, fund, since=None):
    """{date: net change of the fund that day} for days on or after `since` that have rows."""
    moves = defaultdict(int)
    entries = FundEntry.objects.filter(club=club, fund=fund)
    if since is not None:
        entries = entries.filter(date__gte=since)
    for row in entries.values("date").annotate(
        thu=Sum("amount", filter=Q(kind=EntryKind.IN), default=0),
        chi=Sum("amount", filter=Q(kind=EntryKind.OUT), default=0),
    ).order_by():
        moves[row["date"]] += row["thu"] - row["chi"]
    if fund == Fund.INCOME:
        loans = Loan.objects.filter(club=club)
        reps = Repayment.objects.filter(loan__club=club)
        if since is not None:
            loans = loans.filter(disbursed_on__gte=since)
            reps = reps.filter(paid_on__gte=since)
        for row in loans.values("disbursed_on").annotate(s=Sum("principal")).order_by():
            moves[row["disbursed_on"]] -= row["s"]
        for row in reps.values("paid_on").annotate(s=Sum(F("principal") + F("interest"))).order_by():
            moves[row["paid_on"]] += row["s"]
    return dict(moves)


def first_negative_day(club, fund, on, delta):
    """If adding `delta` on day `on` would leave the fund negative at the end of that day or any
    later day that has rows, return (day, balance); else None. A back-dated withdrawal is checked
    against every later balance, not only its own day's."""
    balance = fund_balance(club, fund, on - ONE_DAY)
    moves = daily_movements(club, fund, since=on)
    moves[on] = moves.get(on, 0) + delta
    for day in sorted(moves):
        balance += moves[day]
        if balance < 0:
            return day, balance
    return None


@dataclass(frozen=True)
class Portfolio:
    """Loan-book figures at a date: indicators.md §5 `outstanding_principal` and `par30`."""

    on: datetime.date
    disbursed_count: int
    disbursed_amount: int
    outstanding: int
    at_risk: int

    @property
    def par30(self):
        return percent_1dp(self.at_risk, self.outstanding)


def par_cutoff(on):
    """Loans due strictly before this day are more than 30 days late at `on` (PAR30)."""
    return on - datetime.timedelta(days=PAR_DAYS)


# Outstanding principal at D (indicators.md §5) is principal of the loans disbursed on or before D
# minus principal repaid on or before D: linear, so plain sums of loans and of repayments give it,
# for one club or grouped by club. PAR30 is too: repaid principal never exceeds a loan's principal
# at any date (services._check_principal_path, the importer's running total), so a loan repaid in
# full contributes 0 to "principal minus repaid" and needs no per-loan test.
def loan_sums(on):
    """Aggregates over Loan rows: `lent` (principal disbursed on or before `on`) and `lent_late`
    (the part of it due before par_cutoff(on))."""
    live = Q(disbursed_on__lte=on)
    return {
        "lent": Sum("principal", filter=live, default=0),
        "lent_late": Sum("principal", filter=live & Q(due_on__lt=par_cutoff(on)), default=0),
    }


def repayment_sums(on):
    """Aggregates over Repayment rows, the counterparts of loan_sums(on): `repaid` and `repaid_late`
    (principal repaid on or before `on` on loans disbursed on or before it; reversal rows count
    with their negative amounts)."""
    live = Q(paid_on__lte=on, loan__disbursed_on__lte=on)
    return {
        "repaid": Sum("principal", filter=live, default=0),
        "repaid_late": Sum("principal", filter=live & Q(loan__due_on__lt=par_cutoff(on)), default=0),
    }


def portfolio(loans, on):
    """Outstanding principal and PAR30 at `on` of a Loan queryset (one club, a district, the province).
    Two queries."""
    lent = loans.aggregate(n=Count("pk", filter=Q(disbursed_on__lte=on)), **loan_sums(on))
    repaid = Repayment.objects.filter(loan__in=loans.values("pk")).aggregate(**repayment_sums(on))
    return Portfolio(
        on=on,
        disbursed_count=lent["n"],
        disbursed_amount=lent["lent"],
        outstanding=lent["lent"] - repaid["repaid"],
        at_risk=lent["lent_late"] - repaid["repaid_late"],
    )
