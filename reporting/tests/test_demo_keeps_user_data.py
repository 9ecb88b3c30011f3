"""`seed_demo` (what `make run` runs every time) creates and updates only what it created itself:
clubs, members, money and accounts that people entered stay exactly as they were."""
import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.forms.models import model_to_dict

from clubs.demo import DEMO_PASSWORD, demo_only
from clubs.models import Area, Club, Member
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, MemberFactory, commune
from funds import services
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment, Source
from reporting.demo import seed_plan
from reporting.models import Plan
from reporting.plans import LAI_CHAU_2035_PLAN, LAI_CHAU_PLAN

pytestmark = pytest.mark.django_db
D = datetime.date


def users_club(code, user, money=True):
    """A club as staff enter it in the browser: members, and (money=True) a receipt and a loan with
    a repayment."""
    club = ClubFactory(code=code, name=f"CLB của người dùng {code}", commune=commune(COMMUNE_IN_A))
    members = [MemberFactory(club=club, code=f"U{i}") for i in range(3)]
    if not money:
        return club
    services.fund_entry_record(club=club, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2023, 1, 5),
                               amount=7_000_000, source=Source.MEMBERS, description="Thành viên góp", user=user)
    loan = services.loan_disburse(club=club, member=members[0], amount=2_000_000, on=D(2023, 2, 1),
                                  due_on=D(2023, 8, 1), user=user)
    services.repayment_record(loan=loan, on=D(2023, 3, 1), principal=500_000, interest=0, user=user)
    return club


def snapshot(codes):
    """Every row of these clubs, and their history, as plain values."""
    clubs = Club.objects.filter(code__in=codes)
    rows = []
    for model, filt in ((Club, {"pk__in": clubs}), (Member, {"club__in": clubs}), (FundEntry, {"club__in": clubs}),
                        (Loan, {"club__in": clubs}), (Repayment, {"loan__club__in": clubs})):
        for obj in model.objects.filter(**filt).order_by("pk"):
            rows.append((model.__name__, model_to_dict(obj), obj.history.count()))
    return rows


def demo_counts():
    clubs = demo_only(Club.objects.all())
    return (clubs.count(), Member.objects.filter(club__in=clubs).count(),
            FundEntry.objects.filter(club__in=clubs).count(), Loan.objects.filter(club__in=clubs).count(),
            Repayment.objects.filter(loan__club__in=clubs).count())


def test_seeding_again_never_touches_what_people_entered(officer):
    User = get_user_model()
    # Before the first seed: a club with a code the demo uses, and an account with a demo username.
    users_club("CLB-105-03", officer)
    call_command("create_staff", "canbo.106", "--role", "district", "--district", "106", "--password", "cua-toi-123")
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "CLB-105-03" in out.getvalue() and "giữ nguyên" in out.getvalue()
    assert not demo_only(Club.objects.filter(code="CLB-105-03")).exists()
    assert Club.objects.get(code="CLB-105-03").name == "CLB của người dùng CLB-105-03"
    assert User.objects.get(username="canbo.106").check_password("cua-toi-123")
    assert User.objects.get(username="canbo.105").check_password(DEMO_PASSWORD)
    seeded = demo_counts()
    assert seeded[0] > 70 and all(seeded)
    # No demo club took its capital from the user's club.
    assert not Club.objects.filter(source_club__code="CLB-105-03").exists()

    # After it, as in the report of issue 10: a new club with members and no money yet, and money
    # entered into a demo club.
    users_club("CLB-105-77", officer, money=False)
    demo_club = demo_only(Club.objects.all()).order_by("code").first()
    services.fund_entry_record(club=demo_club, fund=Fund.ACTIVITY, kind=EntryKind.IN, date=D(2025, 6, 1),
                               amount=300_000, source=Source.SOCIETY, description="Ủng hộ của người dùng", user=officer)
    before = snapshot(["CLB-105-03", "CLB-105-77"])
    assert len([r for r in before if r[0] == "FundEntry"]) == 1

    call_command("seed_demo", stdout=StringIO())
    assert snapshot(["CLB-105-03", "CLB-105-77"]) == before
    assert demo_counts() == (seeded[0], seeded[1], seeded[2] + 1, seeded[3], seeded[4])
    assert not FundEntry.objects.filter(club__code="CLB-105-77").exists()
    assert User.objects.get(username="canbo.106").check_password("cua-toi-123")


def test_a_plan_of_the_same_name_entered_by_hand_is_left_alone():
    province = Area.objects.get(level=Area.Level.PROVINCE)
    own = Plan.objects.create(name=LAI_CHAU_PLAN["name"], area=province, start_year=2026, end_year=2030)
    out = StringIO()
    assert seed_plan(stdout=out) == own
    assert "giữ nguyên" in out.getvalue() and not own.targets.exists()
    # Only the 2026–2035 plan is added beside it.
    assert list(Plan.objects.exclude(pk=own.pk).values_list("name", flat=True)) == [LAI_CHAU_2035_PLAN["name"]]


def test_the_demo_plan_is_made_once_and_kept():
    plan = seed_plan(stdout=StringIO())
    assert demo_only(Plan.objects.filter(pk=plan.pk)).exists() and plan.targets.exists()
    assert seed_plan(stdout=StringIO()) == plan and Plan.objects.count() == 2  # with the 2026–2035 plan
