"""A club's funds statement and portfolio give the same outstanding principal, PAR30 and borrowers
as compute() (issue 11): both read the definitions of funds (ledger.loan_sums / repayment_sums,
LoanQuerySet.borrowers), so these checks fail as soon as one side re-codes a rule."""
import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from clubs.models import Area, Club
from funds import statements
from funds.models import Loan
from reporting.figures import period_start
from reporting.indicators import compute

from .builders import good_club, loan, repay

pytestmark = pytest.mark.django_db
DATES = [datetime.date(2024, 12, 31), datetime.date(2025, 6, 30), datetime.date(2025, 12, 31)]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo province, seeded once for the module in a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            yield
            transaction.set_rollback(True)


def statement_figures(club, as_of):
    st = statements.statement(club, period_start(as_of), as_of)
    return {
        "outstanding": st.portfolio.outstanding,
        "at_risk": st.portfolio.at_risk,
        "par30": st.portfolio.par30,
        "borrowers": st.borrowers,
        # The loan book lists exactly the loans outstanding in the period; its balances add up.
        "book_outstanding": sum(ln.outstanding for ln in st.loans),
    }


@pytest.mark.parametrize("as_of", DATES, ids=lambda d: d.isoformat())
def test_every_demo_club_statement_agrees_with_compute(demo, as_of):
    rows = {c.code: c for c in compute(area=Area.objects.resolve(), as_of=as_of).clubs}
    clubs = list(Club.objects.active(on=as_of).order_by("code"))
    assert len(clubs) == len(rows) > 20
    assert sum(r.borrowers for r in rows.values()) > 0 and sum(r.par30_principal for r in rows.values()) > 0
    differences = []
    for club in clubs:
        got, want = statement_figures(club, as_of), rows[club.code]
        expected = {
            "outstanding": want.outstanding_principal,
            "at_risk": want.par30_principal,
            "par30": compute(area=Area.objects.resolve(), as_of=as_of, clubs=[want]).par30,
            "borrowers": want.borrowers,
            "book_outstanding": want.outstanding_principal,
        }
        differences += [f"{club.code} {key}: statement {got[key]}, compute {expected[key]}"
                        for key in expected if got[key] != expected[key]]
    assert differences == []


def club_row(club, as_of):
    # By code: the module's demo data may be present too (its fixture lives as long as the module).
    return next(c for c in compute(area=Area.objects.resolve(), as_of=as_of).clubs if c.code == club.code)


def test_a_reversal_in_the_period_reopens_a_loan_in_the_statement_and_the_indicators():
    club, members = good_club("CLB-RO", borrowers=0)
    ln = loan(members[0], principal=5_000_000, disbursed_on=datetime.date(2024, 3, 1),
              due_on=datetime.date(2025, 3, 1))
    wrong = repay(ln, principal=5_000_000, paid_on=datetime.date(2024, 12, 20))
    repay(ln, principal=-5_000_000, paid_on=datetime.date(2025, 1, 10), reverses=wrong)
    end = datetime.date(2025, 12, 31)

    st = statements.statement(club, datetime.date(2025, 1, 1), end)
    assert [x.code for x in st.loans] == [ln.code]
    assert st.loans[0].outstanding == 5_000_000 and st.borrowers == 1
    assert list(Loan.objects.filter(club=club).outstanding_during(datetime.date(2025, 1, 1), end)) == [ln]
    row = club_row(club, end)
    assert (row.borrowers, row.outstanding_principal, row.par30_principal) == (1, 5_000_000, 5_000_000)

    # Before the reversal the loan was repaid on 20/12/2024: not outstanding in 2025 up to 09/01.
    early = datetime.date(2025, 1, 9)
    assert statements.statement(club, datetime.date(2025, 1, 1), early).loans == []
    assert club_row(club, early).borrowers == 0
