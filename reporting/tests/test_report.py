"""The annual report's PDF and workbook: layout of Decree 30/2020 and figures equal to compute()."""
import datetime
import io
import re
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from clubs.formatting import format_vnd, percent_1dp
from clubs.models import Area
from clubs.tests.factories import COMMUNE_IN_B, commune, ensure_areas
from reporting import annual, indicators, plans, report_files
from reporting.models import AnnualReport
from reporting.tests.builders import default_scorecard, good_club

pytestmark = pytest.mark.django_db

YEAR = 2025
D = datetime.date(YEAR, 12, 31)
MM = 72 / 25.4  # points per millimetre


def build_world():
    """Two clubs in two former districts, the seeded Lai Châu plan: enough for every table to have rows."""
    ensure_areas()
    province = Area.objects.get(level=Area.Level.PROVINCE)
    plans.seed_lai_chau_plan(province)
    default_scorecard()  # its annex is part of every yearly report
    good_club("CLB-A1", borrowers=20)  # district 105
    good_club("CLB-B1", borrowers=10, commune=commune(COMMUNE_IN_B), founded_on=datetime.date(2025, 4, 2))
    return province


def make_report(area, user, **kwargs):
    report = annual.new_report(year=YEAR, area=area, user=user)
    report.number_symbol = "15/BC-HNCT"
    report.parent_body = "TW HỘI NGƯỜI CAO TUỔI VIỆT NAM"
    report.issued_on = datetime.date(2026, 1, 5)
    report.signer_name = "Lò Văn Xuân"
    report.assessment = "Các CLB duy trì sinh hoạt đều đặn.\nNhiều CLB làm tốt công tác chăm sóc sức khỏe."
    report.shortcomings = "Một số CLB chưa đủ 8 mảng hoạt động."
    report.directions = "Tiếp tục củng cố các CLB hiện có."
    report.proposals = "Đề nghị UBND tỉnh bố trí kinh phí năm 2026."
    for name, value in kwargs.items():
        setattr(report, name, value)
    return annual.save_report(report=report, user=user)


def pdf_text(pdf_bytes, tmp_path, *extra):
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", *extra, str(path), "-"], capture_output=True, text=True, check=True).stdout


