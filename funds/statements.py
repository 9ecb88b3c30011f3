"""Fund statements (báo cáo quỹ), cash books (sổ quỹ) and the loan book (sổ cho vay) of one club.

Each is built from a fixed number of queries, whatever the number of rows. A reversal is shown
against the line it cancels: reversing a Thu lowers that source's money in, reversing a Chi lowers
money out, so the statement's totals still reconcile with the ledger to the đồng.
"""
import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models import (
    BigIntegerField, Case, CharField, Count, DateField, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery,
    Sum, Value, When,
)
from django.db.models.functions import Cast, Coalesce, Collate
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


# The paper book's order: by day; within a day money in before money out (the order a treasurer
# writes a meeting's book), then by voucher or loan code, vouchers before loans before repayments.
CASH_ORDER = ("day", "is_out", "ref", "row", "line_id")
CASH_COLUMNS = (*CASH_ORDER, "signed")


def _binary(expression):
    """Codes compared byte by byte on both databases: PostgreSQL's default collation could otherwise
    order "PC-1" and "PT-1" differently from SQLite, and the books must read the same."""
    return Collate(expression, "C" if connection.vendor == "postgresql" else "BINARY")


def cash_book_rows(club, fund, start, end):
    """The cash book's lines for [start, end] as one ordered query of (day, is_out, ref, row, line_id,
    signed): vouchers, and for the income fund loans paid out and repayments received (a UNION of
    three tables). A page of it is one LIMIT/OFFSET query; cash_lines names the rows."""
    text, small, big = CharField(), IntegerField(), BigIntegerField()
    parts = [FundEntry.objects.filter(club=club, fund=fund, date__gte=start, date__lte=end).annotate(
        day=F("date"), is_out=Case(When(kind=EntryKind.OUT, then=Value(1)), default=Value(0), output_field=small),
        ref=_binary(F("voucher_no")), row=Value("entry", output_field=text), line_id=F("pk"),
        signed=Case(When(kind=EntryKind.IN, then=Cast("amount", big)), default=Cast(Value(0) - F("amount"), big)),
    )]
    if fund == Fund.INCOME:
        parts.append(Loan.objects.filter(club=club, disbursed_on__gte=start, disbursed_on__lte=end).annotate(
            day=F("disbursed_on"), is_out=Value(1, output_field=small), ref=_binary(F("code")),
            row=Value("loan", output_field=text), line_id=F("pk"), signed=Cast(Value(0) - F("principal"), big),
        ))
        parts.append(Repayment.objects.filter(loan__club=club, paid_on__gte=start, paid_on__lte=end).annotate(
            day=F("paid_on"), paid=Cast(F("principal") + F("interest"), big),
            is_out=Case(When(paid__lte=0, then=Value(1)), default=Value(0), output_field=small),
            ref=_binary(F("loan__code")), row=Value("repayment", output_field=text), line_id=F("pk"),
            signed=F("paid"),
        ))
    parts = [qs.order_by().values_list(*CASH_COLUMNS) for qs in parts]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return rows.order_by(*CASH_ORDER)


def cash_sum_of_first(rows, n):
    """The net movement of the first `n` lines of cash_book_rows, summed in the database: the balance
    a page brings forward is the opening balance plus this, without reading the earlier pages.
    Django cannot aggregate over a UNION, so the sliced query is wrapped as SQL: still one query."""
    # LIMIT appended here rather than by slicing: a page 1 (n = 0) runs the same one query as the others.
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    with connections[rows.db].cursor() as cursor:
        # `sql` is Django's own compiled query; every value stays in the parameters.
        cursor.execute(f"SELECT COALESCE(SUM(t.signed), 0) FROM ({sql} LIMIT %s) t", (*params, max(n, 0)))  # noqa: S608
        return int(cursor.fetchone()[0])


def cash_lines(club, fund, rows, brought_forward):
    """CashLines of a slice of cash_book_rows, each with the balance after it, starting from
    `brought_forward`. The rows behind them are read by the slice's days: one query per table of the
    fund's book whatever the lines, so a page without loans costs the same as one with them."""
    rows = list(rows)
    if not rows:
        return []
    first, last = rows[0][0], rows[-1][0]
    entries = {e.pk: e for e in FundEntry.objects.filter(club=club, fund=fund, date__gte=first, date__lte=last)
               .select_related("counterpart_club").annotate(reversal_count=Count("reversed_by"))}
    loans, repayments = {}, {}
    if fund == Fund.INCOME:
        loans = {ln.pk: ln for ln in Loan.objects.filter(club=club, disbursed_on__gte=first, disbursed_on__lte=last)
                 .select_related("member")}
        repayments = {r.pk: r for r in Repayment.objects.filter(loan__club=club, paid_on__gte=first, paid_on__lte=last)
                      .select_related("loan__member")}
    lines = []
    balance = brought_forward
    for day, _out, _ref, row, pk, signed in rows:
        balance += signed
        if row == "entry":
            e = entries[pk]
            line = CashLine(date=day, ref=e.voucher_no, description=e.description or e.get_source_display(),
                            money_in=max(signed, 0), money_out=max(-signed, 0), entry=e)
        elif row == "loan":
            loan = loans[pk]
            line = CashLine(date=day, ref=loan.code,
                            description=_("Giải ngân cho %(name)s") % {"name": loan.member.full_name},
                            money_in=0, money_out=loan.principal, loan=loan)
        else:
            rep = repayments[pk]
            text = _("Thu nợ %(name)s (gốc %(p)s, lãi/phí %(i)s)") % {
                "name": rep.loan.member.full_name, "p": format_vnd(rep.principal, unit=False),
                "i": format_vnd(rep.interest, unit=False),
            }
            if rep.note:
                text = f"{text} – {rep.note}"
            line = CashLine(date=day, ref=rep.loan.code, description=text,
                            money_in=max(signed, 0), money_out=max(-signed, 0), loan=rep.loan)
        line.balance = balance
        lines.append(line)
    return lines


def cash_book(club, fund, start, end):
    """(opening, lines, closing) of one fund's whole cash book for [start, end] (the printed book).
    The income fund's book also shows loans paid out and repayments received, as the paper book does."""
    opening = ledger.fund_balance(club, fund, start - ledger.ONE_DAY)
    lines = cash_lines(club, fund, cash_book_rows(club, fund, start, end), opening)
    return opening, lines, lines[-1].balance if lines else opening


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
