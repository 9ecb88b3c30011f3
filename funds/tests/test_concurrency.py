"""Two people disbursing at the same moment cannot overdraw the income fund (PostgreSQL row lock)."""
import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from clubs.tests.factories import MemberFactory
from funds import ledger, services
from funds.models import EntryKind, Fund, Loan, Source

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SELECT … FOR UPDATE is what is being tested; SQLite has no row locks"),
]
D = datetime.date


def _race(club, members, user):
    """Both threads pass a barrier, then disburse 6.000.000 đ from a 10.000.000 đ fund. The balance
    check is slowed down so that, without the lock, both would read 10.000.000 đ before either writes."""
    barrier = threading.Barrier(2)
    results = {}

    def disburse(member):
        try:
            barrier.wait()
            loan = services.loan_disburse(club=club, member=member, amount=6_000_000, on=D(2024, 5, 1),
                                          due_on=D(2024, 11, 1), purpose="", rate=None,
                                          code=f"V{member.pk}", user=user)
            results[member.pk] = loan
        except ValidationError as e:
            results[member.pk] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=disburse, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.fixture
def slow_check(monkeypatch):
    real = ledger.first_negative_day

    def slow(*args, **kwargs):
        result = real(*args, **kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(services.ledger, "first_negative_day", slow)


@pytest.fixture
def club_with_10m(club_a, staff_a):
    services.fund_entry_record(club=club_a, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2024, 1, 1),
                               amount=10_000_000, source=Source.PROVINCE_BUDGET, user=staff_a)
    return club_a


def test_concurrent_disbursements_cannot_overdraw(club_with_10m, staff_a, slow_check):
    members = [MemberFactory(club=club_with_10m), MemberFactory(club=club_with_10m)]
    results = _race(club_with_10m, members, staff_a)
    loans = [r for r in results.values() if isinstance(r, Loan)]
    refused = [r for r in results.values() if isinstance(r, ValidationError)]
    assert len(loans) == 1 and len(refused) == 1
    assert "sẽ bị âm" in str(refused[0])
    assert ledger.income_cash(club_with_10m, D(2024, 5, 1)) == 4_000_000


def test_the_race_is_real_without_the_lock(club_with_10m, staff_a, slow_check, monkeypatch):
    """Control: with the lock switched off the same race overdraws the fund, so the test above
    passes because of the lock, not because of timing luck."""
    monkeypatch.setattr(services, "lock_clubs", lambda *clubs: None)
    members = [MemberFactory(club=club_with_10m), MemberFactory(club=club_with_10m)]
    results = _race(club_with_10m, members, staff_a)
    assert all(isinstance(r, Loan) for r in results.values())
    assert ledger.income_cash(club_with_10m, D(2024, 5, 1)) == -2_000_000
