"""The funds tab of a club page. Every view resolves the club through get_club_for_user, so staff of
another district get 404, also on POST; every write goes through funds/services.py."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.access import get_club_for_user
from clubs.paging import query_string
from clubs.collation import vi_order
from clubs.forms import OnDateForm
from clubs.fields import add_service_errors
from clubs.formatting import format_vnd
from clubs.submissions import once_per_submission

from . import ledger, services, statements
from .filters import LoanFilterForm
from .forms import (
    CollectionSheetForm, FundEntryForm, LoanForm, PeriodForm, RepaymentForm, ReverseForm, RotationForm,
    with_suggestions,
)
from .models import EntryKind, Fund, FundEntry, Loan, Repayment
from .rules import months_between, suggested_instalment


def _ctx(club, tab, **extra):
    return {"club": club, "tab": tab, **extra}


def fund_overview(request, club_code):
    club = get_club_for_user(request.user, club_code)
    today = timezone.localdate()
    port = ledger.portfolio(Loan.objects.filter(club=club), today)
    return render(request, "funds/overview.html", _ctx(
        club, "overview", today=today,
        income=ledger.income_cash(club, today), activity=ledger.activity_balance(club, today),
        portfolio=port, overdue_count=Loan.objects.filter(club=club).overdue_at(today).count(),
    ))


CASH_LINES_PER_PAGE = 50
LOANS_PER_PAGE = 50
LOG_LINES_PER_PAGE = 50


def cash_book(request, club_code, fund):
    """The period's lines in the paper book's order, oldest first, a page at a time. Without ?page=
    the book opens at its last page, the latest lines, as a treasurer opens the paper book; each page
    starts with the balance brought forward and ends with the balance carried to the next page."""
    club = get_club_for_user(request.user, club_code)
    if fund not in Fund.values:
        raise Http404
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    opening = ledger.fund_balance(club, fund, start - ledger.ONE_DAY)
    closing = ledger.fund_balance(club, fund, end)
    # Only this page's rows are read (LIMIT/OFFSET); the balance it brings forward is summed in the database.
    rows = statements.cash_book_rows(club, fund, start, end)
    paginator = Paginator(rows, CASH_LINES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    brought_forward = opening + statements.cash_sum_of_first(rows, page.start_index() - 1 if paginator.count else 0)
    lines = statements.cash_lines(club, fund, page.object_list, brought_forward)
    carried_forward = lines[-1].balance if lines else brought_forward
    # Rotation lines whose other side lies outside the user's area: the officer's to reverse (one query).
    counterparts = {line.entry.counterpart_club_id for line in lines if line.entry and line.entry.counterpart_club_id}
    foreign = services.out_of_reach(request.user, counterparts)
    return render(request, "funds/cash_book.html", _ctx(
        club, fund, fund=fund, fund_label=Fund(fund).label, period=period, start=start, end=end,
        opening=opening, lines=lines, closing=closing, foreign=foreign, page=page,
        brought_forward=brought_forward, carried_forward=carried_forward, query_string=query_string(request),
        page_in=sum(ln.money_in for ln in lines), page_out=sum(ln.money_out for ln in lines),
    ))


@once_per_submission
def entry_add(request, club_code):
    club = get_club_for_user(request.user, club_code)
    initial = {"fund": request.GET.get("fund", Fund.INCOME), "kind": request.GET.get("kind", EntryKind.IN),
               "date": timezone.localdate()}
    form = FundEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.fund_entry_record(club=club, user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Đã ghi phiếu %(no)s: %(amount)s.") % {
                "no": entry.voucher_no, "amount": format_vnd(entry.amount)})
            return redirect("funds:cash_book", club.code, entry.fund)
    return render(request, "funds/entry_form.html", _ctx(club, form.data.get("fund") or initial["fund"], form=form))


def _reverse_page(request, club, tab, write, objects, *, done, success):
    """Both correction pages: a date and a reason, then the service writes the reversing row."""
    form = ReverseForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            write(user=request.user, **objects, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, success)
            return redirect(done)
    return render(request, "funds/reverse_form.html", _ctx(club, tab, form=form, **objects))


@once_per_submission
def entry_reverse(request, club_code, pk):
    club = get_club_for_user(request.user, club_code)
    entry = get_object_or_404(FundEntry.objects.select_related("club", "counterpart_club"), club=club, pk=pk)
    return _reverse_page(
        request, club, entry.fund, services.fund_entry_reverse, {"entry": entry},
        done=reverse("funds:cash_book", args=[club.code, entry.fund]),
        success=_("Đã đảo phiếu %(no)s.") % {"no": entry.voucher_no},
    )


def _filtered_loans(request, club, today):
    """(the filter form, the club's loans it selects): the loan list and its printed ledger alike."""
    form = LoanFilterForm(request.GET or None, club=club)
    return form, form.filter(Loan.objects.filter(club=club, disbursed_on__lte=today), on=today)


def loan_list(request, club_code):
    """Newest loans first, filtered by status at today and by borrower, a page at a time."""
    club = get_club_for_user(request.user, club_code)
    today = timezone.localdate()
    form, loans = _filtered_loans(request, club, today)
    page = Paginator(statements.loan_book_rows(loans, today).order_by("-disbursed_on", "-code", "-pk"),
                     LOANS_PER_PAGE).get_page(request.GET.get("page"))
    statements.set_loan_status(page.object_list, today)
    return render(request, "funds/loan_list.html", _ctx(
        club, "loans", loans=page.object_list, page=page, form=form, today=today,
        query_string=query_string(request),
        portfolio=ledger.portfolio(Loan.objects.filter(club=club), today),
    ))


@once_per_submission
def loan_add(request, club_code):
    club = get_club_for_user(request.user, club_code)
    form = LoanForm(request.POST or None, club=club, initial={"disbursed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            loan = services.loan_disburse(
                club=club, member=d["member"], amount=d["principal"], on=d["disbursed_on"], due_on=d["due_on"],
                purpose=d["purpose"], rate=d["rate_percent_month"], code=d["code"] or None, user=request.user,
                confirm_same_day=d["confirm_same_day"],
            )
        except services.SameDayLoans as e:
            add_service_errors(form, e)
            form.show_same_day_confirmation()
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Đã giải ngân khoản vay %(code)s: %(amount)s.") % {
                "code": loan.code, "amount": format_vnd(loan.principal)})
            return redirect("funds:loan_detail", club.code, loan.pk)
    return render(request, "funds/loan_form.html", _ctx(
        club, "loans", form=form, income=ledger.income_cash(club, timezone.localdate())))


