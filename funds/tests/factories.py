"""Factories for fund rows. They write rows directly (no rule checks), so a test can set up any
state; tests of the rules go through funds.services. A loan's member always belongs to its club."""
import datetime

import factory

from clubs.tests.factories import ClubFactory, MemberFactory
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment, Source


class FundEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundEntry

    club = factory.SubFactory(ClubFactory)
    fund = Fund.INCOME
    kind = EntryKind.IN
    source = factory.LazyAttribute(lambda o: Source.PROVINCE_BUDGET if o.kind == EntryKind.IN else "")
    voucher_no = factory.Sequence(lambda n: f"F-{n:05d}")
    date = factory.LazyAttribute(lambda o: o.club.founded_on)
    amount = 50_000_000
    description = "Vốn ban đầu"


class LoanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Loan

    club = factory.SubFactory(ClubFactory)
    member = factory.SubFactory(MemberFactory, club=factory.SelfAttribute("..club"))
    code = factory.Sequence(lambda n: f"KV-{n:04d}")
    disbursed_on = factory.LazyAttribute(lambda o: max(o.club.founded_on, o.member.joined_on) + datetime.timedelta(days=30))
    principal = 5_000_000
    due_on = factory.LazyAttribute(lambda o: o.disbursed_on + datetime.timedelta(days=365))
    purpose = "Chăn nuôi lợn"


class RepaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Repayment

    loan = factory.SubFactory(LoanFactory)
    paid_on = factory.LazyAttribute(lambda o: o.loan.disbursed_on + datetime.timedelta(days=30))
    principal = 1_000_000
    interest = 25_000
