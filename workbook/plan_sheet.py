"""The plan workbook (README, "Kế hoạch từ Excel"): one sheet `Chỉ tiêu` of target rows, and a sheet
`Danh mục` listing the indicator keys and the values of the drop-downs. Read with the club workbook's
reader and cell parsing; every row is checked with reporting.plan_rules, the plan page's own rule."""
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname

from clubs.models import Area
from reporting.models import Target
from reporting.plan_rules import AREA_OUTSIDE, DUPLICATE_TARGET, target_errors, target_key, track_rule
from reporting.plans import CUMULATIVE, INDICATOR_LABELS

from . import messages as M
from .importer.parsing import Problem, ProblemLog, display, parse_cell
from .reader import read_workbook
from .spec import CHOICE, INT, LIST_SHEET, TEXT, TRACK_CHOICES, Column, Sheet, label_of
from .xlsx import HEADER_FONT, add_list, cell, commune_label

SHEET_NAME = "Chỉ tiêu"
KIND_CHOICES = (("hằng năm", Target.Kind.ANNUAL), ("cộng dồn", Target.Kind.CUMULATIVE))
UNIT_CHOICES = (("số lượng", Target.Unit.COUNT), ("%", Target.Unit.PERCENT))
TRACK_WORDS = {"required": "bắt buộc", "optional": "tùy chọn", "none": "không"}

TARGETS = Sheet("targets", SHEET_NAME, (
    Column("indicator", "Mã chỉ tiêu", TEXT, True, max_length=50),
    Column("track", "Nguồn thành lập", CHOICE, False, TRACK_CHOICES),
    Column("year", "Năm", INT),
    Column("kind", "Cách tính", CHOICE, False, KIND_CHOICES),
    Column("unit", "Đơn vị", CHOICE, True, UNIT_CHOICES),
    Column("area", "Mã địa bàn", TEXT, max_length=120),
    Column("value", "Giá trị", INT),
))
WIDTHS = {"indicator": 26, "track": 24, "area": 34}

NO_SHEET = _("Tệp không có sheet “Chỉ tiêu” (xem mẫu kế hoạch).")
# The `Danh mục` sheet: what each key means (A–D), then one column per drop-down.
CATALOGUE_HEADER = ("Mã chỉ tiêu", "Tên chỉ tiêu", "Nguồn thành lập", "Cộng dồn được",
                    "Nguồn thành lập (danh sách)", "Cách tính", "Đơn vị", "Mã địa bàn")
LIST_COLUMNS = {"indicator": "A", "track": "E", "kind": "F", "unit": "G", "area": "H"}


def plan_areas():
    """The areas a target may name: the province, the former districts and the current communes."""
    return list(Area.objects.filter(level__in=[Area.Level.PROVINCE, Area.Level.DISTRICT, Area.Level.COMMUNE])
                .order_by("level", "code"))


def _by_code(areas):
    """{code: area}; codes are unique within a level, and the province's, districts' and communes' differ
    in length, so a bare code names one of them."""
    return {a.code: a for a in sorted(areas, key=lambda a: a.level != Area.Level.COMMUNE)}


def _area(raw, by_code):
    """The area a cell names: "12", "105", "03388" (or 3388, as Excel keeps a typed number) or the
    drop-down's "03388 - Phường Đoàn Kết"; None when no area has that code."""
    text = str(int(raw)) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else str(raw)
    text = text.split(" - ")[0].strip()
    candidates = [text] + ([text.zfill(n) for n in (2, 3, 5)] if text.isdigit() else [])
    return next((by_code[c] for c in candidates if c in by_code), None)


# ---------------------------------------------------------------- writing


def plan_workbook(rows=(), *, areas):
    """The `Chỉ tiêu` sheet with its drop-downs and the given rows, and the `Danh mục` sheet. The file
    is a data format: its labels stay Vietnamese in an English session."""
    with translation.override("vi"):
        return _plan_workbook(rows, areas)


