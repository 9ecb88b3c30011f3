"""A streaming reader of cell values only, about three times faster than openpyxl's read-only mode.

openpyxl builds a cell object (with its style) for every value; an import needs only the values, and
whether a number is a date. The reader raises on anything it does not understand, and the caller
then falls back to openpyxl.
"""
import datetime
import io
import posixpath
import re
import zipfile
# The parts of an uploaded file are untrusted XML: defusedxml refuses entity bombs and external entities.
from defusedxml.ElementTree import iterparse, parse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _column_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _text_of(element):
    """Text of a shared or inline string: its runs, without phonetic hints."""
    parts = []
    for child in element:
        if child.tag == f"{MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{MAIN}t"))
    return "".join(parts)


class FastWorkbook:
    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        book = parse(self.zip.open("xl/workbook.xml")).getroot()
        pr = book.find(f"{MAIN}workbookPr")
        self.epoch = CALENDAR_WINDOWS_1900
        if pr is not None and pr.get("date1904") in ("1", "true"):
            self.epoch = CALENDAR_MAC_1904
        rels = {}
        types = {}
        for rel in parse(self.zip.open("xl/_rels/workbook.xml.rels")).getroot().iter(f"{PKG_REL}Relationship"):
            target = rel.get("Target")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            rels[rel.get("Id")] = target
            types[rel.get("Type").rsplit("/", 1)[-1]] = target
        self.sheets = {s.get("name"): rels[s.get(f"{REL}id")] for s in book.iter(f"{MAIN}sheet")}
        if not self.sheets:
            raise ValueError("no sheet in the transitional namespace (a Strict OOXML file?)")
        self.sheetnames = list(self.sheets)
        self.shared = []
        path = types.get("sharedStrings")
        if path and path in self.zip.namelist():
            for _, el in iterparse(self.zip.open(path)):
                if el.tag == f"{MAIN}si":
                    self.shared.append(_text_of(el))
                    el.clear()
        self.date_styles = set()
        path = types.get("styles")
        if path and path in self.zip.namelist():
            styles = parse(self.zip.open(path)).getroot()
            custom = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{MAIN}numFmt")}
            xfs = styles.find(f"{MAIN}cellXfs")
            for index, xf in enumerate(xfs if xfs is not None else ()):
                fmt_id = int(xf.get("numFmtId", 0))
                code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
                if code and is_date_format(code):
                    self.date_styles.add(index)

    def _value(self, cell):
        kind = cell.get("t", "n")
        v = cell.find(f"{MAIN}v")
        text = v.text if v is not None else None
        if kind == "s":
            return self.shared[int(text)] if text is not None else None
        if kind == "inlineStr":
            inline = cell.find(f"{MAIN}is")
            return _text_of(inline) if inline is not None else None
        if text is None:
            return None
        if kind in ("str", "e"):
            return text
        if kind == "b":
            return text == "1"
        if kind == "d":
            return datetime.datetime.fromisoformat(text)
        number = float(text)
        if int(cell.get("s", 0)) in self.date_styles:
            return from_excel(number, self.epoch)
        return int(number) if number.is_integer() else number

    def rows(self, name):
        """(excel row number, [values by column]) for each row that has cells."""
        row_number = 0
        for _, el in iterparse(self.zip.open(self.sheets[name])):
            if el.tag != f"{MAIN}row":
                continue
            row_number = int(el.get("r")) if el.get("r") else row_number + 1
            values = []
            for cell in el.iter(f"{MAIN}c"):
                ref = cell.get("r")
                column = _column_index(_CELL_REF.match(ref).group(1)) if ref else len(values)
                if column >= len(values):
                    values.extend([None] * (column + 1 - len(values)))
                values[column] = self._value(cell)
            el.clear()
            yield row_number, values
