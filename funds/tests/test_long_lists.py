"""Long fund lists a treasurer pages through: the log, the loan book and the cash book; and a fund
statement whose totals are the sums of the lines it shows."""
import datetime
import re

import pytest
from django.utils import timezone

from clubs.tests.factories import MemberFactory
from funds import services, statements, views
from funds.models import EntryKind, Fund, Source

from .factories import FundEntryFactory, LoanFactory, RepaymentFactory
from .pages import html_of, money, queries_of, url

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


# ------------------------------------------------------------------ fund log


def test_fund_log_pages_through_every_change_newest_first(staff_a_client, club_a):
    for i in range(230):
        FundEntryFactory(club=club_a, voucher_no=f"PT-{i:04d}", amount=1000 + i, date=D(2024, 1, 1))
    first = html_of(staff_a_client.get(url("log", club_a)))
    assert "Trang 1/5" in first
    assert first.count("<tr><td>") == views.LOG_LINES_PER_PAGE
    assert "PT-0229" in first and "PT-0000" not in first  # newest first
    last = html_of(staff_a_client.get(url("log", club_a) + "?page=5"))
    # Nothing silently dropped: the 230th row (the oldest), beyond the former cap of 200, is on the last page.
    assert "PT-0000" in last and last.count("<tr><td>") == 30


def test_fund_log_names_loans_and_repayments_and_keeps_a_fixed_number_of_queries(staff_a_client, club_a):
    loan = LoanFactory(club=club_a, code="KV-LOG")
    RepaymentFactory(loan=loan, principal=400_000, interest=20_000, paid_on=D(2024, 5, 2))
    page = html_of(staff_a_client.get(url("log", club_a)))
    assert "Giải ngân khoản vay KV-LOG" in page and "Trả nợ KV-LOG ngày 02/05/2024" in page and "420.000 đ" in page
    small = queries_of(staff_a_client, url("log", club_a))
    for i in range(60):
        RepaymentFactory(loan=LoanFactory(club=club_a), paid_on=D(2024, 6, 1))
    assert queries_of(staff_a_client, url("log", club_a)) == small
    assert queries_of(staff_a_client, url("log", club_a) + "?page=3") == small


# ------------------------------------------------------------------ loan book


@pytest.fixture
def three_kinds(club_a):
    """A current, an overdue and a repaid loan at today, to three borrowers."""
    lan, hoa, mai = (MemberFactory(club=club_a, full_name=n) for n in ("Lò Thị Lan", "Đào Thị Hoa", "Tẩn Thị Mai"))
    current = LoanFactory(club=club_a, member=lan, code="KV-TRONG", disbursed_on=TODAY - datetime.timedelta(days=10),
                          due_on=TODAY + datetime.timedelta(days=170))
    overdue = LoanFactory(club=club_a, member=hoa, code="KV-QUA", disbursed_on=TODAY - datetime.timedelta(days=400),
                          due_on=TODAY - datetime.timedelta(days=35))
    repaid = LoanFactory(club=club_a, member=mai, code="KV-XONG", disbursed_on=TODAY - datetime.timedelta(days=300),
                         due_on=TODAY - datetime.timedelta(days=100))
    RepaymentFactory(loan=repaid, principal=repaid.principal, paid_on=TODAY - datetime.timedelta(days=120))
    return current, overdue, repaid


def _codes(response):
    return [loan.code for loan in response.context["loans"]]