def _plan_workbook(rows, areas):
    book = Workbook(write_only=True)
    catalogue = [
        ("indicator", list(INDICATOR_LABELS)),
        ("track", [label for label, _v in TRACK_CHOICES]),
        ("kind", [label for label, _v in KIND_CHOICES]),
        ("unit", [label for label, _v in UNIT_CHOICES]),
        ("area", [commune_label(a) for a in areas]),
    ]
    ranges = {key: f"{quote_sheetname(LIST_SHEET)}!${LIST_COLUMNS[key]}$2:${LIST_COLUMNS[key]}${max(len(v) + 1, 2)}"
              for key, v in catalogue}
    ws = book.create_sheet(SHEET_NAME)
    for index, column in enumerate(TARGETS.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(WIDTHS.get(column.key, 14), len(column.header) + 4)
        if column.key in ranges:
            add_list(ws, letter, ranges[column.key], column.header, lenient=column.key == "area")
    ws.freeze_panes = "A2"
    ws.append([cell(ws, f"{c.header}{' *' if c.required else ''}", font=HEADER_FONT) for c in TARGETS.columns])
    for values in rows:
        ws.append([None if v is None or v == "" else cell(ws, v) for v in values])
    _catalogue_sheet(book, catalogue)
    return book


def _catalogue_sheet(book, catalogue):
    ws = book.create_sheet(LIST_SHEET)
    lists = dict(catalogue)
    for letter, width in zip("ABCDEFGH", (26, 50, 16, 14, 24, 12, 10, 34)):
        ws.column_dimensions[letter].width = width
    ws.append([cell(ws, h, font=HEADER_FONT) for h in CATALOGUE_HEADER])
    keys = lists["indicator"]
    height = max(len(v) for v in lists.values())
    for i in range(height):
        row = [None] * 8
        if i < len(keys):
            key = keys[i]
            row[0:4] = [key, str(INDICATOR_LABELS[key]), TRACK_WORDS[track_rule(key)], "có" if key in CUMULATIVE else "không"]
        for column, key in ((4, "track"), (5, "kind"), (6, "unit"), (7, "area")):
            if i < len(lists[key]):
                row[column] = lists[key][i]
        ws.append([None if v is None else cell(ws, v) for v in row])


def template_workbook(*, areas):
    return plan_workbook(areas=areas)


def export_rows(plan):
    """The plan's targets as rows of the sheet, in the plan page's order (one query with the areas)."""
    order = {key: i for i, key in enumerate(INDICATOR_LABELS)}
    targets = sorted(plan.targets.select_related("area"),
                     key=lambda t: (order.get(t.indicator, 99), t.area.level != Area.Level.PROVINCE,
                                    t.area.level, t.area.code, t.year or 0, t.track))
    return [[t.indicator, label_of(TRACK_CHOICES, t.track), t.year, label_of(KIND_CHOICES, t.kind),
             label_of(UNIT_CHOICES, t.unit), commune_label(t.area), t.value] for t in targets]


# ---------------------------------------------------------------- reading


def read_targets(data, *, plan_area=None, start=None, end=None, areas=None):
    """(rows, problems): the typed rows of the file for reporting.plan_import, and every refusal located
    by row and column (the first PREVIEW_ERRORS listed, as for the club workbook). Raises UnsafeWorkbook
    for a file that is not a readable workbook."""
    sheets = read_workbook(data, (TARGETS,))
    log = ProblemLog()
    if "targets" not in sheets:
        log.append(Problem(SHEET_NAME, None, "", "", str(NO_SHEET)))
        return [], log
    sheet = sheets["targets"]
    for column in sheet.missing:
        log.append(Problem(SHEET_NAME, 1, column.header, "", str(M.MISSING_COLUMN)))
    if sheet.missing:
        return [], log
    by_code = _by_code(areas if areas is not None else plan_areas())
    rows, seen = [], {}
    for row in sheet.rows:
        typed, refused = {}, set()

        def refuse(key, reason):
            refused.add(key)
            log.append(Problem(SHEET_NAME, row.number, TARGETS.column(key).header,
                               display(row.values.get(key)), str(reason), sheet.letter(key)))

        for column in TARGETS.columns:
            raw = row.values.get(column.key)
            if column.key == "area":
                if raw is None or not str(raw).strip():
                    typed["area"] = None
                    continue
                area = _area(raw, by_code)
                if area is None:
                    # An unknown code and one outside the plan's area get the same answer.
                    refuse("area", AREA_OUTSIDE)
                typed["area"] = area
                continue
            value, reason = parse_cell(column, raw, communes=None)
            if reason:
                refuse(column.key, reason)
            typed[column.key] = value
        typed["indicator"] = (typed.get("indicator") or "").lower()
        typed["kind"] = typed.get("kind") or Target.Kind.ANNUAL
        typed["track"] = typed.get("track") or ""
        area = typed["area"] or plan_area
        problems = target_errors(**typed | {"area": area}, plan_area=plan_area, start=start, end=end)
        for key, errors in problems.items():
            for error in errors:
                refuse(key, " ".join(error.messages))
        key = target_key(area=area, indicator=typed.get("indicator"), year=typed.get("year"), track=typed["track"])
        # Two rows naming unknown codes are not the same row of the plan's area.
        if key in seen and "area" not in refused:
            refuse("indicator", DUPLICATE_TARGET % {"row": seen[key]})
        elif "area" not in refused:
            seen[key] = row.number
        if not refused:
            rows.append(typed)
    return rows, log

