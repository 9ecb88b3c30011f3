"""Opening an uploaded workbook safely and turning its sheets into rows of raw cell values.

Rows are read with openpyxl's read-only mode. The project once had its own XML reader
(fastxlsx.py); `benchmark` measured it only 1.7x faster than openpyxl on the 10,000-member workbook
(docs/benchmarks.md), below the 2x that would justify a second parser to keep safe, so it is gone.
"""
import functools
import io
import itertools
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils.translation import gettext_lazy as _
import openpyxl.reader.excel
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import (
    DATA_TAG, DIMENSION_TAG, INLINE_STRING, ROW_TAG, VALUE_TAG, WorkSheetParser, _cast_number,
)
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from .spec import SHEETS, header_key

TOO_LARGE = _("Tệp quá lớn: %(size)s MB, tối đa %(limit)s MB.")
NOT_XLSX = _("Tệp không phải là tệp Excel .xlsx hợp lệ.")
UNPACKS_TOO_LARGE = _(
    "Tệp Excel giải nén ra quá lớn (%(size)s MB, tối đa %(limit)s MB): có thể là tệp độc hại, không đọc."
)
UNREADABLE = _("Không đọc được tệp Excel: %(reason)s")
BEYOND_EXCEL = _(
    "Sheet %(sheet)s có ô không hợp lệ hoặc nằm ngoài giới hạn của Excel (16.384 cột, 1.048.576 dòng): "
    "tệp bị hỏng hoặc bị sửa bằng công cụ khác, không đọc."
)
BEYOND_DIMENSION = _(
    "Sheet %(sheet)s có ô ở dòng %(row)s, cột %(column)s, nằm ngoài vùng dữ liệu mà tệp tự khai báo (%(dimension)s): "
    "tệp bị hỏng hoặc bị sửa bằng công cụ khác. Hãy mở bằng Excel, lưu lại rồi tải lên lại."
)
# Excel's own limits: nothing Excel writes lies beyond them.
MAX_COLUMNS = 16_384
MAX_ROWS = 1_048_576
# What openpyxl raises on a damaged part (bad zip member, broken XML, a value it cannot convert).
# Anything else is a bug of ours and must surface as one, not as "your file is damaged".
DAMAGED = (InvalidFileException, zipfile.BadZipFile, zlib.error, ParseError, KeyError, ValueError, TypeError,
           IndexError, OSError, EOFError)


_T = "{%s}t" % SHEET_MAIN_NS
_R = "{%s}r" % SHEET_MAIN_NS


_DIGITS = "0123456789"


@functools.cache
def _column_index(letters):
    """1 for A … 16,384 for XFD; ValueError past Excel's columns or for anything but capital letters."""
    if not letters.isascii() or not letters.isupper() or not letters.isalpha():
        raise ValueError(letters)
    index = column_index_from_string(letters)
    if index > MAX_COLUMNS:
        raise ValueError(letters)
    return index


class _Parser(WorkSheetParser):
    """openpyxl's row parser, reading rows only, with the standard library's C parser, and short paths
    for the cells our own files hold.

    openpyxl reads a sheet through defusedxml's iterparse, which drives expat through the pure-Python
    XMLParser: two thirds of the time to read a large upload went into that Python layer. A values-only
    read needs nothing of the sheet but its rows. Safety is kept: a DTD can only stand in the prolog,
    and every sheet's prolog has been read by defusedxml already (openpyxl opens a sheet by looking for
    its <dimension>, `_Sheet._get_size`), which refuses entity declarations; expat itself (2.4.1 and
    later, 2.6 here) bounds entity expansion and never fetches an external DTD.

    The short paths: inline strings, which openpyxl's write-only mode (our template, exports and marked
    copies) writes and for which openpyxl builds a rich-text object (a fifth of the time to read a large
    upload; the text is the same: the plain part, then each run), and plain numbers. Anything else
    (shared strings, dates, booleans, formulas' cached values) goes through openpyxl's own parse_cell.
    """

    def parse(self):
        for _event, element in ElementTree.iterparse(self.source):  # noqa: S314  prolog read by defusedxml (above)
            if element.tag == ROW_TAG:
                row = self.parse_row(element)
                element.clear()
                yield row

    def parse_cell(self, element):
        kind = element.get("t", "n")
        style_id = element.get("s")
        style_id = int(style_id) if style_id else 0
        if self.rich_text or kind not in ("inlineStr", "n") or (kind == "n" and style_id in self.date_formats):
            return super().parse_cell(element)
        coordinate = element.get("r")
        if coordinate:
            letters = coordinate.rstrip(_DIGITS)
            row, column = int(coordinate[len(letters):]), _column_index(letters)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        if kind == "n":
            value = element.findtext(VALUE_TAG) or None
            return {"row": row, "column": column, "value": None if value is None else _cast_number(value),
                    "data_type": "n", "style_id": style_id}
        value, data_type = None, "inlineStr"
        child = element.find(INLINE_STRING)
        if child is not None:
            data_type = "s"
            if len(child) == 1 and child[0].tag == _T:
                value = child[0].text or ""
            else:
                value = "".join([child.findtext(_T) or ""] + [r.findtext(_T) or "" for r in child.iterfind(_R)])
        return {"row": row, "column": column, "value": value, "data_type": data_type, "style_id": style_id}


