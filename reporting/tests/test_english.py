"""An officer can read the dashboard, plans and annual report screens in English.

The annual report itself (PDF and workbook) is an official Vietnamese document for the Provincial
People's Committee: generating it from an English session still prints it in Vietnamese.
"""
import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import ReportVersion
from reporting.tests.test_report import build_world, make_report, squash

from clubs.tests.i18n import assert_pages_read, switch, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_reports(settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def report(db, officer):
    return make_report(build_world(), officer)


def pages():
    return {
        "dashboard": reverse("reporting:dashboard") + "?on=2025-12-31",
        "plans": reverse("reporting:plans"),
        "reports": reverse("reporting:reports"),
    }


ENGLISH = {
    "dashboard": ["Indicator summary", "Data cut-off date", "Progress against the plan", "Charts",
                  "New clubs founded per year against the plan", "By former district", "Assessment of each club",
                  "Active clubs", "Outstanding principal"],
    "plans": ["Plans and targets", "Plan name", "Legal basis", "View progress"],
    "reports": ["Annual reports to the Provincial People", "New report", "Prepared by", "Last generated"],
}
VIETNAMESE = {
    "dashboard": ["Tổng hợp chỉ tiêu", "Ngày chốt số liệu", "Tiến độ so với kế hoạch", "Biểu đồ",
                  "CLB thành lập mới theo năm so với kế hoạch", "Theo huyện cũ", "Đánh giá từng CLB",
                  "CLB đang hoạt động", "Dư nợ gốc"],
    "plans": ["Kế hoạch và chỉ tiêu", "Tên kế hoạch", "Căn cứ", "Xem tiến độ"],
    "reports": ["Báo cáo năm gửi UBND tỉnh", "Lập báo cáo mới", "Người lập", "Lần tạo gần nhất"],
}


def test_officer_reads_dashboard_plans_and_reports_in_english(officer_client, report):
    urls = pages()
    assert_pages_read(officer_client, urls, VIETNAMESE)
    switch(officer_client, "en", urls["dashboard"])
    assert_pages_read(officer_client, urls, ENGLISH, VIETNAMESE, lang="en")
    switch(officer_client, "vi", urls["dashboard"])
    assert_pages_read(officer_client, urls, VIETNAMESE, ENGLISH)


def test_plan_form_errors_in_english(officer_client, db):
    build_world()
    switch(officer_client, "en")
    response = officer_client.post(reverse("reporting:plan_new"), {
        "name": "Plan", "start_year": "2025", "end_year": "2021", "area": "",
        "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0",
    })
    page = text(response)
    assert "The end year cannot be before the start year." in page
    assert "Năm kết thúc phải từ năm bắt đầu trở đi." not in page


def pdf_words(pdf, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return squash(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


# Words the report would print if the English catalogue leaked into it: table titles and column heads,
# the establishment tracks (clubs' catalogue), the chart titles and legends.
VIETNAMESE_REPORT = ["BÁO CÁO", "Bảng 1. Số CLB thành lập theo lộ trình kế hoạch", "Bảng 2. Kết quả so với chỉ tiêu",
                     "Mới - ngân sách", "CLB đạt cơ cấu thành viên", "Chưa đạt",
                     "CLB thành lập mới theo năm so với kế hoạch", "Thành viên theo giới tính và nhóm tuổi"]
ENGLISH_REPORT = ["New – budget", "Clubs meeting the membership composition", "Not met",
                  "New clubs founded per year", "Members by sex and age group", "Achieved", "Female",
                  "million VND"]


def test_report_generated_from_an_english_session_is_vietnamese(officer_client, report, tmp_path):
    switch(officer_client, "en")
    response = officer_client.post(reverse("reporting:report_generate", args=[report.pk]), follow=True)
    page = text(response)
    # The screens around it stay English: the Vietnamese rendering did not leak out of the report.
    assert "Version 1 of the report has been generated" in page and "Generated versions" in page
    assert "Các phiên bản đã tạo" not in page

    version = ReportVersion.objects.get(report=report)
    download = officer_client.get(reverse("reporting:report_download", args=[report.pk, version.number, "pdf"]))
    words = pdf_words(b"".join(download.streaming_content), tmp_path)
    for phrase in VIETNAMESE_REPORT:
        assert phrase in words, phrase
    for phrase in ENGLISH_REPORT:
        assert phrase not in words, phrase

    download = officer_client.get(reverse("reporting:report_download", args=[report.pk, version.number, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames[:3] == ["Tổng hợp", "Nội dung", "B1 Lộ trình"]
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert {"Mã CLB", "Đạt", "Chưa đạt", "Số CLB đang hoạt động"} <= cells
    assert not {"Club code", "Met", "Not met", "Female", "Whole province"} & cells
    assert not any("New – budget" in c for c in cells)

    # The proofreading preview is the same document.
    preview = officer_client.get(reverse("reporting:report_preview", args=[report.pk]))
    assert preview.status_code == 200
    words = pdf_words(preview.content, tmp_path)
    assert "Bảng 1. Số CLB thành lập theo lộ trình kế hoạch" in words and "New clubs founded per year" not in words
    # ...and the page that links to it is English again.
    assert "Generated versions" in text(officer_client.get(reverse("reporting:report_detail", args=[report.pk])))
