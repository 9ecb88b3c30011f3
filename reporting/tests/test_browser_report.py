"""The officer's journey in a real browser: prepare the draft, generate, download the PDF and workbook."""
import io
import re
import subprocess

import pytest
from openpyxl import load_workbook

from clubs.models import Area
from reporting import indicators
from reporting.tests.test_report import D, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_reports(settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path / "private"


def test_officer_prepares_generates_and_downloads_the_annual_report(page, login, officer, live_server, tmp_path):
    province = build_world()
    login(page, officer)
    page.get_by_role("link", name="Báo cáo năm").click()
    page.get_by_role("link", name="Lập báo cáo mới").click()

    page.select_option("select[name=year]", "2025")
    page.select_option("select[name=area]", str(province.pk))
    page.fill("input[name=number_symbol]", "15/BC-HNCT")
    page.fill("input[name=issued_on]", "05/01/2026")
    page.fill("input[name=signer_name]", "Lò Văn Xuân")
    page.fill("textarea[name=shortcomings]", "Một số CLB chưa đủ 8 mảng hoạt động.")
    page.click("#save-draft")
    page.wait_for_url(re.compile(r"/reporting/reports/\d+/$"))
    assert "15/BC-HNCT" in page.locator("#report-summary").inner_text()

    page.click("#generate-report")
    page.wait_for_selector("#version-table td:has-text('31/12/2025')")
    assert "Đã tạo phiên bản 1" in page.locator(".alert").inner_text()

    with page.expect_download() as info:
        page.locator("#version-table").get_by_role("link", name="PDF").click()
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    assert pdf.name == f"BaoCao-2025-{province.code}-v1.pdf"
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    ind = indicators.compute(area=Area.objects.get(level=Area.Level.PROVINCE), as_of=D)
    assert "Số: 15/BC-HNCT" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert f"toàn tỉnh có {ind.clubs_active} câu lạc bộ" in text
    assert "Một số CLB chưa đủ 8 mảng hoạt động." in text

    with page.expect_download() as info:
        page.locator("#version-table").get_by_role("link", name="Excel").click()
    wb = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    assert "Ma trận CLB" in wb.sheetnames
