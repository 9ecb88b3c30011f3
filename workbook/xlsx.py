"""Writing workbooks in the exchange format: the blank template, exports, and marked copies of uploads."""
import copy
import datetime
import io
import itertools

from django.db.models import Count, Sum
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from care.models import Care, HealthCheck, Visit
from clubs.models import Activity, Area, Meeting, Member
from clubs.spreadsheet import as_text
from funds.models import EntryKind, FundEntry, Loan, Repayment, Source

from . import messages as M
from .reader import open_workbook, sheet_rows
from .spec import (
    ACTIVITIES, AREA, CARE, CHOICE, CLUBS, COMMUNE, DATE, ENTRIES, EXAMPLE_CLUB_CODE, FLAG, HEALTH, LABELS, LIST_SHEET,
    MEMBERS, MONEY, SHEETS, VISITS, YES, header_key, label_of,
)

HEADER_FONT = Font(bold=True)
EXAMPLE_FONT = Font(italic=True, color="808080")
ERROR_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
LAST_ROW = 1048576
MAX_CELL_TEXT = 32767  # Excel's limit for the text of one cell
WRAP = Alignment(wrap_text=True, vertical="top")
WIDTHS = {DATE: 14, MONEY: 16, COMMUNE: 34, CHOICE: 24, AREA: 40, LABELS: 34}


def cell(ws, value, *, money=False, font=None):
    """One write-only cell; text that Excel could read as a formula stays text."""
    c = as_text(WriteOnlyCell(ws, value=value))
    if isinstance(value, datetime.date):
        c.number_format = "DD/MM/YYYY"
    elif money and isinstance(value, int):
        c.number_format = "#,##0"
    if font is not None:
        c.font = font
    return c


def commune_label(area):
    """"03388 - Phường Đoàn Kết": how a drop-down names an area (a commune, or any area of the plan sheet)."""
    return f"{area.code} - {area.name}"


def _lists(communes):
    """Values of the drop-down lists, one column each on the hidden list sheet."""
    return {
        COMMUNE: [commune_label(a) for a in communes],
        "track": [label for label, _ in CLUBS.column("track").choices],
        "gender": [label for label, _ in MEMBERS.column("gender").choices],
        "household": [label for label, _ in MEMBERS.column("household").choices],
        FLAG: [YES],
        "fund": [label for label, _ in ENTRIES.column("fund").choices],
        "kind": [label for label, _ in ENTRIES.column("kind").choices],
        "source": [label for label, _ in ENTRIES.column("source").choices],
        AREA: [label for label, _ in ACTIVITIES.column("area").choices],
        "session_kind": [label for label, _ in HEALTH.column("session_kind").choices],
        "reason": [label for label, _ in CARE.column("reason").choices],
        "kinds": [label for label, _ in VISITS.column("kinds").choices],
    }


def _list_key(column):
    if column.kind in (COMMUNE, AREA, FLAG):
        return column.kind
    if column.kind in (CHOICE, LABELS):
        return column.key
    return None


def add_list(ws, letter, formula, title, *, lenient=False):
    """A drop-down on the whole column below its header; lenient warns of a value not in the list
    instead of refusing it (a bare code typed where the list offers "code - name")."""
    dv = DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
        errorStyle="warning" if lenient else "stop", error="Giá trị không có trong danh sách.", errorTitle=title,
    )
    dv.add(f"{letter}2:{letter}{LAST_ROW}")
    ws.data_validations.append(dv)


def new_workbook(sheet_rows, *, communes, example_rows=None):
    """A workbook with every sheet of the format, its headers, drop-downs and the given rows.

    sheet_rows: {sheet key: iterable of rows, each a list in the order of the sheet's columns}.
    Written in openpyxl's write-only mode, so a whole province exports in constant memory.
    """
    book = Workbook(write_only=True)
    lists = _lists(communes)
    list_ranges = {}
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        list_ranges[key] = f"{quote_sheetname(LIST_SHEET)}!${letter}$2:${letter}${max(len(values) + 1, 2)}"
    for spec in SHEETS:
        ws = book.create_sheet(spec.name)
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = max(WIDTHS.get(column.kind, 18), len(column.header) + 4)
            key = _list_key(column)
            if key is not None:
                # Numbers 1-8 for the activity area, bare commune codes and several labels in one cell
                # ("Bữa ăn, Dọn dẹp") are accepted too: warn, don't block.
                add_list(ws, letter, list_ranges[key], column.header, lenient=column.kind in (AREA, COMMUNE, LABELS))
        ws.freeze_panes = "A2"
        ws.append([cell(ws, f"{c.header}{' *' if c.required else ''}", font=HEADER_FONT) for c in spec.columns])
        money = [c.kind == MONEY for c in spec.columns]
        if example_rows and spec.key in example_rows:
            cells = [cell(ws, v, money=m, font=EXAMPLE_FONT) for v, m in zip(example_rows[spec.key], money)]
            cells[0].comment = Comment("Dòng ví dụ (mã CLB VD-MAU): khi nhập, dòng có mã CLB này được bỏ qua.", "CLB")
            ws.append(cells)
        for values in sheet_rows.get(spec.key, ()):
            ws.append([None if v is None or v == "" else cell(ws, v, money=m) for v, m in zip(values, money)])
    list_ws = book.create_sheet(LIST_SHEET)
    list_ws.sheet_state = "hidden"
    columns = list(lists.values())
    list_ws.append(list(lists))
    for row in range(max(len(v) for v in columns)):
        list_ws.append([v[row] if row < len(v) else None for v in columns])
    return book