def test_loan_book_filters_by_status_and_borrower(staff_a_client, club_a, three_kinds):
    current, overdue, repaid = three_kinds
    path = url("loan_list", club_a)
    assert _codes(staff_a_client.get(path)) == ["KV-TRONG", "KV-XONG", "KV-QUA"]  # newest disbursement first
    assert _codes(staff_a_client.get(path, {"status": "outstanding"})) == ["KV-TRONG", "KV-QUA"]
    page = staff_a_client.get(path, {"status": "overdue"})
    assert _codes(page) == ["KV-QUA"] and "Quá hạn 35 ngày" in html_of(page)
    assert _codes(staff_a_client.get(path, {"status": "repaid"})) == ["KV-XONG"]
    assert _codes(staff_a_client.get(path, {"member": overdue.member_id})) == ["KV-QUA"]
    assert _codes(staff_a_client.get(path, {"member": overdue.member_id, "status": "repaid"})) == []
    # Borrowers only, by name, in the member choice.
    html = html_of(staff_a_client.get(path))
    assert "Đào Thị Hoa" in html[html.index('id="id_member"'):html.index("</select>", html.index('id="id_member"'))]


def test_loan_book_refuses_an_unknown_choice_next_to_the_field_and_keeps_the_rest(staff_a_client, club_a,
                                                                                  three_kinds):
    page = staff_a_client.get(url("loan_list", club_a), {"status": "overdue", "member": "999999"})
    html = html_of(page)
    assert _codes(page) == ["KV-QUA"]
    assert page.context["form"].errors["member"] and "invalid-feedback" in html


def test_loan_book_pages_keep_the_filter_and_a_fixed_number_of_queries(staff_a_client, club_a, monkeypatch):
    monkeypatch.setattr(views, "LOANS_PER_PAGE", 5)
    for i in range(12):
        LoanFactory(club=club_a, code=f"KV-{i:03d}", disbursed_on=D(2023, 1, 1) + datetime.timedelta(days=i),
                    due_on=D(2023, 6, 1))
    path = url("loan_list", club_a) + "?status=overdue"
    first = staff_a_client.get(path)
    assert _codes(first) == ["KV-011", "KV-010", "KV-009", "KV-008", "KV-007"]
    assert "Trang 1/3" in html_of(first) and "?status=overdue&amp;page=2" in html_of(first)
    assert _codes(staff_a_client.get(path + "&page=3")) == ["KV-001", "KV-000"]
    few = queries_of(staff_a_client, path)
    for i in range(12, 40):
        LoanFactory(club=club_a, code=f"KV-{i:03d}", disbursed_on=D(2023, 1, 1), due_on=D(2023, 6, 1))
    assert queries_of(staff_a_client, path) == few


# ------------------------------------------------------------------ cash book


def _book(club, n):
    FundEntryFactory(club=club, fund=Fund.ACTIVITY, amount=10_000_000, date=D(2023, 12, 1), voucher_no="PT-VON")
    for i in range(n):
        day = D(2024, 1, 1) + datetime.timedelta(days=i)
        FundEntryFactory(club=club, fund=Fund.ACTIVITY, kind=EntryKind.IN, source=Source.MEMBERS, amount=30_000,
                         date=day, voucher_no=f"PT-{i:03d}")
        FundEntryFactory(club=club, fund=Fund.ACTIVITY, kind=EntryKind.OUT, amount=20_000, date=day,
                         voucher_no=f"PC-{i:03d}")


def test_cash_book_opens_at_its_latest_page_and_carries_the_balance_across_pages(staff_a_client, club_a):
    _book(club_a, 60)  # 120 lines in 2024, 3 pages of 50
    path = url("cash_book", club_a, "activity") + "?start=01/01/2024&end=31/12/2024"
    latest = html_of(staff_a_client.get(path))
    assert "Trang 3/3" in latest and "PC-059" in latest and "PT-000" not in latest
    pages = [staff_a_client.get(path + f"&page={n}") for n in (1, 2, 3)]
    first, middle, last = (html_of(p) for p in pages)
    assert money(re.search(r'id="opening">([^<]+)<', first).group(1)) == 10_000_000
    # Each page starts from the balance the previous one carried forward, and its last line's balance.
    carried = [money(re.search(r'id="carried-forward">([^<]+)<', h).group(1)) for h in (first, middle)]
    brought = [money(re.search(r'id="brought-forward">([^<]+)<', h).group(1)) for h in (middle, last)]
    assert brought == carried == [10_000_000 + 25 * 10_000, 10_000_000 + 50 * 10_000]
    assert pages[0].context["lines"][-1].balance == carried[0]
    assert money(re.search(r'id="closing">([^<]+)<', last).group(1)) == 10_000_000 + 60 * 10_000
    assert "id=\"closing\"" not in first and "id=\"opening\"" not in last
    # Page totals: 25 Thu of 30.000 and 25 Chi of 20.000 on a full page.
    assert money(re.search(r'id="page-in">([^<]+)<', middle).group(1)) == 750_000
    # The period travels with the page links.
    assert "?start=01%2F01%2F2024&amp;end=31%2F12%2F2024&amp;page=2" in last