def squash(text):
    """pdftotext breaks lines where the PDF does; compare with runs of whitespace made single spaces."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def rendered(world, officer, tmp_path):
    report = make_report(world, officer)
    context = annual.build_context(report)
    return report, context, report_files.render_pdf(context), report_files.render_xlsx(context)


def test_pdf_holds_header_motto_title_addressee_and_signature(rendered, tmp_path):
    _report, _context, pdf, _xlsx = rendered
    text = squash(pdf_text(pdf, tmp_path))
    for expected in (
        "TW HỘI NGƯỜI CAO TUỔI VIỆT NAM",
        "HỘI NGƯỜI CAO TUỔI",
        "TỈNH LAI CHÂU",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/BC-HNCT",
        "Lai Châu, ngày 05 tháng 01 năm 2026",
        "BÁO CÁO",
        "Kết quả thực hiện Kế hoạch nhân rộng mô hình câu lạc bộ liên thế hệ tự giúp nhau năm 2025",
        "Kính gửi: Ủy ban nhân dân tỉnh Lai Châu.",
        "I. KẾT QUẢ THỰC HIỆN",
        "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "Đề nghị UBND tỉnh bố trí kinh phí năm 2026./.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
        "Lò Văn Xuân",
        # the opening sentence cites the plan
        "Kế hoạch nhân rộng mô hình câu lạc bộ liên thế hệ tự giúp nhau tỉnh Lai Châu đến năm 2025",
        "Quyết định số 1336/QĐ-TTg",
        # the narrative, one paragraph per line
        "Nhiều CLB làm tốt công tác chăm sóc sức khỏe.",
    ):
        assert expected in text, expected


def test_pdf_key_figures_equal_the_indicators(rendered, tmp_path):
    _report, _context, pdf, _xlsx = rendered
    text = squash(pdf_text(pdf, tmp_path))
    ind = indicators.compute(area=Area.objects.get(level=Area.Level.PROVINCE), as_of=D)
    assert ind.clubs_active == 2 and ind.members_active == 80  # the data really has figures to show
    assert f"toàn tỉnh có {ind.clubs_active} câu lạc bộ" in text
    assert f"tổng số {annual.fmt_int(ind.members_active)} thành viên" in text
    assert f"thành viên nữ {ind.women} người, chiếm {annual.fmt_pct(ind.women_pct)}" in text
    assert f"người cao tuổi {ind.older} người, chiếm {annual.fmt_pct(ind.older_pct)}" in text
    assert f"đã thành lập mới {ind.value('clubs_founded')} CLB" in text
    assert (f"hoạt động hiệu quả (đủ 8 mảng và từ 50% thành viên được vay vốn) là {ind.clubs_well_run} CLB "
            f"({annual.fmt_pct(ind.club_pct(ind.clubs_well_run))})") in text
    assert f"vay {ind.loans_disbursed_count} lượt" in text
    assert f"tổng số tiền {format_vnd(ind.loans_disbursed_amount)}" in text
    assert format_vnd(ind.loans_disbursed_amount) == "150.000.000 đ"
    assert f"Dư nợ đến ngày 31/12/2025 là {format_vnd(ind.outstanding_principal)}" in text
    # tables by former district list each district's own figures
    layout = pdf_text(pdf, tmp_path, "-layout")
    for row in indicators.compute_breakdown(area=Area.objects.get(level=Area.Level.PROVINCE), as_of=D):
        if row.clubs_active:
            assert re.search(rf"{row.scope_name}\s+{row.clubs_active}\s+{row.members_active}\s+"
                             rf"{re.escape(annual.fmt_pct(row.women_pct))}", layout), row.scope_name


def test_pdf_embeds_liberation_serif(rendered, tmp_path):
    path = tmp_path / "f.pdf"
    path.write_bytes(rendered[2])
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = [line for line in out.splitlines()[2:] if line.strip()]
    assert fonts, out
    for line in fonts:
        assert "Liberation-Serif" in line, line
        assert re.search(r"\byes\s+yes\s+yes\b", line), line  # emb sub uni
    assert any("Bold" in f for f in fonts) and any("Italic" in f for f in fonts)


def test_pdf_is_a4_with_the_decree_margins_and_page_numbers_from_page_two(rendered, tmp_path):
    path = tmp_path / "m.pdf"
    path.write_bytes(rendered[2])
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words_by_page = [
        [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
         re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)]
        for page in bbox.split("<page ")[1:]
    ]
    # The grading annex is on landscape pages, with the same margins (issue 15).
    sizes = [(round(float(w), 2), round(float(h), 2))
             for w, h in re.findall(r'<page width="([\d.]+)" height="([\d.]+)"', bbox)]
    assert sizes[0] == (595.28, 841.89) and set(sizes) <= {(595.28, 841.89), (841.89, 595.28)}
    top, bottom, left, right = 20 * MM, 20 * MM, 30 * MM, 15 * MM
    for number, (words, (width, height)) in enumerate(zip(words_by_page, sizes), start=1):
        body = [w for w in words if w[1] >= top - 1]
        header = [w for w in words if w[3] <= top]
        assert min(w[0] for w in body) >= left - 1  # left margin 30 mm
        assert max(w[2] for w in body) <= width - right + 1  # right margin 15 mm
        assert max(w[3] for w in body) <= height - bottom + 1  # bottom margin 20 mm
        if number == 1:
            assert header == []  # no page number on the first page
        else:
            assert [w[4] for w in header] == [str(number)]
            centre = (header[0][0] + header[0][2]) / 2
            assert abs(centre - (left + (width - right)) / 2) < 3  # centred over the text block
    # justified body: lines reach the right margin
    assert max(w[2] for w in words_by_page[0]) > sizes[0][0] - right - 5


def test_workbook_has_a_sheet_per_table_and_the_same_numbers(rendered):
    _report, context, _pdf, xlsx = rendered
    wb = load_workbook(io.BytesIO(xlsx))
    province = Area.objects.get(level=Area.Level.PROVINCE)
    ind = indicators.compute(area=province, as_of=D)
    words = [row[0] for row in wb["Nội dung"].iter_rows(values_only=True)]
    assert "Một số CLB chưa đủ 8 mảng hoạt động." in words and "- Lưu: VT." in words and "Lò Văn Xuân" in words
    assert wb.sheetnames == ["Tổng hợp", "Nội dung", "B1 Lộ trình", "B2 Chỉ tiêu", "B3 Chất lượng", "B4 Vay vốn",
                             "B5 Hoạt động", "B6 Theo địa bàn", "B7 Hoạt động Đề án", "B8 Kinh phí", "Ma trận CLB",
                             "PL Tiêu chí xếp loại", "PL Xếp loại CLB"]  # the grading annex (issue 15)
    summary = {row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Số CLB đang hoạt động"] == ind.clubs_active
    assert summary["Số thành viên"] == ind.members_active
    assert summary["Tỷ lệ nữ (%)"] == float(ind.women_pct)
    assert summary["Số tiền cho vay trong năm (đồng)"] == ind.loans_disbursed_amount == 150_000_000
    assert summary["Dư nợ (đồng)"] == ind.outstanding_principal
    assert summary["CLB hoạt động hiệu quả"] == ind.clubs_well_run

    by_district = {row[0]: row for row in wb["B6 Theo địa bàn"].iter_rows(min_row=3, values_only=True)}
    for row in indicators.compute_breakdown(area=province, as_of=D):
        assert by_district[row.scope_name][1:4] == (row.clubs_active, row.members_active, float(row.women_pct))
    assert by_district["Tổng cộng"][1] == ind.clubs_active

    schedule = list(wb["B1 Lộ trình"].iter_rows(min_row=4, values_only=True))
    assert schedule[-1][0] == "2025" and schedule[-1][1:5] == (10, ind.clubs_founded["new_budget"], 5,
                                                               ind.clubs_founded["new_rotation"])

    matrix = wb["Ma trận CLB"]
    header = [c.value for c in matrix[2]]
    assert header[:2] == ["Mã CLB", "Tên CLB"] and "Đủ 8 mảng" in header and "Hoạt động hiệu quả" in header
    rows = {r[0]: dict(zip(header, r)) for r in matrix.iter_rows(min_row=3, values_only=True)}
    for club in ind.clubs:
        assert rows[club.code]["Thành viên"] == club.n
        assert rows[club.code]["Người vay vốn"] == club.borrowers
        assert rows[club.code]["Hoạt động hiệu quả"] == ("Đạt" if club.well_run else "Chưa đạt")
    assert rows["CLB-A1"]["Hoạt động hiệu quả"] == "Đạt" and rows["CLB-B1"]["Hoạt động hiệu quả"] == "Chưa đạt"


def test_draft_for_a_district_reports_on_its_communes(world, staff_b, tmp_path):
    district_b = Area.objects.get(level=Area.Level.DISTRICT, code="106")
    report = make_report(district_b, staff_b)
    context = annual.build_context(report)
    text = squash(pdf_text(report_files.render_pdf(context), tmp_path))
    ind = indicators.compute(area=district_b, as_of=D)
    assert ind.clubs_active == 1
    assert f"Huyện Tam Đường có {ind.clubs_active} câu lạc bộ" in text
    assert "Kết quả theo xã/phường" in text


def test_recipients_always_end_with_the_archive_line():
    assert annual.recipient_lines("Như trên;\n- Sở Y tế;\n\n") == ["- Như trên;", "- Sở Y tế;", "- Lưu: VT."]
    assert annual.recipient_lines("- Như trên;\nLưu: VT, VP.") == ["- Như trên;", "- Lưu: VT, VP."]


def test_place_date_line_has_leading_zeros():
    assert annual.place_date_line("Lai Châu", datetime.date(2026, 1, 5)) == "Lai Châu, ngày 05 tháng 01 năm 2026"
    assert annual.fmt_pct(percent_1dp(653, 1000)) == "65,3%"


def test_command_writes_pdf_and_workbook_from_the_latest_draft(world, officer, tmp_path):
    make_report(world, officer, number_symbol="07/BC-HNCT")
    pdf, xlsx = tmp_path / "out.pdf", tmp_path / "out.xlsx"
    call_command("annual_report", "--year", str(YEAR), "--pdf", str(pdf), "--xlsx", str(xlsx), stdout=io.StringIO())
    text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert "Số: 07/BC-HNCT" in text
    assert load_workbook(xlsx)["Tổng hợp"]["A1"].value == "BÁO CÁO"


def test_command_uses_default_header_without_a_draft(world, tmp_path):
    pdf = tmp_path / "d.pdf"
    call_command("annual_report", "--year", str(YEAR), "--district", "105", "--pdf", str(pdf), stdout=io.StringIO())
    text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert "HỘI NGƯỜI CAO TUỔI TỈNH LAI CHÂU" in text and "Thành phố Lai Châu có 1 câu lạc bộ" in text
    assert not AnnualReport.objects.exists()  # the command reads drafts, it never creates one


def test_schedule_of_earlier_years_equals_each_years_own_figures(world, officer):
    """Table 1's row for a year shows what that year's report said (compute() at its 31/12)."""
    good_club("CLB-A2", founded_on=datetime.date(2024, 5, 1), track="new_rotation")
    report = make_report(world, officer)
    table = annual.build_context(report)["tables"]["schedule"]
    rows = {row[0]: row for row in table["rows"]}
    assert [c["label"] for c in table["columns"]][:3] == ["Năm", "Kế hoạch", "Thực hiện"]
    schedule = plans.founding_schedule(annual.find_plan(report), report.area)
    for year in (2022, 2023, 2024, 2025):
        ind = indicators.compute(area=world, as_of=datetime.date(year, 12, 31))
        assert rows[str(year)][1:5] == [schedule[(year, "new_budget")], ind.clubs_founded["new_budget"],
                                        schedule[(year, "new_rotation")], ind.clubs_founded["new_rotation"]]
    assert rows["2024"][4] == 1 and rows["2025"][2] == 1


HOSTILE = '=HYPERLINK("http://x","Bấm vào")'


def test_club_names_and_narrative_are_text_cells_never_formulas(world, officer):
    from clubs.models import Club

    Club.objects.filter(code="CLB-A1").update(name=HOSTILE)
    report = make_report(world, officer, assessment=HOSTILE, proposals="+84 912 345 678")
    wb = load_workbook(io.BytesIO(report_files.render_xlsx(annual.build_context(report))))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(("=", "+"))]
    assert {(c.parent.title, c.value) for c in cells} >= {
        ("Ma trận CLB", HOSTILE), ("Nội dung", HOSTILE), ("Nội dung", "+84 912 345 678./.")}
    assert all(c.data_type == "s" for c in cells), [(c.parent.title, c.coordinate) for c in cells if c.data_type != "s"]
