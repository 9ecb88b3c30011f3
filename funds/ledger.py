"""Fund balances and loan-book figures, computed from rows (indicators.md §5 and §7).

Nothing here is stored: every balance is a sum of FundEntry, Loan and Repayment rows dated on or
before the day asked about. Reporting, the workbook and the indicators reuse these functions, so a
figure is computed the same way on every page, export and PDF.

- income_cash(club, on) / activity_balance(club, on) / fund_balance(club, fund, on): one club.
- balances(clubs, on): {club_id: Balances} for many clubs in a fixed number of queries.
- daily_movements(club, fund, since): net change per day, for the "never negative" rule.
- portfolio(loans, on): outstanding principal and PAR30 of any loan queryset.
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


def portfolio(loans, on):
    """Outstanding principal and PAR30 at `on` of a Loan queryset (one club, a district, the province).

    At risk: loans whose due date is more than 30 days before `on` and that still owe principal at
    `on`. A repaid loan contributes 0 either way, so sums of principal minus sums of repayments
    give the exact figure in two queries."""
    cutoff = on - datetime.timedelta(days=PAR_DAYS)
    loans = loans.filter(disbursed_on__lte=on)
    lent = loans.aggregate(
        n=Count("pk"),
        total=Sum("principal", default=0),
        late=Sum("principal", filter=Q(due_on__lt=cutoff), default=0),
    )
    repaid = Repayment.objects.filter(loan__in=loans.values("pk"), paid_on__lte=on).aggregate(
        total=Sum("principal", default=0),
        late=Sum("principal", filter=Q(loan__due_on__lt=cutoff), default=0),
    )
    return Portfolio(
        on=on,
        disbursed_count=lent["n"],
        disbursed_amount=lent["total"],
        outstanding=lent["total"] - repaid["total"],
        at_risk=lent["late"] - repaid["late"],
    )