class _Sheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, reading its <dimension> without parsing the whole sheet.

    openpyxl looks for the dimension until the *end* of <sheetData>, so a sheet that declares none
    (every file openpyxl writes in write-only mode) was parsed once in full when opened, before any row
    was read: a third of the time to read a large upload. The schema puts <dimension> before
    <sheetData>, so the first <sheetData> start ends the search.
    """

    def _get_size(self):
        with self._get_source() as src:
            for _event, element in iterparse(src, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    bounds = SheetDimension.from_tree(element).boundaries
                    self._min_column, self._min_row, self._max_column, self._max_row = bounds
                    return
                if element.tag == DATA_TAG:
                    return

    def _cells_by_row(self, min_col, min_row, max_col, max_row, values_only=False):
        # openpyxl's own (worksheet/_read_only.py), with _Parser.
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row = (filler,) * (max_col + 1 - min_col) if max_col is not None else ()
        counter, idx = min_row, 1
        with self._get_source() as src:
            parser = _Parser(src, self._shared_strings, data_only=self.parent.data_only, epoch=self.parent.epoch,
                             date_formats=self.parent._date_formats, timedelta_formats=self.parent._timedelta_formats)
            for idx, row in parser.parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    counter += 1
                    yield self._get_row(row, min_col, max_col, values_only)
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


# load_workbook(read_only=True) builds its sheets from this name.
openpyxl.reader.excel.ReadOnlyWorksheet = _Sheet


class UnsafeWorkbook(Exception):
    """The file is refused before any row is read; str() is the Vietnamese message."""


def _mb(n):
    return f"{n / 1024 / 1024:.1f}".replace(".", ",")


def check_file(data: bytes):
    """Refuse oversized files, non-xlsx files and zip bombs, before openpyxl touches them.

    Python's zipfile never inflates a member past its declared size, so summing the declared sizes
    bounds what openpyxl can unpack.
    """
    limit = settings.WORKBOOK_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise UnsafeWorkbook(TOO_LARGE % {"size": _mb(len(data)), "limit": _mb(limit)})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeWorkbook(str(NOT_XLSX)) from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise UnsafeWorkbook(str(NOT_XLSX))
    unpacked = sum(i.file_size for i in infos)
    unpacked_limit = settings.WORKBOOK_MAX_UNPACKED_BYTES
    if unpacked > unpacked_limit:
        raise UnsafeWorkbook(UNPACKS_TOO_LARGE % {"size": _mb(unpacked), "limit": _mb(unpacked_limit)})


def open_workbook(data: bytes, *, read_only=True):
    check_file(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except DAMAGED as exc:
        raise UnsafeWorkbook(UNREADABLE % {"reason": exc.__class__.__name__}) from None


@dataclass(slots=True)
class Row:
    number: int  # the Excel row number users see
    values: dict  # column key -> raw cell value


@dataclass
class SheetData:
    sheet: object  # spec.Sheet
    columns: dict  # column key -> column index (1-based)
    missing: list  # required columns absent from the header row
    rows: list = field(default_factory=list)

    def letter(self, key):
        index = self.columns.get(key)
        return get_column_letter(index) if index else None


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _declared(ws):
    """(max row, max column) the sheet declares in its <dimension>, None for each when it declares none.

    A bare "A1" is what some writers put on every sheet whatever its size: it is read as "not declared".
    """
    rows, columns = ws.max_row, ws.max_column
    if (rows, columns) == (1, 1):
        return None, None
    return rows, columns


def sheet_rows(book, name):
    """(Excel row number, tuple of values) for each row of a read-only sheet, refusing out-of-bounds cells.

    The declared dimension is dropped before reading, so openpyxl neither pads every row to it nor
    silently stops at it: each row is as wide as its own last cell (at most ZZZ, openpyxl's own limit),
    missing rows come as empty tuples, and the first cell past the declaration or Excel's limits stops
    the read. A 5 KB file with a cell at AAAAAAA2 thus costs nothing instead of gigabytes.
    """
    try:
        ws = book[name]
    except ValueError:  # the <dimension> itself is beyond any column openpyxl knows
        raise UnsafeWorkbook(BEYOND_EXCEL % {"sheet": name}) from None
    rows, columns = _declared(ws)
    if (rows or 0) > MAX_ROWS or (columns or 0) > MAX_COLUMNS:
        raise UnsafeWorkbook(BEYOND_EXCEL % {"sheet": name})
    dimension = None
    if rows and columns:
        dimension = f"{get_column_letter(ws.min_column)}{ws.min_row}:{get_column_letter(columns)}{rows}"
    max_rows, max_columns = rows or MAX_ROWS, columns or MAX_COLUMNS
    ws.reset_dimensions()
    values_of = ws.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(values_of)
        except StopIteration:
            return
        except ValueError:  # a reference such as AAAAAAA2: openpyxl refuses the coordinate
            raise UnsafeWorkbook(BEYOND_EXCEL % {"sheet": name}) from None
        number += 1
        if number > MAX_ROWS or len(values) > MAX_COLUMNS:
            raise UnsafeWorkbook(BEYOND_EXCEL % {"sheet": name})
        # Rows openpyxl fills in for the gaps are empty: only a real cell can lie outside.
        if values and (number > max_rows or len(values) > max_columns):
            column = len(values) if len(values) > max_columns else next(
                (i for i, v in enumerate(values, start=1) if v is not None), len(values))
            raise UnsafeWorkbook(BEYOND_DIMENSION % {
                "sheet": name, "row": number, "column": get_column_letter(column), "dimension": dimension})
        yield number, values


def read_workbook(data: bytes, sheets=SHEETS):
    """{sheet key: SheetData} of a checked file."""
    book = open_workbook(data)
    try:
        return read_sheets(book, sheets)
    except DAMAGED as exc:  # a damaged part that openpyxl only meets while reading rows
        raise UnsafeWorkbook(UNREADABLE % {"reason": exc.__class__.__name__}) from None
    finally:
        book.close()


def read_sheets(source, sheets=SHEETS):
    """{sheet key: SheetData} for each of `sheets` (the club format's by default) present in the workbook."""
    by_name = {header_key(name): name for name in source.sheetnames}
    result = {}
    for spec in sheets:
        actual = by_name.get(header_key(spec.name))
        if actual is None:
            continue
        rows = sheet_rows(source, actual)
        first = next(rows, None)
        header = ()
        pending = []
        if first is not None:
            if first[0] == 1:
                header = first[1]
            else:
                pending.append(first)
        wanted = {header_key(c.header): c.key for c in spec.columns}
        columns = {}
        for index, text in enumerate(header, start=1):
            key = wanted.get(header_key(text))
            if key and key not in columns:
                columns[key] = index
        missing = [c for c in spec.columns if c.required and c.key not in columns]
        data = SheetData(spec, columns, missing)
        for number, values in itertools.chain(pending, rows):
            picked = {key: (values[i - 1] if i - 1 < len(values) else None) for key, i in columns.items()}
            if all(_blank(v) for v in picked.values()):
                continue
            data.rows.append(Row(number, picked))
        result[spec.key] = data
    return result
