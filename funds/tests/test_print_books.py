"""The printed fund books (issue 12, Paper): the cash book, the loan ledger and the collection sheet a
treasurer prints before the meeting, on A4, with the figures of the screens they come from."""
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from clubs.tests.factories import MemberFactory
from funds import services, statements
from funds.models import EntryKind, Fund, Loan, Source
from funds.rules import suggested_instalment

from .factories import FundEntryFactory, LoanFactory, RepaymentFactory
from .pages import html_of, money, queries_of, url

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


def cell(html, id_):
    return money(re.search(rf'id="{id_}">([^<]+)<', html).group(1))


def _print_pages(club):
    return [url("cash_book_print", club, "income"), url("cash_book_print", club, "activity"),
            url("loan_list_print", club), url("collection_print", club)]


def test_print_pages_are_a4_with_the_club_header_and_signature_lines(staff_a_client, club_a):
    LoanFactory(club=club_a)
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert re.search(r"@page\s*\{\s*size:\s*A4;", css) and "display: table-header-group" in css
    for path in _print_pages(club_a):
        html = html_of(staff_a_client.get(path))
        assert "css/print.css" in html, path
        assert club_a.name in html and club_a.commune.name in html and club_a.commune.district.name in html, path
        for signer in ("Người lập", "Thủ quỹ", "Chủ nhiệm CLB"):
            assert signer in html, (path, signer)
        assert 'class="table-responsive" tabindex="0"' in html, path


def test_each_book_page_links_to_its_print_view(staff_a_client, club_a):
    for screen, printed in (("cash_book", "cash_book_print"), ("loan_list", "loan_list_print"),
                            ("collection", "collection_print")):
        args = ["income"] if screen == "cash_book" else []
        html = html_of(staff_a_client.get(url(screen, club_a, *args)))
        assert url(printed, club_a, *args) in html and 'id="print-link"' in html, screen


def test_other_districts_staff_get_404_on_the_print_pages(staff_a_client, club_b):
    LoanFactory(club=club_b)
    for path in _print_pages(club_b):
        assert staff_a_client.get(path).status_code == 404, path


def test_printed_cash_book_is_the_whole_period_and_its_totals_are_the_statements(staff_a_client, staff_a, club_a):
    record = services.fund_entry_record
    record(club=club_a, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2023, 6, 1), amount=30_000_000,
           source=Source.PROVINCE_BUDGET, user=staff_a)
    for i in range(60):  # more than a screen page of 50: the printed book has them all
        record(club=club_a, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2024, 1, 1) + datetime.timedelta(days=i),
               amount=10_000, source=Source.MEMBERS, user=staff_a)
    record(club=club_a, fund=Fund.INCOME, kind=EntryKind.OUT, date=D(2024, 3, 1), amount=300_000,
           description="Văn phòng phẩm", user=staff_a)
    loan = services.loan_disburse(club=club_a, member=MemberFactory(club=club_a), amount=10_000_000,
                                  on=D(2024, 3, 10), due_on=D(2025, 3, 10), purpose="Nuôi lợn", user=staff_a)
    services.repayment_record(loan=loan, on=D(2024, 4, 10), principal=1_000_000, interest=50_000, user=staff_a)

    html = html_of(staff_a_client.get(url("cash_book_print", club_a, "income") + "?start=01/01/2024&end=31/12/2024"))
    st = statements.statement(club_a, D(2024, 1, 1), D(2024, 12, 31)).income
    assert cell(html, "opening") == st.opening == 30_000_000
    assert cell(html, "total-in") == st.total_in == 600_000 + 1_050_000
    assert cell(html, "total-out") == st.total_out == 10_300_000
    assert cell(html, "closing") == st.closing
    table = re.search(r'<table[^>]*id="cash-book-print">(.*?)</table>', html, re.S).group(1)
    # Header, opening balance, the 60 contributions, the Chi, the loan, the repayment.
    assert table.count("<tr>") == 1 + 1 + 60 + 3
    assert "Từ ngày 01/01/2024 đến ngày 31/12/2024" in html
    assert "Trang 1/" not in html


