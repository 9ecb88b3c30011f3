"""The report's subsection "Công tác tập huấn, truyền thông, kiểm tra giám sát, kinh phí" (docs/programme.md):
the figures counted by hand for the report's area and period, in the HTML detail, the PDF and the Excel."""
import datetime
import io
import re

import pytest
from django.urls import reverse

from clubs.models import Area
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory
from programme.models import Communication
from programme.tests.factories import budget, commune, communication, exchange, province, supervision, training
from reporting import annual, report_files
from reporting.models import AnnualReport
from reporting.programme_figures import for_report, programme_figures
from reporting.tests.test_report import make_report, pdf_text, squash

pytestmark = pytest.mark.django_db
JAN1, DEC31 = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


@pytest.fixture
def plan_rows(club_a, club_b, district_a, district_b):
    other = ClubFactory(code="CLB-A2", commune=club_a.commune)
    training(commune(COMMUNE_IN_A), datetime.date(2025, 3, 5), cadres=2, board=5, members=30, others=1)
    training(district_a, datetime.date(2025, 8, 1), cadres=10, board=0, members=0, others=0)
    training(province(), datetime.date(2025, 5, 1), cadres=40, board=20, members=0, others=5)
    training(district_a, datetime.date(2024, 12, 31))  # another year
    training(district_b, datetime.date(2025, 4, 1))  # another district
    training(district_a, datetime.date(2025, 4, 2), cancelled=True, cancel_reason="nhầm")
    communication(district_a, datetime.date(2025, 2, 1), audience=200)
    communication(district_a, datetime.date(2025, 9, 1), kind=Communication.Kind.PRINTED, quantity=500, audience=None)
    exchange(district_a, [club_a, other], datetime.date(2025, 4, 10))
    exchange(district_a, [club_a], datetime.date(2025, 10, 10), outside=True, destination="Điện Biên")
    supervision(club_a, datetime.date(2025, 3, 1), follow_up="Bổ sung sổ quỹ")
    supervision(club_a, datetime.date(2025, 9, 1), follow_up="Họp Ban chủ nhiệm", done_on=datetime.date(2025, 10, 1))
    supervision(other, datetime.date(2025, 5, 1))
    supervision(club_b, datetime.date(2025, 5, 1))
    budget(district_a, 2025, "province", estimate=100_000_000, actual=80_000_000)
    budget(commune(COMMUNE_IN_A), 2025, "province", estimate=20_000_000, actual=20_000_000)
    budget(district_a, 2025, "social", estimate=30_000_000, actual=10_000_000)
    budget(district_a, 2024, "social", estimate=9, actual=9)
    budget(province(), 2025, "central", estimate=500_000_000, actual=400_000_000)


def test_district_figures_count_its_own_rows_of_the_period(plan_rows, district_a):
    pf = programme_figures(district_a, start=JAN1, end=DEC31)
    assert pf.trainings == 2 and pf.trained == {"cadres": 12, "board": 5, "members": 30, "others": 1}
    assert (pf.communication_events, pf.communication_materials, pf.communication_audience) == (1, 1, 200)
    assert (pf.exchanges_inside, pf.exchanges_outside) == (1, 1)
    assert (pf.supervision_visits, pf.clubs_supervised, pf.follow_ups_open) == (3, 2, 1)
    assert [(r.label, r.estimate, r.actual) for r in pf.budget] == [
        ("Ngân sách tỉnh", 120_000_000, 100_000_000), ("Xã hội hóa", 30_000_000, 10_000_000)]
    half = programme_figures(district_a, start=JAN1, end=datetime.date(2025, 6, 30))
    assert half.trainings == 1 and half.supervision_visits == 2 and half.exchanges == 1
    assert half.follow_ups_open == 1


def test_a_follow_up_done_after_the_period_still_counts_open_at_its_end(club_a, district_a):
    supervision(club_a, datetime.date(2025, 5, 1), follow_up="Mở sổ quỹ", done_on=datetime.date(2025, 8, 1))
    supervision(club_a, datetime.date(2025, 7, 1), follow_up="Họp Ban chủ nhiệm")  # asked after 30/06
    assert programme_figures(district_a, start=JAN1, end=datetime.date(2025, 6, 30)).follow_ups_open == 1
    assert programme_figures(district_a, start=JAN1, end=DEC31).follow_ups_open == 1
    assert programme_figures(district_a, start=JAN1, end=datetime.date(2025, 7, 15)).follow_ups_open == 2


def test_province_figures_hold_every_district_and_the_province_rows(plan_rows):
    pf = programme_figures(province(), start=JAN1, end=DEC31)
    assert pf.trainings == 4 and pf.trained_total == 38 + 10 + 65 + 20
    assert pf.supervision_visits == 4 and pf.clubs_supervised == 3
    assert pf.estimate_total == 650_000_000 and pf.actual_total == 510_000_000


def test_report_section_in_the_pdf_the_excel_and_the_detail_page(plan_rows, officer, officer_client, district_a,
                                                                tmp_path):
    from openpyxl import load_workbook

    report = make_report(district_a, officer)
    context = annual.build_context(report)
    text = squash(pdf_text(report_files.render_pdf(context), tmp_path))
    title = "7. Công tác tập huấn, truyền thông, kiểm tra giám sát, kinh phí"
    assert text.index("6. Kết quả theo") < text.index(title) < text.index("8. Đánh giá chung")
    assert "đã tổ chức 2 lớp tập huấn với 48 lượt người tham gia (cán bộ Hội: 12; thành viên Ban chủ nhiệm CLB: 5;" in text
    assert "3 lần kiểm tra, giám sát tại 2 CLB" in text and "còn 1 kiến nghị chưa thực hiện xong" in text
    assert "dự toán 150.000.000 đ, thực hiện 110.000.000 đ" in text
    assert "Bảng 8. Kinh phí thực hiện năm 2025 theo nguồn" in text
    assert "Ngân sách tỉnh 120.000.000 đ 100.000.000 đ" in text

    wb = load_workbook(io.BytesIO(report_files.render_xlsx(context)))
    budget_rows = list(wb["B8 Kinh phí"].iter_rows(values_only=True))
    assert ("Ngân sách tỉnh", 120_000_000, 100_000_000) in budget_rows
    assert ("Tổng cộng", 150_000_000, 110_000_000) in budget_rows
    summary = {row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Số lớp tập huấn"] == 2 and summary["Lần kiểm tra, giám sát, hỗ trợ CLB"] == 3
    assert summary["Kinh phí thực hiện năm (đồng)"] == 110_000_000
    activities = {row[0]: row[1] for row in wb["B7 Hoạt động Đề án"].iter_rows(values_only=True) if row and row[0]}
    assert activities["Chuyến giao lưu, học tập kinh nghiệm ngoài tỉnh"] == 1

    page = officer_client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    section = re.sub(r"\s+", " ", page.split('id="programme-figures"')[1].split("</section>")[0])
    assert "Kinh phí năm 2025" in section and "120.000.000 đ" in section and "150.000.000 đ" in section


def test_six_month_report_counts_the_first_half(plan_rows, officer, district_a, tmp_path):
    report = make_report(district_a, officer, period=AnnualReport.Period.HALF)
    pf = for_report(report)
    assert pf.end == datetime.date(2025, 6, 30) and pf.trainings == 1
    text = squash(pdf_text(report_files.render_pdf(annual.build_context(report)), tmp_path))
    assert "trong 6 tháng đầu năm 2025 đã tổ chức 1 lớp tập huấn với 38 lượt người tham gia" in text
    assert Area.objects.filter(pk=district_a.pk).exists()
