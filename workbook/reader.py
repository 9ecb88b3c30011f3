"""Opening an uploaded workbook safely and turning its sheets into rows of raw cell values.

Rows are read with openpyxl's read-only mode. The project once had its own XML reader
(fastxlsx.py); `benchmark` measured it only 1.7x faster than openpyxl on the 10,000-member workbook
(docs/benchmarks.md), below the 2x that would justify a second parser to keep safe, so it is gone.
"""
import io
import itertools
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

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


@dataclass
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


def read_workbook(data: bytes):
    """{sheet key: SheetData} of a checked file."""
    book = open_workbook(data)
    try:
        return read_sheets(book)
    except DAMAGED as exc:  # a damaged part that openpyxl only meets while reading rows
        raise UnsafeWorkbook(UNREADABLE % {"reason": exc.__class__.__name__}) from None
    finally:
        book.close()


def read_sheets(source):
    """{sheet key: SheetData} for each sheet of the format present in the workbook."""
    by_name = {header_key(name): name for name in source.sheetnames}
    result = {}
    for spec in SHEETS:
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
