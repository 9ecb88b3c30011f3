"""A district officer's meeting day in Chromium: disburse a loan, collect a repayment on the
collection sheet, read the fund statement."""
import datetime

import pytest
from django.utils import timezone

from clubs.tests.factories import MemberFactory
from funds.models import Loan, Repayment

from .factories import FundEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_disburse_collect_and_read_the_statement(page, login, staff_a, club_a, live_server):
    FundEntryFactory(club=club_a, amount=30_000_000, date=datetime.date(2022, 4, 1))
    member = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    today = timezone.localdate()
    due = today + datetime.timedelta(days=180)

    login(page, staff_a)
    page.goto(f"{live_server.url}/clubs/{club_a.code}/funds/")
    assert "30.000.000 đ" in page.locator("#income-balance").inner_text()

    page.get_by_role("link", name="Giải ngân khoản vay").first.click()
    page.select_option("#id_member", str(member.pk))
    page.fill("#id_principal", "5.000.000")
    page.fill("#id_due_on", due.strftime("%d/%m/%Y"))
    page.fill("#id_purpose", "Nuôi lợn")
    page.get_by_role("button", name="Giải ngân").click()
    page.wait_for_url("**/vay/*/")
    assert "Đã giải ngân khoản vay" in page.content()
    loan = Loan.objects.get()
    assert loan.principal == 5_000_000 and loan.member == member

    page.locator("#fund-tabs").get_by_role("link", name="Phiếu thu nợ").click()
    row = page.locator(f"#row-{loan.pk}")
    assert "Lò Thị Mai" in row.inner_text() and "5.000.000 đ" in row.inner_text()
    row.locator(f"input[name=principal_{loan.pk}]").fill("1.000.000")
    row.locator(f"input[name=interest_{loan.pk}]").fill("25000")
    page.get_by_role("button", name="Ghi phiếu thu nợ").click()
    page.wait_for_url("**/so-quy/income/")
    assert "Đã ghi 1 khoản thu nợ, tổng 1.025.000 đ" in page.content()
    assert Repayment.objects.get().principal == 1_000_000

    page.locator("#fund-tabs").get_by_role("link", name="Báo cáo quỹ").click()
    income = page.locator("#statement-income")
    assert "30.000.000 đ" in income.locator(".opening").inner_text()
    assert "5.000.000 đ" in income.locator(".loans-disbursed").inner_text()
    assert "1.000.000 đ" in income.locator(".principal-repaid").inner_text()
    assert "25.000 đ" in income.locator(".interest-paid").inner_text()
    assert "26.025.000 đ" in income.locator(".closing").inner_text()
    book = page.locator(".loan-book").last.inner_text()
    assert loan.code in book and "4.000.000 đ" in book and "Trong hạn" in book