def test_cash_book_period_filter_pages_within_the_period(staff_a_client, club_a):
    _book(club_a, 60)
    path = url("cash_book", club_a, "activity") + "?start=01/02/2024&end=29/02/2024"  # 29 days, 58 lines
    first = html_of(staff_a_client.get(path + "&page=1"))
    assert money(re.search(r'id="opening">([^<]+)<', first).group(1)) == 10_000_000 + 31 * 10_000
    assert "Trang 1/2" in first and "PT-031" in first and "PT-030" not in first
    last = html_of(staff_a_client.get(path))
    assert money(re.search(r'id="closing">([^<]+)<', last).group(1)) == 10_000_000 + 60 * 10_000
    assert "PC-059" in last and "PC-060" not in last


def test_cash_book_query_count_does_not_grow_with_its_pages(staff_a_client, club_a):
    _book(club_a, 30)
    path = url("cash_book", club_a, "income") + "?start=01/01/2024&end=31/12/2024"
    loan = LoanFactory(club=club_a, disbursed_on=D(2024, 3, 1))
    RepaymentFactory(loan=loan, paid_on=D(2024, 4, 1))
    few = queries_of(staff_a_client, path)
    for i in range(40):
        RepaymentFactory(loan=LoanFactory(club=club_a, disbursed_on=D(2024, 3, 1)), paid_on=D(2024, 4, 1))
    assert queries_of(staff_a_client, path) == few
    assert queries_of(staff_a_client, path + "&page=1") == few


# ------------------------------------------------------------------ statement


def _rows(table):
    return [(cls, money(amount)) for cls, amount in
            re.findall(r'<tr class="(line-in|line-out)"><td[^>]*>.*?</td><td[^>]*>([^<]+)</td></tr>', table, re.S)]


