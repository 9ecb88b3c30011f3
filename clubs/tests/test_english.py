"""An officer can read the whole interface in English and go back to Vietnamese.

The Excel workbook is a data format, not interface: its sheet names and headers stay Vietnamese
whatever language the person downloading it reads the screens in.
"""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clubs.tests.factories import add_members
from funds.models import EntryKind, Fund, Source
from funds.tests.factories import FundEntryFactory

from clubs.tests.i18n import assert_pages_read, switch, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(club_a):
    add_members(club_a, women=26, men=14, older_women=16, older_men=10, joined_on=datetime.date(2024, 1, 5))
    FundEntryFactory(club=club_a, fund=Fund.INCOME, kind=EntryKind.IN, source=Source.PROVINCE_BUDGET,
                     amount=15_000_000, date=datetime.date(2024, 2, 1))
    return club_a


def pages(club):
    return {
        "clubs": reverse("clubs:list"),
        "club": reverse("clubs:detail", args=[club.code]),
        "funds": reverse("funds:overview", args=[club.code]),
        "cash_book": reverse("funds:cash_book", args=[club.code, "income"]),
        "workbook": reverse("workbook:index"),
    }


ENGLISH = {
    "clubs": ["Club code", "Club name", "Commune/ward", "Former district", "Establishment track", "Composition"],
    "club": ["Membership composition", "Active members", "Management board", "Change history", "Village"],
    "funds": ["Funds overview", "Income-generation fund cash book", "Activity fund cash book", "Loan register",
              "Capital rotation"],
    "cash_book": ["<th class=\"text-end\">Receipt</th>", "<th class=\"text-end\">Payment</th>", "Opening balance",
                  "Closing balance"],
    "workbook": ["Import/export club data with Excel", "1. Download the template", "3. Export data",
                 "Upload and preview"],
}
VIETNAMESE = {
    "clubs": ["Mã CLB", "Tên CLB", "Xã/phường", "Huyện cũ", "Nguồn thành lập", "Cơ cấu"],
    "club": ["Cơ cấu thành viên", "Thành viên đang sinh hoạt", "Ban chủ nhiệm", "Lịch sử thay đổi", "Thôn/bản"],
    "funds": ["Tổng quan quỹ", "Sổ quỹ tăng thu nhập", "Sổ quỹ hoạt động", "Sổ cho vay", "Luân chuyển vốn"],
    "cash_book": ["<th class=\"text-end\">Thu</th>", "<th class=\"text-end\">Chi</th>", "Số dư đầu kỳ",
                  "Số dư cuối kỳ"],
    "workbook": ["Nhập/xuất dữ liệu CLB bằng Excel", "1. Tải mẫu", "3. Xuất dữ liệu", "Tải lên và xem trước"],
}


def test_officer_reads_the_pages_in_english_and_switches_back(officer_client, club):
    urls = pages(club)
    assert_pages_read(officer_client, urls, VIETNAMESE)

    response = switch(officer_client, "en", urls["club"])
    assert response.url == urls["club"]
    assert_pages_read(officer_client, urls, ENGLISH, hidden=VIETNAMESE, lang="en")
    # The navigation bar and the language switch come from the project templates.
    page = text(officer_client.get(urls["clubs"]))
    assert "Log out" in page and "Đăng xuất" not in page
    assert "Excel import/export" in page and "Indicator summary" in page

    switch(officer_client, "vi", urls["club"])
    for name, url in urls.items():
        page = text(officer_client.get(url))
        for words in VIETNAMESE[name]:
            assert words in page, (name, words)
        for words in ENGLISH[name]:
            assert words not in page, (name, words)
    assert "Đăng xuất" in text(officer_client.get(urls["clubs"]))


def test_vietnamese_receipt_column_is_not_thursday(officer_client, club):
    # "Thu" (money in) is also Django's abbreviation for Thursday, "Thứ 5" in Vietnamese.
    page = text(officer_client.get(reverse("funds:cash_book", args=[club.code, "income"])))
    assert '<th class="text-end">Thu</th>' in page
    assert "Thứ 5" not in page


def test_english_form_errors_and_messages(officer_client, club):
    switch(officer_client, "en")
    response = officer_client.post(reverse("funds:entry_add", args=[club.code]), {
        "fund": Fund.INCOME, "kind": EntryKind.IN, "date": "01/03/2024", "amount": "5.000.000", "source": "",
    })
    page = text(response)
    assert "A receipt must state its source." in page
    assert "Khoản thu phải ghi rõ nguồn." not in page


def test_workbook_export_stays_vietnamese_in_an_english_session(officer_client, club):
    switch(officer_client, "en")
    response = officer_client.get(reverse("workbook:export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert book.sheetnames[:6] == ["CLB", "Thành viên", "Khoản vay", "Trả nợ", "Quỹ", "Hoạt động"]
    entries = book["Quỹ"]
    values = [cell.value for row in entries.iter_rows() for cell in row if cell.value is not None]
    assert "Thu" in values and "Tăng thu nhập" in values and "Ngân sách tỉnh" in values
    assert not {"Receipt", "Income generation", "Provincial budget"} & set(values)
    members = [cell.value for row in book["Thành viên"].iter_rows() for cell in row if cell.value is not None]
    assert "Nữ" in members and "Female" not in members