@once_per_submission
def loan_detail(request, club_code, pk):
    club = get_club_for_user(request.user, club_code)
    today = timezone.localdate()
    loan = get_object_or_404(Loan.objects.with_balance(today).select_related("member", "club"), club=club, pk=pk)
    form = RepaymentForm(request.POST or None, initial={"paid_on": today})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.repayment_record(loan=loan, on=d["paid_on"], principal=d["principal"] or 0,
                                      interest=d["interest"] or 0, user=request.user)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Đã ghi khoản trả nợ."))
            return redirect("funds:loan_detail", club.code, loan.pk)
    repayments = list(loan.repayments.annotate(reversal_count=Count("reversed_by")).order_by("paid_on", "pk"))
    running = loan.principal
    for rep in repayments:
        running -= rep.principal
        rep.outstanding_after = running
    return render(request, "funds/loan_detail.html", _ctx(
        club, "loans", loan=loan, repayments=repayments, form=form, status=loan.status_on(today),
        overdue_days=loan.days_overdue(today), today=today,
    ))


@once_per_submission
def repayment_reverse(request, club_code, pk):
    club = get_club_for_user(request.user, club_code)
    repayment = get_object_or_404(Repayment.objects.select_related("loan__club", "loan__member"), loan__club=club, pk=pk)
    return _reverse_page(
        request, club, "loans", services.repayment_reverse, {"repayment": repayment},
        done=reverse("funds:loan_detail", args=[club.code, repayment.loan_id]),
        success=_("Đã đảo khoản trả nợ."),
    )


def _collection_loans(club, on):
    """The loans still owed on the meeting day, by borrower in Vietnamese order, each with its status
    and suggested instalment: the screen sheet and the sheet printed before the meeting."""
    loans = list(Loan.objects.filter(club=club).outstanding_at(on).select_related("member")
                 .order_by(vi_order("member__full_name"), "code"))
    for loan in loans:
        loan.status = loan.status_on(on)
        loan.instalment = suggested_instalment(loan)
    return loans


