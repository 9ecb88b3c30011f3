"""The files of an annual report: the official PDF (Decree 30/2020/NĐ-CP layout, WeasyPrint) and the
Excel workbook with the same tables, rendered from the one context reporting.annual builds, and kept
as numbered versions. Nothing here computes a figure."""
import io
import re

from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from clubs.models import staff_of
from clubs.spreadsheet import as_text

from .annual import (
    AREA_NOT_ALLOWED, CHECK, INT, MONEY, PCT, TEXT, build_context, fmt_date, in_vietnamese, report_areas_for,
)
from .models import AnnualReport, ReportVersion


@in_vietnamese
def render_html(context):
    return render_to_string("reporting/report_pdf.html", context)


@in_vietnamese
def render_pdf(context):
    from weasyprint import CSS, HTML  # heavy import, only when a PDF is made

    css = finders.find("reporting/report_pdf.css")
    return HTML(string=render_html(context), base_url=str(css)).write_pdf(stylesheets=[CSS(filename=css)])


XLSX_FORMATS = {INT: "#,##0", MONEY: "#,##0", PCT: "0.0"}


def _sheet_title(text):
    return re.sub(r"[\\/*?:\[\]]", "-", str(text))[:31]


@in_vietnamese
def build_workbook(context):
    """The same report as a workbook: a summary sheet, one sheet per table, the compliance matrix.
    Cells hold numbers (percent cells the percentage itself, one decimal), not formatted text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    ind, report = context["ind"], context["report"]
    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(_t("Tổng hợp"))
    ws.append([_t("BÁO CÁO")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([context["summary"]])
    ws.append([_t("Địa bàn"), ind.scope_name])
    ws.append([_t("Ngày chốt số liệu"), fmt_date(context["as_of"])])
    ws.append([_t("Số, ký hiệu"), report.number_symbol])
    ws.append([])
    ws.append([_t("Chỉ tiêu"), _t("Giá trị")])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for label, value, kind in summary_rows(context):
        ws.append([label, value])
        if kind in XLSX_FORMATS:
            ws.cell(ws.max_row, 2).number_format = XLSX_FORMATS[kind]
    for cells in ws.iter_rows():  # names of areas and reports are user text: never a formula
        for cell in cells:
            as_text(cell)
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 20

    _text_sheet(wb.create_sheet(_sheet_title(_t("Nội dung"))), context, bold)

    for table in context["tables"].values():
        table_sheet(wb, table)
    return wb


def table_sheet(wb, table, *, note=None):
    """One report table (reporting.report_tables.make_table) on its own sheet of `wb`: its title, `note`
    (e.g. where the figures come from) on the next row, the group and column headers, the rows and the
    total. The annual report's workbook and the grading page's Excel file both write tables so."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    sheet = wb.create_sheet(_sheet_title(table["sheet"]))
    # Row numbers are counted here: openpyxl's max_row scans every cell, which made the 6.000-row
    # matrix quadratic.
    row = 1
    as_text(sheet.cell(row, 1, table["title"])).font = Font(bold=True, size=12)
    if note:
        row += 1
        as_text(sheet.cell(row, 1, note))
    if table["groups"]:
        row += 1
        col = 1
        for label, span in table["groups"]:
            cell = as_text(sheet.cell(row, col, label or None))
            cell.font, cell.alignment = bold, Alignment(horizontal="center")
            if span > 1:
                sheet.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + span - 1)
            col += span
    row += 1
    header_row = row
    for col, column in enumerate(table["columns"], start=1):
        cell = as_text(sheet.cell(row, col, column["label"]))
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    kinds = [c["kind"] for c in table["columns"]]
    formats = [XLSX_FORMATS.get(kind) for kind in kinds]
    for raw in table["rows"] + ([table["total"]] if table["total"] else []):
        row += 1
        for col, (value, kind, number_format) in enumerate(zip(raw, kinds, formats), start=1):
            if kind == CHECK:
                value = _t("Đạt") if value else _t("Chưa đạt")
            cell = as_text(sheet.cell(row, col, value))  # club names, communes: user text
            if number_format:
                cell.number_format = number_format
            if table["total"] and raw is table["total"]:
                cell.font = bold
    for col, kind in enumerate(kinds, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = 40 if kind == TEXT and col <= 2 else 16
    sheet.freeze_panes = sheet.cell(header_row + 1, 2 if table["key"] == "matrix" else 1)
    return sheet


def _text_sheet(ws, context, bold):
    """The words of the report (header, narrative parts, signer, recipients), one paragraph a row."""
    from openpyxl.styles import Alignment

    report, narrative = context["report"], context["narrative"]
    rows = [
        (True, context["number_line"]), (False, context["place_date"]), (True, _t("BÁO CÁO")),
        (True, context["summary"]), (False, f"Kính gửi: {context['addressee']}."),
        (True, _t("I. KẾT QUẢ THỰC HIỆN") + " – " + _t("8. Đánh giá chung")),
        *[(False, p) for p in narrative["assessment"]],
        (True, _t("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")), *[(False, p) for p in narrative["shortcomings"]],
        (True, context["directions_title"]),
        *[(False, p) for p in narrative["directions"]],
        (True, _t("IV. ĐỀ XUẤT, KIẾN NGHỊ")), *[(False, p) for p in narrative["proposals"]],
        (True, _t("Nơi nhận:")), *[(False, line) for line in context["recipients"]],
        (True, report.signer_authority), (True, report.signer_title), (True, report.signer_name),
    ]
    for row, (is_bold, text) in enumerate(rows, start=1):
        cell = as_text(ws.cell(row, 1, text))  # the narrative is typed by staff
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if is_bold:
            cell.font = bold
    ws.column_dimensions["A"].width = 110


def summary_rows(context):
    """The key figures, as (label, value, kind): the summary sheet and the tests read these."""
    ind = context["ind"]
    rows = [(_t("Số CLB đang hoạt động"), ind.clubs_active, INT)]
    rows += [(_t("  – %(t)s") % {"t": t["label"]}, ind.clubs_active_by_track[t["code"]], INT)
             for t in context["tracks"]]
    rows += [(_t("Số CLB thành lập trong năm"), ind.value("clubs_founded"), INT)]
    rows += [(_t("  – %(t)s") % {"t": t["label"]}, ind.clubs_founded[t["code"]], INT) for t in context["tracks"]]
    rows += [(_t("Số thành viên"), ind.members_active, INT)]
    rows += [(_t("  – %(t)s") % {"t": t["label"]}, ind.members_by_track[t["code"]], INT)
             for t in context["tracks"]]
    rows += [
        (_t("Thành viên nữ"), ind.women, INT),
        (_t("Tỷ lệ nữ (%)"), ind.women_pct, PCT),
        (_t("Người cao tuổi"), ind.older, INT),
        (_t("Tỷ lệ người cao tuổi (%)"), ind.older_pct, PCT),
        (_t("Người cao tuổi hộ nghèo, cận nghèo"), ind.poor_older, INT),
        (_t("CLB đạt cơ cấu"), ind.clubs_composition_ok, INT),
        (_t("CLB đủ quỹ và quy chế"), ind.clubs_funds_ok, INT),
        (_t("CLB hoạt động đủ 8 mảng"), ind.clubs_areas_ok, INT),
        (_t("CLB có từ 50% thành viên vay vốn"), ind.clubs_borrowers_ok, INT),
        (_t("CLB hoạt động hiệu quả"), ind.clubs_well_run, INT),
        (_t("CLB sinh hoạt đủ các tháng"), ind.clubs_meetings_ok, INT),
        (_t("CLB hoạt động đạt chuẩn"), ind.clubs_standard, INT),
        (_t("Xã, phường có CLB đạt chuẩn"), ind.communes_standard, INT),
        (_t("Thành viên mới tham gia trong năm"), ind.members_joined, INT),
        (_t("Tỷ lệ nữ trong số người cao tuổi (%)"), ind.older_women_pct, PCT),
        (_t("Số lượt cho vay trong năm"), ind.loans_disbursed_count, INT),
        (_t("Số tiền cho vay trong năm (đồng)"), ind.loans_disbursed_amount, MONEY),
        (_t("Dư nợ (đồng)"), ind.outstanding_principal, MONEY),
        (_t("Nợ quá hạn trên 30 ngày (%)"), ind.par30, PCT),
        (_t("CLB có tổ chức khám/đo sức khỏe"), ind.clubs_with_health, INT),
        (_t("Số buổi khám/đo sức khỏe"), ind.health_sessions, INT),
        (_t("Thành viên được khám/đo trong năm"), ind.members_checked, INT),
        (_t("Tỷ lệ thành viên được khám/đo (%)"), ind.members_checked_pct, PCT),
        (_t("Người cao tuổi được khám/đo trong năm"), ind.older_checked, INT),
        (_t("Tỷ lệ người cao tuổi được khám/đo (%)"), ind.older_checked_pct, PCT),
        (_t("Thành viên cần theo dõi huyết áp"), ind.members_high, INT),
        (_t("Tình nguyện viên chăm sóc tại nhà"), ind.volunteers_active, INT),
        (_t("Người được chăm sóc tại nhà"), ind.recipients_active, INT),
        (_t("Người được chăm sóc được thăm đủ các tháng"), ind.recipients_visited_ok, INT),
        (_t("Tỷ lệ người được chăm sóc được thăm đủ các tháng (%)"), ind.recipients_visited_pct, PCT),
        (_t("Lượt thăm chăm sóc trong năm"), ind.visits, INT),
    ]
    pf = context["programme"]
    rows += [
        (_t("Số lớp tập huấn"), pf.trainings, INT),
        (_t("Lượt người được tập huấn"), pf.trained_total, INT),
        (_t("Hoạt động truyền thông (sự kiện và sản phẩm)"), pf.communications, INT),
        (_t("Chuyến giao lưu, học tập kinh nghiệm"), pf.exchanges, INT),
        (_t("Lần kiểm tra, giám sát, hỗ trợ CLB"), pf.supervision_visits, INT),
        (_t("Số CLB được kiểm tra, giám sát"), pf.clubs_supervised, INT),
        (_t("Kinh phí dự toán năm (đồng)"), pf.estimate_total, MONEY),
        (_t("Kinh phí thực hiện năm (đồng)"), pf.actual_total, MONEY),
    ]
    return rows


@in_vietnamese
def render_xlsx(context):
    stream = io.BytesIO()
    build_workbook(context).save(stream)
    return stream.getvalue()


def file_stem(report, number=None):
    stem = f"BaoCao-{report.year}{'-6T' if report.period == report.Period.HALF else ''}-{report.area.code}"
    return f"{stem}-v{number}" if number else stem


STEPS = (_("Đang tính số liệu"), _("Đang tạo tệp PDF"), _("Đang tạo tệp Excel"), _("Đang lưu phiên bản"))


@in_vietnamese
def generate_version(*, report, user, progress=None):
    """Render the PDF and workbook from the figures at 31/12 and keep them as a new version.
    progress: a jobs.runner.Progress told each of STEPS (the task that generates a report)."""
    def step(i):
        if progress is not None:
            progress.step(STEPS[i], total=len(STEPS), done=i)

    staff = staff_of(user)
    if staff is None or not report_areas_for(user).filter(pk=report.area_id).exists():
        raise ValidationError(AREA_NOT_ALLOWED, code="area_not_allowed")
    step(0)
    context = build_context(report)
    step(1)
    pdf = render_pdf(context)
    step(2)
    xlsx = render_xlsx(context)
    step(3)
    with transaction.atomic():
        # Lock the draft so two clicks on "Tạo báo cáo" get numbers 1 and 2, never the same one.
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        number = (locked.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = ReportVersion(report=locked, number=number, data_date=context["as_of"], generated_by=user)
        version.pdf.save(f"{file_stem(locked, number)}.pdf", ContentFile(pdf), save=False)
        version.xlsx.save(f"{file_stem(locked, number)}.xlsx", ContentFile(xlsx), save=False)
        version.full_clean()
        version.save()
    return version