def to_bytes(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- template


def template_workbook(*, communes):
    commune = communes[0] if communes else None
    today = datetime.date.today()
    year = today.year - 1
    examples = {
        "clubs": [EXAMPLE_CLUB_CODE, "CLB liên thế hệ bản Mẫu", commune_label(commune) if commune else "",
                  "Bản Mẫu", datetime.date(year, 3, 1), "Mới - ngân sách", "",
                  datetime.date(year, 3, 15), None, ""],
        "members": [EXAMPLE_CLUB_CODE, "TV001", "Lò Thị Mai", "Nữ", 1958,
                    datetime.date(1958, 5, 20), "Thái", "Hộ nghèo", datetime.date(year, 3, 1), None,
                    "0912345678", "Bản Mẫu", YES, ""],
        "loans": ["KV001", EXAMPLE_CLUB_CODE, "TV001", datetime.date(year, 4, 1), 5_000_000,
                  datetime.date(year + 1, 4, 1), "Chăn nuôi"],
        "repayments": [EXAMPLE_CLUB_CODE, "KV001", datetime.date(year, 10, 1), 1_000_000, 50_000],
        "entries": [EXAMPLE_CLUB_CODE, "PT001", "Tăng thu nhập", datetime.date(year, 3, 20), "Thu",
                    "Ngân sách tỉnh", 30_000_000, "Hỗ trợ vốn ban đầu"],
        "activities": [EXAMPLE_CLUB_CODE, datetime.date(year, 5, 10), "Chăm sóc sức khỏe",
                       "Đo huyết áp cho thành viên", 35],
        "meetings": [EXAMPLE_CLUB_CODE, datetime.date(year, 5, 15), 1,
                     "Sinh hoạt định kỳ tháng 5: đo huyết áp, thu quỹ, trao đổi chăn nuôi"],
        "health": [EXAMPLE_CLUB_CODE, datetime.date(year, 5, 15), "Đo tại buổi sinh hoạt hằng tháng", "Y tá thôn bản",
                   "TV001", "Lò Thị Mai", 130, 80, 52.5],
        "care": [EXAMPLE_CLUB_CODE, "TV002", "Lò Văn Pọm", datetime.date(year, 6, 1), None, "Hạn chế vận động", "TV001",
                 "Đi lại khó khăn sau tai biến"],
        "visits": [EXAMPLE_CLUB_CODE, datetime.date(year, 6, 5), "TV002", "TV001", "Bữa ăn, Dọn dẹp", 60, ""],
    }
    return new_workbook({}, communes=communes, example_rows=examples)


# ---------------------------------------------------------------- export


def export_rows(clubs):
    """Rows of every sheet for the given clubs queryset, in a fixed number of queries."""
    clubs = clubs.select_related("commune", "source_club").order_by("code")
    club_rows, codes = [], {}
    for c in clubs:
        codes[c.pk] = c.code
        club_rows.append([
            c.code, c.name, commune_label(c.commune), c.village, c.founded_on, label_of(CLUBS.column("track").choices, c.track),
            c.source_club.code if c.source_club_id else "", c.regulation_on, c.dissolved_on, c.dissolution_reason,
        ])
    ids = list(codes)
    members = []
    member_codes = {}
    for m in Member.objects.filter(club_id__in=ids).order_by("club__code", "code"):
        member_codes[m.pk] = m.code
        members.append([
            codes[m.club_id], m.code, m.full_name, label_of(MEMBERS.column("gender").choices, m.gender), m.birth_year,
            m.birth_date, m.ethnicity, label_of(MEMBERS.column("household").choices, m.household), m.joined_on, m.left_on,
            m.phone, m.village, YES if m.is_homecare_volunteer else "", m.leave_reason,
        ])
    loans, loan_codes = [], {}
    for loan in Loan.objects.filter(club_id__in=ids).order_by("club__code", "disbursed_on", "code"):
        loan_codes[loan.pk] = (codes[loan.club_id], loan.code)
        loans.append([loan.code, codes[loan.club_id], member_codes[loan.member_id], loan.disbursed_on, loan.principal,
                      loan.due_on, loan.purpose])
    # A repayment is keyed by loan and date: corrections (reversal rows) are netted into that day.
    repayments = []
    for r in (Repayment.objects.filter(loan__club_id__in=ids).values("loan_id", "paid_on")
              .annotate(p=Sum("principal"), i=Sum("interest")).order_by("loan_id", "paid_on")):
        if r["p"] == 0 and r["i"] == 0:
            continue
        club, code = loan_codes[r["loan_id"]]
        repayments.append([club, code, r["paid_on"], r["p"], r["i"]])
    repayments.sort(key=lambda r: (r[0], r[1], r[2]))
    entries = []
    for e in FundEntry.objects.filter(club_id__in=ids).order_by("club__code", "fund", "date", "id"):
        source = e.source
        if e.kind == EntryKind.IN and not source:
            source = Source.OTHER  # a reversal of a Chi has no source of its own
        entries.append([
            codes[e.club_id], e.voucher_no, label_of(ENTRIES.column("fund").choices, e.fund), e.date,
            label_of(ENTRIES.column("kind").choices, e.kind), label_of(ENTRIES.column("source").choices, source),
            e.amount, e.description,
        ])
    activities = [
        [codes[a.club_id], a.date, label_of(ACTIVITIES.column("area").choices, a.area), a.content, a.participants]
        for a in Activity.objects.filter(club_id__in=ids).order_by("club__code", "date", "area", "content")
    ]
    # A meeting listed by name counts its list; one entered by number (this sheet) its number.
    meetings = [
        [codes[m.club_id], m.held_on, m.named or m.attendee_count, m.notes]
        for m in Meeting.objects.filter(club_id__in=ids).annotate(named=Count("attendees")).order_by("club__code", "held_on")
    ]
    # One row per check kept; a check taken off its session counts nowhere and is not exported.
    kinds = HEALTH.column("session_kind").choices
    health = [
        [codes[club], on, label_of(kinds, kind), organiser, member, name, systolic, diastolic,
         float(weight) if weight is not None else None]
        for club, on, kind, organiser, member, name, systolic, diastolic, weight in (
            HealthCheck.objects.kept().filter(session__club_id__in=ids)
            .order_by("session__club__code", "session__date", "session__kind", "session_id", "member__code")
            .values_list("session__club_id", "session__date", "session__kind", "session__organiser", "member__code",
                         "member__full_name", "systolic", "diastolic", "weight"))
    ]
    return {"clubs": club_rows, "members": members, "loans": loans, "repayments": repayments,
            "entries": entries, "activities": activities, "meetings": meetings, "health": health,
            **home_care_rows(ids, codes, member_codes)}


def home_care_rows(ids, codes, member_codes):
    """The Người được chăm sóc and Thăm chăm sóc rows of the clubs `ids`, in three queries; a visit removed
    (entered by mistake) counts nowhere and is not exported."""
    volunteers = {}
    for care_id, code in (Care.volunteers.through.objects.filter(care__member__club_id__in=ids)
                          .values_list("care_id", "member__code").order_by("member__code")):
        volunteers.setdefault(care_id, []).append(code)
    reasons, kinds = CARE.column("reason").choices, VISITS.column("kinds").choices
    care = [
        [codes[c.member.club_id], c.member.code, c.member.full_name, c.started_on, c.ended_on, label_of(reasons, c.reason),
         ", ".join(volunteers.get(c.pk, ())), c.note]
        for c in Care.objects.filter(member__club_id__in=ids).select_related("member")
        .order_by("member__club__code", "member__code", "started_on")
    ]
    visits = [
        [codes[v.care.member.club_id], v.date, v.care.member.code, member_codes[v.volunteer_id],
         ", ".join(label for label, value in kinds if value in v.kinds), v.minutes, v.note]
        for v in Visit.objects.kept().filter(care__member__club_id__in=ids).select_related("care__member")
        .order_by("care__member__club__code", "date", "care__member__code", "volunteer__code")
    ]
    return {"care": care, "visits": visits}


def export_workbook(clubs, *, communes):
    return new_workbook(export_rows(clubs), communes=communes)


def communes_for(user=None):
    qs = Area.objects.communes().order_by("code")
    return list(qs.visible_to(user) if user is not None else qs)


# ---------------------------------------------------------------- marked copy of an upload


def marked_copy(data: bytes, marks):
    """The uploaded workbook with each refused cell filled red, and a first column "Lỗi" that lists, on
    each row, what is wrong with it ("Cột Năm sinh: ...").

    marks: the `marks` of an import run with marks=True (or a list of problems). Read in read-only mode
    and written in write-only mode, one row at a time. The reasons are a column, not cell comments:
    openpyxl keeps every comment of a write-only sheet in memory until the book is saved and then writes
    them as VML drawings, which took 4.4 GB and five minutes for a file of 770,000 errors. The import
    matches columns by header and ignores "Lỗi", so the user corrects the rows and uploads the file
    again; a reasons column of an earlier round is rewritten in place, not doubled. What is copied is
    the values (formatting and drop-downs of the upload are not: the template gives them back).
    """
    from .importer.parsing import Marks

    if not isinstance(marks, Marks):
        marks = Marks.of(marks)
    source = open_workbook(data)
    by_name = {name.strip().casefold(): name for name in source.sheetnames}
    reasons = {}  # sheet name -> iterator of (row number, {column index -> [texts]}) in row order
    for sheet, rows in marks.by_sheet():
        name = by_name.get(sheet.strip().casefold())
        if name is not None:
            reasons[name] = rows
    book = Workbook(write_only=True)
    restyle = _Restyle()  # style indices belong to `book`: one per copy
    try:
        for name in source.sheetnames:
            ws = book.create_sheet(name)
            if name == LIST_SHEET:
                ws.sheet_state = "hidden"
            _copy_sheet(ws, sheet_rows(source, name), reasons.get(name), restyle)
    finally:
        source.close()
    return to_bytes(book)


def _is_reasons_header(value):
    return isinstance(value, str) and header_key(value) in {header_key("Lỗi"), header_key(str(M.REASONS_HEADER))}


class _Restyle:
    """Sets one style attribute of write-only cells, remembering the result per starting style.

    Setting `fill` or `alignment` on a cell hashes the style object to find it in the workbook's
    registry, which was a third of the time to write the marked copy of a large file. The same
    starting style and attribute always give the same style indices, so after the first cell the
    indices are copied."""

    def __init__(self):
        self._done = {}

    def __call__(self, c, name, value):
        key = (name, tuple(c._style) if c._style else ())  # a cell with no style yet has none
        done = self._done.get(key)
        if done is None:
            setattr(c, name, value)
            self._done[key] = copy.copy(c._style)
        else:
            c._style = copy.copy(done)
        return c


def _copy_sheet(ws, rows, marks_of, restyle):
    first = next(rows, None)
    header = first[1] if first is not None and first[0] == 1 else ()
    earlier = bool(header) and _is_reasons_header(header[0])  # a marked copy uploaded again
    with_reasons = marks_of is not None or earlier
    drop = 1 if earlier else 0  # the earlier reasons are not copied: they are written anew
    if with_reasons:
        ws.column_dimensions["A"].width = 60
    marks_of = marks_of or iter(())
    pending = next(marks_of, None)
    written = 0

    def row_of(number, values, cells):
        row = [cell(ws, v) if isinstance(v, (str, datetime.date)) else v for v in values[drop:]]
        cells = cells or {}
        for column in cells:
            at = max(column - 1 - drop, 0)  # where the upload's column lands in the copy, reasons aside
            row.extend([None] * (at + 1 - len(row)))
            c = row[at]
            if not isinstance(c, Cell):
                c = row[at] = cell(ws, c)
            restyle(c, "fill", ERROR_FILL)
        if not with_reasons:
            return row
        texts = [t for column in sorted(cells) for t in cells[column]]
        if number == 1:
            lead = cell(ws, str(M.REASONS_HEADER), font=HEADER_FONT)
            if texts:  # a missing column: one comment on the sheet's header, not one per row
                lead.comment = Comment("\n".join(texts), "CLB")
                lead.fill = ERROR_FILL
        elif texts:
            lead = cell(ws, "\n".join(texts)[:MAX_CELL_TEXT])
            restyle(lead, "alignment", WRAP)
        else:
            lead = None
        return [lead, *row]

    for number, values in itertools.chain([first] if first is not None else [], rows):
        for _ in range(written + 1, number):
            ws.append([])
        here = None
        while pending is not None and pending[0] <= number:  # every row up to the last is read
            if pending[0] == number:
                here = pending[1]
            pending = next(marks_of, None)
        ws.append(row_of(number, values, here))
        written = number
    while pending is not None:  # reasons on rows past the sheet's last
        number, cells = pending
        if number > written:
            for _ in range(written + 1, number):
                ws.append([])
            ws.append(row_of(number, (), cells))
            written = number
        pending = next(marks_of, None)