def test_statement_totals_are_the_sums_of_the_lines_shown(staff_a_client, staff_a, club_a):
    """A real year of one club, written through the services: seed capital, members' contributions,
    a loan, repayments, a spending, a reversed voucher."""
    record = services.fund_entry_record
    record(club=club_a, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2023, 6, 1), amount=30_000_000,
           source=Source.PROVINCE_BUDGET, user=staff_a)
    record(club=club_a, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2024, 2, 1), amount=2_000_000,
           source=Source.MEMBERS, user=staff_a)
    wrong = record(club=club_a, fund=Fund.INCOME, kind=EntryKind.OUT, date=D(2024, 2, 3), amount=500_000,
                   description="Ghi nhầm", user=staff_a)
    services.fund_entry_reverse(entry=wrong, on=D(2024, 2, 5), reason="Ghi nhầm", user=staff_a)
    record(club=club_a, fund=Fund.INCOME, kind=EntryKind.OUT, date=D(2024, 3, 1), amount=300_000,
           description="Văn phòng phẩm", user=staff_a)
    record(club=club_a, fund=Fund.ACTIVITY, kind=EntryKind.IN, date=D(2024, 3, 1), amount=900_000,
           source=Source.MEMBERS, user=staff_a)
    record(club=club_a, fund=Fund.ACTIVITY, kind=EntryKind.OUT, date=D(2024, 4, 1), amount=400_000,
           description="Thăm hỏi", user=staff_a)
    borrower = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    loan = services.loan_disburse(club=club_a, member=borrower, amount=10_000_000, on=D(2024, 3, 10),
                                  due_on=D(2025, 3, 10), purpose="Nuôi lợn", user=staff_a)
    for month in (4, 5, 6):
        services.repayment_record(loan=loan, on=D(2024, month, 10), principal=1_000_000, interest=50_000, user=staff_a)

    html = html_of(staff_a_client.get(url("statement", club_a) + "?start=01/01/2024&end=31/12/2024"))
    for fund in ("income", "activity"):
        table = re.search(rf'<table[^>]*id="statement-{fund}">(.*?)</table>', html, re.S).group(1)
        rows = _rows(table)
        total_in = money(re.search(r'class="[^"]*money-in">([^<]+)<', table).group(1))
        total_out = money(re.search(r'class="[^"]*money-out">([^<]+)<', table).group(1))
        opening = money(re.search(r'class="[^"]*opening">([^<]+)<', table).group(1))
        closing = money(re.search(r'class="[^"]*closing">([^<]+)<', table).group(1))
        assert total_in == sum(a for cls, a in rows if cls == "line-in"), fund
        assert total_out == sum(a for cls, a in rows if cls == "line-out"), fund
        assert opening + total_in - total_out == closing, fund
        assert "Số liệu không khớp" not in table
    income = re.search(r'<table[^>]*id="statement-income">(.*?)</table>', html, re.S).group(1)
    # The repaid principal is part of "Tổng thu", not beside a total of 0 đ.
    assert money(re.search(r'money-in">([^<]+)<', income).group(1)) == 2_000_000 + 3_000_000 + 150_000
    assert money(re.search(r'money-out">([^<]+)<', income).group(1)) == 300_000 + 10_000_000
    assert money(re.search(r'closing">([^<]+)<', income).group(1)) == 30_000_000 + 5_150_000 - 10_300_000


def test_cash_book_second_page_starts_from_the_first_pages_last_balance(staff_a_client, club_a):
    """Vouchers, loans and repayments on the same days, so the pages cut through a day's mixed lines:
    each page is read alone (LIMIT/OFFSET) and its balances still run on from the page before, line
    for line as in the whole book."""
    FundEntryFactory(club=club_a, fund=Fund.INCOME, kind=EntryKind.IN, source=Source.PROVINCE_BUDGET,
                     amount=500_000_000, date=D(2023, 12, 1), voucher_no="PT-SEED")
    for i in range(20):
        day = D(2024, 3, 1 + i // 4)
        FundEntryFactory(club=club_a, fund=Fund.INCOME, kind=EntryKind.IN, source=Source.MEMBERS,
                         amount=40_000 + i, date=day, voucher_no=f"PT-{i:03d}")
        FundEntryFactory(club=club_a, fund=Fund.INCOME, kind=EntryKind.OUT, amount=15_000 + i, date=day,
                         voucher_no=f"PC-{i:03d}")
        loan = LoanFactory(club=club_a, principal=1_000_000 + i * 1000, disbursed_on=day)
        RepaymentFactory(loan=loan, paid_on=day, principal=100_000, interest=5_000 + i)
    path = url("cash_book", club_a, "income") + "?start=01/01/2024&end=31/12/2024"
    first, second = (staff_a_client.get(path + f"&page={n}").context for n in (1, 2))
    assert len(first["lines"]) == 50 and first["page"].paginator.count == 80
    head = second["lines"][0]
    assert second["brought_forward"] == first["lines"][-1].balance == first["carried_forward"]
    assert head.balance == first["lines"][-1].balance + head.money_in - head.money_out
    # The pages are the whole book cut in two: same lines in the same order, same balances.
    _opening, whole, closing = statements.cash_book(club_a, Fund.INCOME, D(2024, 1, 1), D(2024, 12, 31))
    paged = first["lines"] + second["lines"]
    assert [(ln.ref, ln.description, ln.balance) for ln in paged] == [(ln.ref, ln.description, ln.balance) for ln in whole]
    assert second["closing"] == closing == whole[-1].balance