def test_printed_loan_ledger_keeps_the_loan_lists_filter_and_sums_its_rows(staff_a_client, club_a):
    repaid = LoanFactory(club=club_a, principal=2_000_000, disbursed_on=D(2024, 1, 5), due_on=D(2025, 1, 5))
    RepaymentFactory(loan=repaid, principal=2_000_000, interest=100_000, paid_on=D(2024, 6, 5))
    open_loan = LoanFactory(club=club_a, principal=6_000_000, disbursed_on=D(2024, 2, 5), due_on=TODAY + datetime.timedelta(days=200))
    RepaymentFactory(loan=open_loan, principal=1_000_000, interest=30_000, paid_on=D(2024, 3, 5))

    html = html_of(staff_a_client.get(url("loan_list_print", club_a)))
    assert repaid.code in html and open_loan.code in html and repaid.member.full_name in html
    assert cell(html, "total-principal") == 8_000_000
    assert cell(html, "total-repaid") == 3_000_000
    assert cell(html, "total-interest") == 130_000
    assert cell(html, "total-outstanding") == 5_000_000
    assert "book-wide" in html  # printed across the A4 sheet

    only_repaid = html_of(staff_a_client.get(url("loan_list_print", club_a) + "?status=repaid"))
    assert repaid.code in only_repaid and open_loan.code not in only_repaid
    assert cell(only_repaid, "total-outstanding") == 0


def test_printed_collection_sheet_has_the_suggested_instalment_and_cells_to_fill(staff_a_client, club_a):
    borrower = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    loan = LoanFactory(club=club_a, member=borrower, principal=12_000_000, disbursed_on=D(2024, 1, 10),
                       due_on=D(2025, 1, 10))
    RepaymentFactory(loan=loan, principal=1_000_000, interest=60_000, paid_on=D(2024, 2, 10))
    meeting = "10/03/2024"

    response = staff_a_client.get(url("collection_print", club_a) + f"?on={meeting}")
    html = html_of(response)
    # The screen sheet's own hint (funds.rules.suggested_instalment): 12.000.000 đ over 12 months.
    screen_loans = Loan.objects.filter(club=club_a).outstanding_at(D(2024, 3, 10))
    assert suggested_instalment(screen_loans.get()) == 1_000_000
    row = re.search(rf'<tr data-loan="{loan.code}">(.*?)</tr>', html, re.S).group(1)
    assert "Lò Thị Mai" in row and "11.000.000 đ" in row
    assert re.search(r'class="text-end instalment">1\.000\.000 đ<', row)
    assert row.count('<td class="blank"></td>') == 3
    for heading in ("Tiền gốc đã nộp", "Tiền lãi/phí đã nộp", "Ký tên"):
        assert heading in html
    assert "Buổi sinh hoạt ngày 10/03/2024" in html
    # A loan repaid before the meeting is not on the sheet.
    done = LoanFactory(club=club_a, principal=1_000_000, disbursed_on=D(2024, 1, 10), due_on=D(2024, 6, 10))
    RepaymentFactory(loan=done, principal=1_000_000, paid_on=D(2024, 2, 1))
    assert done.code not in html_of(staff_a_client.get(url("collection_print", club_a) + f"?on={meeting}"))


def test_print_pages_query_count_does_not_grow_with_their_rows(staff_a_client, club_a):
    FundEntryFactory(club=club_a, amount=50_000_000, date=D(2023, 1, 1))
    LoanFactory(club=club_a, disbursed_on=D(2024, 1, 10))
    counts = {path: queries_of(staff_a_client, path) for path in _print_pages(club_a)}
    for i in range(6):
        loan = LoanFactory(club=club_a, disbursed_on=D(2024, 1, 10))
        RepaymentFactory(loan=loan)
        FundEntryFactory(club=club_a, fund=Fund.ACTIVITY, amount=10_000, date=D(2024, 2, 1 + i))
    assert {path: queries_of(staff_a_client, path) for path in _print_pages(club_a)} == counts
