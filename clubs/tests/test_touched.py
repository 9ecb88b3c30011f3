"""clubs/touched.py: the clubs a transaction wrote reach the listeners once, after it commits, and only then."""
import datetime

import pytest
from django.db import transaction

from clubs import services, touched
from clubs.models import Member
from clubs.tests.factories import ClubFactory, MemberFactory
from funds.models import Loan


@pytest.fixture
def heard(monkeypatch):
    calls = []
    monkeypatch.setattr(touched, "_LISTENERS", [lambda ids, using: calls.append(ids)])
    return calls


def test_the_clubs_of_every_row_kind_are_found(db):
    club = ClubFactory()
    member = MemberFactory(club=club)
    loan = Loan(club=club, member=member, principal=1, disbursed_on=datetime.date(2025, 1, 1),
                due_on=datetime.date(2025, 6, 1))
    from clubs.locks import club_of
    from funds.models import Repayment

    assert club_of(club) == club_of(member) == club_of(loan) == club.pk
    assert club_of(Repayment(loan=loan, principal=1, paid_on=datetime.date(2025, 2, 1))) == club.pk
    assert club_of(object()) is None


def test_one_call_per_committed_transaction(officer, heard, django_capture_on_commit_callbacks):
    a, b = ClubFactory(), ClubFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            services.member_add(user=officer, club=a, code="T1", full_name="Lò Thị Một", gender=Member.Gender.FEMALE,
                                birth_year=1950, joined_on=datetime.date(2025, 1, 1))
            services.member_add(user=officer, club=b, code="T2", full_name="Lò Thị Hai", gender=Member.Gender.FEMALE,
                                birth_year=1950, joined_on=datetime.date(2025, 1, 1))
    assert heard == [sorted([a.pk, b.pk])]
    with django_capture_on_commit_callbacks(execute=True):
        services.club_update(user=officer, club=a, name="CLB đổi tên")
    assert heard[-1] == [a.pk]


def test_a_rolled_back_write_calls_nobody(officer, heard, django_capture_on_commit_callbacks):
    club = ClubFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.club_update(user=officer, club=club, name="CLB không lưu")
            raise RuntimeError
        services.club_update(user=officer, club=ClubFactory(code="CLB-SAU"), name="CLB lưu")
    assert heard == [[ClubFactory(code="CLB-SAU").pk]]


def test_one_hook_after_a_write_bumps_the_generation_and_hands_on_the_club(officer, heard,
                                                                          django_capture_on_commit_callbacks):
    """A funds service goes through the same save as the clubs' (clubs.services.save_checked)."""
    from clubs import cache
    from funds import services as funds
    from funds.models import EntryKind, Fund, Source

    club = ClubFactory(founded_on=datetime.date(2024, 1, 1))
    before = cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        funds.fund_entry_record(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=datetime.date(2025, 1, 2),
                                amount=1_000_000, source=Source.PROVINCE_BUDGET, user=officer)
    assert cache.generation() == before + 1
    assert heard == [[club.pk]]


def test_the_listeners_run_before_the_generation_moves(officer, monkeypatch, django_capture_on_commit_callbacks):
    """A page read between the two would find its old body under the club's old stamp and keep it under
    the new generation, stale until the next write (clubs/page_cache.py)."""
    from clubs import cache

    seen = []
    monkeypatch.setattr(touched, "_LISTENERS", [lambda ids, using: seen.append(cache.generation())])
    club = ClubFactory()
    before = cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        services.club_update(user=officer, club=club, name="CLB đổi tên")
    assert seen == [before]
    assert cache.generation() == before + 1
