"""The six-month review (sơ kết 6 tháng, issue 15 point 4): the annual report's layout at 30/6."""
import datetime
import io
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from clubs.formatting import format_vnd
from clubs.models import Area
from funds.models import Loan
from funds.tests.factories import LoanFactory
from reporting import annual, indicators, report_files
from reporting.models import AnnualReport
from reporting.tests.test_report import build_world, make_report, pdf_text, squash

pytestmark = pytest.mark.django_db
HALF = datetime.date(2025, 6, 30)


@pytest.fixture
def world(db):
    province = build_world()
    # A loan of the second half: in the year's report, not in the six-month review.
    loan = Loan.objects.filter(club__code="CLB-A1").first()
    LoanFactory(club=loan.club, member=loan.member, disbursed_on=datetime.date(2025, 9, 1), principal=7_000_000)
    return province


def test_the_review_counts_the_first_half_in_the_report_layout(world, officer, tmp_path):
    report = make_report(world, officer, period=AnnualReport.Period.HALF)
    context = annual.build_context(report)
    ind = indicators.compute(area=world, as_of=HALF)
    assert context["as_of"] == HALF and context["ind"] == ind
    year = indicators.compute(area=world, as_of=datetime.date(2025, 12, 31))
    assert year.loans_disbursed_count == ind.loans_disbursed_count + 1  # the September loan is not in it
    text = squash(pdf_text(report_files.render_pdf(context), tmp_path))
    for expected in (
        "Sơ kết 6 tháng đầu năm 2025 thực hiện Kế hoạch nhân rộng mô hình câu lạc bộ liên thế hệ tự giúp nhau",
        "kết quả thực hiện 6 tháng đầu năm 2025",
        f"Trong 6 tháng đầu năm 2025, các CLB đã cho thành viên vay {ind.loans_disbursed_count} lượt",
        f"tổng số tiền {format_vnd(ind.loans_disbursed_amount)}",
        f"Dư nợ đến ngày 30/06/2025 là {format_vnd(ind.outstanding_principal)}",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2025",
    ):
        assert expected in text, expected
    assert "NHIỆM VỤ NĂM 2026" not in text


def test_the_command_makes_the_review(world, tmp_path):
    pdf = tmp_path / "half.pdf"
    out = io.StringIO()
    call_command("annual_report", "--year", "2025", "--half", "--pdf", str(pdf), stdout=out)
    text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert "Sơ kết 6 tháng đầu năm 2025" in text and "30/06/2025" in out.getvalue()


def test_the_review_is_offered_and_saved_from_the_pages(officer_client, world):
    page = officer_client.get(reverse("reporting:report_new"), {"period": "half", "year": "2025"})
    assert page.context["form"].initial.get("period", page.context["form"].instance.period) == "half"
    province = Area.objects.get(level=Area.Level.PROVINCE)
    data = {"year": 2025, "period": "half", "area": province.pk, "issuing_body": "HỘI NGƯỜI CAO TUỔI TỈNH LAI CHÂU",
            "place": "Lai Châu", "addressee": "Ủy ban nhân dân tỉnh Lai Châu", "signer_authority": "TM. BAN THƯỜNG VỤ",
            "signer_title": "CHỦ TỊCH"}
    response = officer_client.post(reverse("reporting:report_new"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    report = AnnualReport.objects.get()
    assert report.period == "half"
    detail = officer_client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Sơ kết 6 tháng đầu năm 2025" in detail and "30/06/2025" in detail
