"""Indicators §8 (meetings, clubs operating to standard, commune coverage) where people read them:
the dashboard's cards and area tables, and the annual report's PDF and Excel."""
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clubs.models import Meeting
from reporting import annual, indicators, report_files

from .test_report import D, build_world, make_report, pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    province = build_world()
    # CLB-B1 misses its June meeting: it still works in all 8 areas but no longer operates to standard.
    Meeting.objects.filter(club__code="CLB-B1", held_on__month=6).delete()
    return province


def test_figures_of_the_fixture_are_what_a_hand_count_gives(world):
    ind = indicators.compute(area=world, as_of=D)
    by_code = {c.code: c for c in ind.clubs}
    assert (by_code["CLB-A1"].required_months, by_code["CLB-B1"].required_months) == (12, 8)  # B1 founded 02/04
    assert by_code["CLB-A1"].standard_ok and not by_code["CLB-B1"].meetings_ok and by_code["CLB-B1"].areas_ok
    assert (ind.clubs_meetings_ok, ind.clubs_standard, ind.communes_standard, ind.communes_total) == (1, 1, 1, 38)


def test_dashboard_cards_and_district_table_show_meetings_and_standard(officer_client, world):
    html = officer_client.get(reverse("reporting:dashboard"), {"on": D.isoformat()}).content.decode()
    after = html.split('id="headline-standard"', 1)[1]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", after))[:400]
    assert "CLB sinh hoạt đủ các tháng 1" in text
    assert "CLB hoạt động đạt chuẩn 1" in text
    assert "Xã/phường có CLB 2/38" in text
    assert "Xã/phường có CLB đạt chuẩn 1/38" in text
    row_105 = re.search(r'<tr data-code="105">(.*?)</tr>', html, re.S).group(1)
    row_106 = re.search(r'<tr data-code="106">(.*?)</tr>', html, re.S).group(1)
    # The district whose club missed a month: 1 club, 0 meeting every month, 0 to standard.
    cells_106 = re.findall(r'<td class="text-end">([^<]*)</td>', row_106)
    cells_105 = re.findall(r'<td class="text-end">([^<]*)</td>', row_105)
    assert cells_105[9:11] == ["1", "1"] and cells_106[9:11] == ["0", "0"]
    assert cells_105[11].startswith("1/") and cells_106[11].startswith("0/")


def test_annual_report_states_meetings_standard_and_coverage(world, officer, tmp_path):
    context = annual.build_context(make_report(world, officer))
    text = squash(pdf_text(report_files.render_pdf(context), tmp_path))
    assert "1 CLB (50,0%) sinh hoạt đủ các tháng trong năm" in text
    assert "hoạt động đạt chuẩn (đủ 8 mảng và sinh hoạt đủ các tháng) là 1 CLB (50,0%), ở 1/38 xã, phường (2,6%)" in text
    book = load_workbook(io.BytesIO(report_files.render_xlsx(context)))
    values = {row[0]: row[1] for ws in book.worksheets for row in ws.iter_rows(values_only=True) if len(row) > 1 and row[0]}
    assert values["CLB hoạt động đạt chuẩn"] == 1
    assert values["Xã, phường có CLB đạt chuẩn"] == 1
    assert values["CLB sinh hoạt đủ các tháng"] == 1