@once_per_submission
def collection_sheet(request, club_code):
    club = get_club_for_user(request.user, club_code)
    today = timezone.localdate()
    loans = _collection_loans(club, today)
    if request.method == "POST" and "fill_suggested" in request.POST:
        # Shown again with the suggestions as typed values: nothing is saved until "Ghi phiếu thu nợ".
        form = CollectionSheetForm(with_suggestions(request.POST, loans), loans=loans)
        return render(request, "funds/collection_sheet.html", _ctx(club, "collection", form=form, loans=loans,
                                                                    filled=True))
    form = CollectionSheetForm(request.POST or None, loans=loans, initial={"on": today})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.collection_sheet_record(
                club=club, on=form.cleaned_data["on"], rows=form.service_rows(), user=request.user)
        except ValidationError as e:
            form.apply_errors(e)
        else:
            total = sum(r.principal + r.interest for r in saved)
            messages.success(request, _("Đã ghi %(n)d khoản thu nợ, tổng %(total)s.") % {
                "n": len(saved), "total": format_vnd(total)})
            return redirect("funds:cash_book", club.code, Fund.INCOME)
    return render(request, "funds/collection_sheet.html", _ctx(club, "collection", form=form, loans=loans))


@once_per_submission
def rotation(request, club_code):
    club = get_club_for_user(request.user, club_code)
    form = RotationForm(request.POST or None, source_club=club, user=request.user,
                        initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            receiver, _out, _in = services.rotation_create(
                source_club=club, amount=d["amount"], on=d["on"], new_club=d["new_club"],
                club_data=form.club_data(), description=d["description"], user=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Đã luân chuyển %(amount)s sang %(club)s.") % {
                "amount": format_vnd(d["amount"]), "club": receiver})
            return redirect("funds:overview", club.code)
    return render(request, "funds/rotation_form.html", _ctx(
        club, "rotation", form=form, income=ledger.income_cash(club, timezone.localdate())))


def statement(request, club_code):
    club = get_club_for_user(request.user, club_code)
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    st = statements.statement(club, start, end)
    return render(request, "funds/statement.html", _ctx(club, "statement", period=period, st=st))


def fund_log(request, club_code):
    club = get_club_for_user(request.user, club_code)
    page = Paginator(statements.fund_log_rows(club), LOG_LINES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "funds/log.html", _ctx(
        club, "log", lines=statements.fund_log_lines(page.object_list), page=page))


# ------------------------------------------------------------------ printed books (sổ in)


def _print_ctx(club, title, **extra):
    return {"club": club, "book_title": title, "district": club.commune.district if club.commune else None, **extra}


def cash_book_print(request, club_code, fund):
    """The whole period of one cash book on A4, as the treasurer's paper book: no pages of 50 here,
    the browser breaks the table into sheets and repeats its header row."""
    club = get_club_for_user(request.user, club_code)
    if fund not in Fund.values:
        raise Http404
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    opening, lines, closing = statements.cash_book(club, fund, start, end)
    return render(request, "funds/print/cash_book.html", _print_ctx(
        club, _("Sổ quỹ %(fund)s") % {"fund": Fund(fund).label}, fund=fund, start=start, end=end,
        opening=opening, lines=lines, closing=closing,
        total_in=sum(ln.money_in for ln in lines), total_out=sum(ln.money_out for ln in lines),
    ))


def loan_list_print(request, club_code):
    """Every loan the loan list shows (same filter), oldest first as the paper ledger is written."""
    club = get_club_for_user(request.user, club_code)
    today = timezone.localdate()
    form, loans = _filtered_loans(request, club, today)
    loans = statements.set_loan_status(
        list(statements.loan_book_rows(loans, today).order_by("disbursed_on", "code", "pk")), today)
    for loan in loans:
        loan.term_months = months_between(loan.disbursed_on, loan.due_on)
    return render(request, "funds/print/loan_list.html", _print_ctx(
        club, _("Sổ cho vay"), on=today, loans=loans,
        totals={key: sum(getattr(ln, key) for ln in loans)
                for key in ("principal", "repaid_principal", "paid_interest", "outstanding")},
    ))


def collection_print(request, club_code):
    """The collection sheet printed before the meeting: each loan still owed on the meeting day with
    its suggested instalment (the screen sheet's hint), and empty cells the treasurer fills by hand;
    the figures are entered on the screen sheet afterwards."""
    club = get_club_for_user(request.user, club_code)
    form, on = OnDateForm.from_request(request)
    loans = _collection_loans(club, on)
    return render(request, "funds/print/collection.html", _print_ctx(
        club, _("Phiếu thu nợ"), on=on, form=form, loans=loans,
        total_outstanding=sum(ln.outstanding for ln in loans), total_instalment=sum(ln.instalment for ln in loans),
    ))
