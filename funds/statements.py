"""Fund statements (báo cáo quỹ), cash books (sổ quỹ) and the loan book (sổ cho vay) of one club.

Each is built from a fixed number of queries, whatever the number of rows. A reversal is shown
against the line it cancels: reversing a Thu lowers that source's money in, reversing a Chi lowers
money out, so the statement's totals still reconcile with the ledger to the đồng.
"""
import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import (
    BigIntegerField, CharField, Count, DateField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from clubs.formatting import format_vnd

from . import ledger
from .models import EntryKind, Fund, FundEntry, Loan, Repayment, Source


@dataclass
class FundStatement:
    fund: str
    opening: int
    money_in: dict = field(default_factory=dict)  # {Source value: amount}, reversals netted
    money_out: int = 0
    rotation_out: int = 0  # part of money_out that founded other clubs
    loans_count: int = 0
    loans_disbursed: int = 0
    principal_repaid: int = 0
    interest_paid: int = 0
    closing: int = 0

    @property
    def label(self):
        return Fund(self.fund).label

    @property
    def money_in_total(self):
        return sum(self.money_in.values())

    @property
    def money_in_rows(self):
        return [(Source(s).label, a) for s, a in sorted(self.money_in.items(), key=lambda kv: list(Source).index(kv[0]))]

    @property
    def total_in(self):
        """Everything the fund received, as the statement lists it: vouchers by source, then (income
        fund) principal and interest/fees repaid."""
        return self.money_in_total + self.principal_repaid + self.interest_paid

    @property
    def total_out(self):
        """Everything the fund paid out: vouchers, then (income fund) loans disbursed."""
        return self.money_out + self.loans_disbursed

    @property
    def computed_closing(self):
        return self.opening + self.total_in - self.total_out

    @property
    def reconciles(self):
        return self.computed_closing == self.closing


@dataclass
class Statement:
    club: object
    start: datetime.date
    end: datetime.date
    income: FundStatement
    activity: FundStatement
    loans: list
    portfolio: ledger.Portfolio
    borrowers: int = 0  # indicators.md §3: active members with a loan of the loan book

    @property
    def funds(self):
        return [self.income, self.activity]


def fund_statements(club, start, end):
    """{fund: FundStatement} for the period [start, end], both days included."""
    before = start - ledger.ONE_DAY
    result = {}
    for fund in Fund.values:
        result[fund] = FundStatement(
            fund=fund,
            opening=ledger.fund_balance(club, fund, before),
            closing=ledger.fund_balance(club, fund, end),
        )
    rows = (
        FundEntry.objects.filter(club=club, date__gte=start, date__lte=end)
        .values("fund", "kind", "source", "counterpart_club_id")
        .annotate(
            plain=Sum("amount", filter=Q(reverses__isnull=True), default=0),
            reversal=Sum("amount", filter=Q(reverses__isnull=False), default=0),
        )
        .order_by()
    )
    for row in rows:
        st = result[row["fund"]]
        if row["kind"] == EntryKind.IN:
            # A plain Thu is money in; a Thu that reverses a Chi takes that Chi back.
            if row["plain"]:
                st.money_in[row["source"]] = st.money_in.get(row["source"], 0) + row["plain"]
            st.money_out -= row["reversal"]
            if row["counterpart_club_id"]:
                st.rotation_out -= row["reversal"]
        else:
            st.money_out += row["plain"]
            if row["counterpart_club_id"]:
                st.rotation_out += row["plain"]
            if row["reversal"]:
                st.money_in[row["source"]] = st.money_in.get(row["source"], 0) - row["reversal"]
    inc = result[Fund.INCOME]
    lent = Loan.objects.filter(club=club, disbursed_on__gte=start, disbursed_on__lte=end).aggregate(
        n=Count("pk"), s=Sum("principal", default=0)
    )
    inc.loans_count, inc.loans_disbursed = lent["n"], lent["s"]
    paid = Repayment.objects.filter(loan__club=club, paid_on__gte=start, paid_on__lte=end).aggregate(
        p=Sum("principal", default=0), i=Sum("interest", default=0)
    )
    inc.principal_repaid, inc.interest_paid = paid["p"], paid["i"]
    return result


def loan_book_rows(loans, on):
    """A Loan queryset with each loan's position at `on` (LoanQuerySet.with_balance) and its borrower."""
    return loans.with_balance(on).select_related("member")


def set_loan_status(loans, on):
    """Status and days overdue at `on` of loans from loan_book_rows (Loan.status_on, the one rule)."""
    for loan in loans:
        loan.status = loan.status_on(on)
        loan.overdue_days = loan.days_overdue(on)
    return loans


def loan_book(club, on, *, start=None):
    """Loans of the club disbursed on or before `on` (and, with `start`, outstanding at some time
    in [start, on]: LoanQuerySet.outstanding_during, the rule of the indicators' borrowers), with
    their position at `on`: repaid principal, interest paid, outstanding, status, days overdue.
    One query."""
    loans = Loan.objects.filter(club=club, disbursed_on__lte=on)
    if start is not None:
        loans = loans.outstanding_during(start, on)
    return set_loan_status(list(loan_book_rows(loans, on).order_by("disbursed_on", "code")), on)


def statement(club, start, end):
    funds = fund_statements(club, start, end)
    return Statement(
        club=club, start=start, end=end,
        income=funds[Fund.INCOME], activity=funds[Fund.ACTIVITY],
        loans=loan_book(club, end, start=start),
        portfolio=ledger.portfolio(Loan.objects.filter(club=club), end),
        borrowers=Loan.objects.filter(club=club).borrowers(start, end).count(),
    )


@dataclass
class CashLine:
    date: datetime.date
    ref: str
    description: str
    money_in: int
    money_out: int
    balance: int = 0
    entry: object = None
    loan: object = None


def cash_book(club, fund, start, end):
    """(opening, lines, closing) of one fund's cash book for [start, end]. The income fund's book
    also shows loans paid out and repayments received, as the paper book does."""
    opening = ledger.fund_balance(club, fund, start - ledger.ONE_DAY)
    lines = []
    entries = (
        FundEntry.objects.filter(club=club, fund=fund, date__gte=start, date__lte=end)
        .select_related("counterpart_club")
        .annotate(reversal_count=Count("reversed_by"))
    )
    for e in entries:
        lines.append(CashLine(
            date=e.date, ref=e.voucher_no, description=e.description or e.get_source_display(),
            money_in=e.amount if e.kind == EntryKind.IN else 0,
            money_out=e.amount if e.kind == EntryKind.OUT else 0, entry=e,
        ))
    if fund == Fund.INCOME:
        for loan in Loan.objects.filter(club=club, disbursed_on__gte=start, disbursed_on__lte=end).select_related("member"):
            lines.append(CashLine(
                date=loan.disbursed_on, ref=loan.code,
                description=_("Giải ngân cho %(name)s") % {"name": loan.member.full_name},
                money_in=0, money_out=loan.principal, loan=loan,
            ))
        for rep in (
            Repayment.objects.filter(loan__club=club, paid_on__gte=start, paid_on__lte=end)
            .select_related("loan__member")
        ):
            amount = rep.principal + rep.interest
            text = _("Thu nợ %(name)s (gốc %(p)s, lãi/phí %(i)s)") % {
                "name": rep.loan.member.full_name, "p": format_vnd(rep.principal, unit=False),
                "i": format_vnd(rep.interest, unit=False),
            }
            if rep.note:
                text = f"{text} – {rep.note}"
            lines.append(CashLine(
                date=rep.paid_on, ref=rep.loan.code, description=text,
                money_in=max(amount, 0), money_out=max(-amount, 0), loan=rep.loan,
            ))
    # Within a day, money in before money out: the order a treasurer writes a meeting's book.
    lines.sort(key=lambda ln: (ln.date, ln.money_in == 0, ln.ref))
    balance = opening
    for line in lines:
        balance += line.money_in - line.money_out
        line.balance = balance
    return opening, lines, balance


@dataclass
class LogLine:
    when: datetime.datetime
    who: object
    action: str
    what: str
    amount: int


LOG_COLUMNS = ("history_date", "history_user_id", "history_type", "row", "ref", "row_fund", "row_kind",
               "row_reverses", "row_day", "row_amount", "history_id")


def fund_log_rows(club):
    """Every change to the club's fund rows, newest first, as one UNION query of the three history
    tables: a page of it is one LIMIT/OFFSET query however long the trail (fund_log_lines names the
    rows). Fund rows are only ever added (corrections are new reversing rows), so this is the
    complete trail."""
    text, bigint, day = CharField(), BigIntegerField(), DateField()
    entries = FundEntry.history.filter(club_id=club.pk).annotate(
        row=Value("entry", output_field=text), ref=F("voucher_no"), row_fund=F("fund"), row_kind=F("kind"),
        row_reverses=Cast("reverses_id", bigint), row_day=F("date"), row_amount=Cast("amount", bigint),
    )
    loans = Loan.history.filter(club_id=club.pk).annotate(
        row=Value("loan", output_field=text), ref=F("code"), row_fund=Value("", output_field=text),
        row_kind=Value("", output_field=text), row_reverses=Cast(Value(None), bigint),
        row_day=F("disbursed_on"), row_amount=Cast("principal", bigint),
    )
    repayments = Repayment.history.filter(loan_id__in=Loan.objects.filter(club=club).values("pk")).annotate(
        row=Value("repayment", output_field=text), ref=Coalesce(
            Subquery(Loan.objects.filter(pk=OuterRef("loan_id")).values("code")[:1]), Value("?"), output_field=text),
        row_fund=Value("", output_field=text), row_kind=Value("", output_field=text),
        row_reverses=Cast("reverses_id", bigint), row_day=F("paid_on"),
        row_amount=ExpressionWrapper(F("principal") + F("interest"), output_field=bigint),
    )
    parts = [qs.order_by().values_list(*LOG_COLUMNS) for qs in (entries, loans, repayments)]
    return parts[0].union(parts[1], parts[2], all=True).order_by("-history_date", "-row", "-history_id")


def fund_log_lines(rows):
    """LogLines of a page of fund_log_rows, with the users who wrote them (one query)."""
    rows = list(rows)
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={r[1] for r in rows if r[1]})}
    actions = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}
    lines = []
    for when, user_id, action, row, ref, fund, kind, reverses, day, amount, _id in rows:
        if row == "entry":
            what = _("Phiếu %(no)s – quỹ %(fund)s – %(kind)s") % {
                "no": ref, "fund": Fund(fund).label, "kind": EntryKind(kind).label}
        elif row == "loan":
            what = _("Giải ngân khoản vay %(code)s") % {"code": ref}
        else:
            what = _("Trả nợ %(code)s ngày %(d)s") % {"code": ref, "d": day.strftime("%d/%m/%Y")}
        if reverses:
            what += " " + _("(bút toán đảo)")
        lines.append(LogLine(when, users.get(user_id), actions[action], what, amount))
    return lines


def fund_log(club, limit=200):
    """The newest `limit` changes to the club's fund rows (fund_log_rows)."""
    return fund_log_lines(fund_log_rows(club)[:limit])
