"""The demo funds obey the same rules the services enforce, and seeding twice changes nothing."""
import datetime
import io
import random
from collections import defaultdict

import pytest
from django.utils import timezone

from clubs.demo import mark_demo
from clubs.models import Club, Member, Track
from clubs.tests.factories import ClubFactory, commune
from funds import ledger
from funds.demo import seed_funds
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment, Source

pytestmark = pytest.mark.django_db
D = datetime.date


def _clubs_with_members(n_clubs, n_members, seed=1):
    """Clubs the way the clubs seed makes them: every track, rotation clubs pointing at their giver."""
    rng = random.Random(seed)
    clubs = []
    area = commune("03388")
    for i in range(n_clubs):
        if i % 4 == 0:
            track, founded, source = Track.EXISTING, D(2017 + i % 4, 3, 1), None
        elif i % 4 == 3 and clubs:
            track, founded = Track.NEW_ROTATION, D(2022 + i % 4, 6, 1)
            source = next(c for c in clubs if c.track == Track.EXISTING)
        else:
            track, founded, source = (Track.NEW_BUDGET if i % 4 == 1 else Track.OTHER), D(2021 + i % 5, 4, 1), None
        clubs.append(ClubFactory(code=f"DEMO{i:03d}", commune=area, track=track, founded_on=founded, source_club=source))
    members = []
    for club in clubs:
        for j in range(n_members):
            left = club.founded_on + datetime.timedelta(days=700) if j % 15 == 0 else None
            members.append(Member(club=club, code=f"{club.code}-{j:02d}", full_name=f"Thành viên {j}",
                                  gender=rng.choice(["male", "female"]), birth_year=rng.randint(1940, 1985),
                                  joined_on=club.founded_on + datetime.timedelta(days=rng.choice([0, 0, 0, 200])),
                                  left_on=left if left and left < timezone.localdate() else None))
    Member.objects.bulk_create(members)
    mark_demo(Club.objects.filter(pk__in=[c.pk for c in clubs]))  # as the clubs seed records its clubs
    return clubs


def _assert_never_negative(club):
    for fund in Fund.values:
        balance = 0
        for day, delta in sorted(ledger.daily_movements(club, fund).items()):
            balance += delta
            assert balance >= 0, (club.code, fund, day, balance)


def test_seed_follows_every_fund_rule_and_is_idempotent():
    clubs = _clubs_with_members(8, 50)
    out = io.StringIO()
    seed_funds(seed=2025, stdout=out)
    today = timezone.localdate()
    counts = (FundEntry.objects.count(), Loan.objects.count(), Repayment.objects.count())
    assert all(counts) and "Quỹ: 8 CLB" in out.getvalue()
    for club in clubs:
        _assert_never_negative(club)
        capital = sum(FundEntry.objects.filter(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=club.founded_on)
                      .values_list("amount", flat=True))
        assert 20_000_000 <= capital <= 200_000_000, club.code
        assert FundEntry.objects.filter(club=club, fund=Fund.ACTIVITY).exists()
    for loan in Loan.objects.select_related("member", "club").with_balance():
        assert loan.member.club_id == loan.club_id and loan.member.is_active(loan.disbursed_on)
        assert 3_000_000 <= loan.principal <= 10_000_000
        assert 6 <= round((loan.due_on - loan.disbursed_on).days / 30.4) <= 12
        assert 0 <= loan.outstanding <= loan.principal
        assert loan.disbursed_on <= today
    running = defaultdict(int)
    for rep in Repayment.objects.select_related("loan").order_by("paid_on"):
        running[rep.loan_id] += rep.principal
        assert running[rep.loan_id] <= rep.loan.principal and rep.paid_on >= rep.loan.disbursed_on
    assert Loan.objects.overdue_at(today).exists() and Loan.objects.with_balance().filter(outstanding=0).exists()
    rotation_clubs = [c for c in clubs if c.track == Track.NEW_ROTATION]
    for club in rotation_clubs:
        into = FundEntry.objects.get(club=club, source=Source.ROTATION)
        out = FundEntry.objects.get(club=club.source_club, counterpart_club=club, kind=EntryKind.OUT)
        assert (into.amount, into.date, into.counterpart_club) == (out.amount, out.date, club.source_club)
    # Most clubs lend to about half their members or more within a year.
    year = D(today.year - 1, 12, 31)
    shares = []
    for club in clubs:
        n = Member.objects.filter(club=club).active(on=year).count()
        borrowers = (Loan.objects.filter(club=club).outstanding_during(D(year.year, 1, 1), year)
                     .values("member").distinct().count())
        shares.append(borrowers * 2 >= n)
    assert sum(shares) >= len(clubs) // 2

    seed_funds(seed=2025, stdout=io.StringIO())
    assert (FundEntry.objects.count(), Loan.objects.count(), Repayment.objects.count()) == counts


def test_same_seed_same_data():
    _clubs_with_members(3, 45)
    seed_funds(seed=7, stdout=io.StringIO())
    first = list(Loan.objects.order_by("club__code", "code").values_list("club__code", "code", "principal", "due_on"))
    Repayment.objects.all().delete()
    Loan.objects.all().delete()
    FundEntry.objects.filter(reverses__isnull=False).delete()
    FundEntry.objects.all().delete()
    seed_funds(seed=7, stdout=io.StringIO())
    assert list(Loan.objects.order_by("club__code", "code").values_list(
        "club__code", "code", "principal", "due_on")) == first


def test_seed_fills_every_club_of_a_demo_sized_province():
    """Speed lives in the benchmark, not here: this checks that seeding many clubs gives each its books."""
    _clubs_with_members(12, 55)
    seed_funds(seed=2025, stdout=io.StringIO())
    assert Loan.objects.values("club").distinct().count() == 12
    assert FundEntry.objects.values("club").distinct().count() == 12
    assert Repayment.objects.exists()
