"""Small builders for indicator tests: a club that passes every §3 check, loans, ledger rows."""
import datetime
import itertools

from clubs.models import ActivityArea, Meeting
from clubs.tests.factories import ActivityFactory, ClubFactory, add_members
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment, Source

D = datetime.date(2025, 12, 31)
_seq = itertools.count(1)


def entry(club, *, fund=Fund.INCOME, kind=EntryKind.IN, amount=10_000_000, date=datetime.date(2025, 1, 5), reverses=None):
    return FundEntry.objects.create(
        club=club, fund=fund, kind=kind, amount=amount, date=date, reverses=reverses,
        voucher_no=f"PT{next(_seq):05d}",
        source=Source.PROVINCE_BUDGET if kind == EntryKind.IN and reverses is None else "",
    )


def loan(member, *, principal=5_000_000, disbursed_on=datetime.date(2025, 2, 1), due_on=datetime.date(2026, 2, 1)):
    return Loan.objects.create(
        club=member.club, member=member, code=f"KV{next(_seq):05d}", principal=principal,
        disbursed_on=disbursed_on, due_on=due_on,
    )


def repay(loan_, *, principal, paid_on, interest=0, reverses=None):
    return Repayment.objects.create(loan=loan_, principal=principal, interest=interest, paid_on=paid_on, reverses=reverses)


def monthly_meetings(club, *, year=2025, day=10):
    return [Meeting.objects.create(club=club, held_on=datetime.date(year, month, day)) for month in range(1, 13)]


def all_areas(club, *, date=datetime.date(2025, 6, 1)):
    for number in ActivityArea.values:
        ActivityFactory(club=club, area=number, date=date)


def good_club(code=None, *, borrowers=20, **kwargs):
    """A club passing every §3 and §8 check at 31/12/2025: 40 members (28 women = 70%, 26 older = 65%),
    both funds used, regulation adopted, all 8 areas done in 2025, a meeting in every month of 2025
    and `borrowers` members with a loan."""
    club = ClubFactory(**({"code": code} if code else {}), **kwargs)
    members = add_members(club, women=28, men=12, older_women=18, older_men=8)
    entry(club, fund=Fund.INCOME)
    entry(club, fund=Fund.ACTIVITY, amount=1_000_000)
    all_areas(club)
    monthly_meetings(club)
    for m in members[:borrowers]:
        loan(m)
    return club, members


def default_scorecard():
    """The scorecard migration 0006 seeds; seeded again when a transactional test flushed the tables."""
    from importlib import import_module

    from django.apps import apps

    from reporting.models import Scorecard

    if not Scorecard.objects.exists():
        import_module("reporting.migrations.0006_default_scorecard").seed(apps, None)
    return Scorecard.objects.get()
