"""Opening an uploaded workbook safely and turning its sheets into rows of raw cell values."""
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .fastxlsx import FastWorkbook
from .spec import SHEETS, header_key

TOO_LARGE = _("Tệp quá lớn: %(size)s MB, tối đa %(limit)s MB.")
NOT_XLSX = _("Tệp không phải là tệp Excel .xlsx hợp lệ.")
UNPACKS_TOO_LARGE = _(
    "Tệp Excel giải nén ra quá lớn (%(size)s MB, tối đa %(limit)s MB): có thể là tệp độc hại, không đọc."
)
UNREADABLE = _("Không đọc được tệp Excel: %(reason)s")


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
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
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


class _OpenpyxlRows:
    """The openpyxl read-only workbook behind the same interface as fastxlsx.FastWorkbook."""

    def __init__(self, book):
        self.book = book
        self.sheetnames = book.sheetnames

    def rows(self, name):
        for number, values in enumerate(self.book[name].iter_rows(values_only=True), start=1):
            yield number, list(values)


def read_workbook(data: bytes):
    """{sheet key: SheetData} of a checked file: the fast reader, or openpyxl when it cannot cope."""
    check_file(data)
    try:
        return read_sheets(FastWorkbook(data))
    except Exception:  # noqa: S110  an unusual but valid file: openpyxl, which knows every corner, reads it below
        pass
    book = open_workbook(data)
    try:
        return read_sheets(book)
    except Exception as exc:  # a damaged part that openpyxl only meets while reading rows
        raise UnsafeWorkbook(UNREADABLE % {"reason": exc.__class__.__name__}) from None


def read_sheets(source):
    """{sheet key: SheetData} for each sheet of the format present in the workbook."""
    if not hasattr(source, "rows"):
        source = _OpenpyxlRows(source)
    by_name = {header_key(name): name for name in source.sheetnames}
    result = {}
    for spec in SHEETS:
        actual = by_name.get(header_key(spec.name))
        if actual is None:
            continue
        rows = source.rows(actual)
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
        for number, values in [*pending, *rows]:
            picked = {key: (values[i - 1] if i - 1 < len(values) else None) for key, i in columns.items()}
            if all(_blank(v) for v in picked.values()):
                continue
            data.rows.append(Row(number, picked))
        result[spec.key] = data
    return result
