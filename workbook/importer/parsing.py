"""What every sheet shares: the results of an import, and one cell of the file read into a typed value."""
import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import timezone

from clubs.codes import code_error
from clubs.fields import amount_error, date_error
from clubs.formatting import format_vnd, parse_vnd

from .. import messages as M
from ..spec import AREA, CHOICE, CODE, COMMUNE, DATE, FLAG, INT, MONEY, TEXT, YEAR, choice_key


PREVIEW_ROWS = 300
PREVIEW_ERRORS = 500  # past this the page counts the errors per sheet and column instead of listing them
BATCH = 2000
# Past this the database refuses the row mid-write (integer column): refuse the cell instead.
MAX_INT = 2**31 - 1
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(slots=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    value: str
    reason: str
    letter: str | None = None  # column letter, to mark the cell in the copy of the upload


@dataclass
class SheetSummary:
    key: str
    name: str
    headers: list
    create: int = 0
    update: int = 0
    unchanged: int = 0
    # (excel row, action, [display values]) for the preview: rows that change come first.
    changed_rows: list = field(default_factory=list)
    unchanged_rows: list = field(default_factory=list)

    def add(self, number, action, values):
        """Count one row; keep its display values (values() gives them) while the preview has room."""
        setattr(self, action, getattr(self, action) + 1)
        rows = self.unchanged_rows if action == "unchanged" else self.changed_rows
        if len(rows) < PREVIEW_ROWS:
            rows.append((number, action, values()))

    @property
    def rows(self):
        room = max(0, PREVIEW_ROWS - len(self.changed_rows))
        return sorted(self.changed_rows + self.unchanged_rows[:room])


@dataclass
class Result:
    problems: list
    sheets: list
    saved: bool = False
    # Rows the forms would save only once the user confirms (a likely duplicate person): listed in the
    # preview; the import saves them when called with confirm_duplicates=True.
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    @property
    def needs_confirmation(self):
        return bool(self.warnings) and not self.saved

    @property
    def changes(self):
        return sum(s.create + s.update for s in self.sheets)

    @property
    def first_problems(self):
        return self.problems[:PREVIEW_ERRORS]

    @property
    def more_problems(self):
        """[(sheet, column, count)] of the errors not listed on the page, in the order they first occur."""
        counts = {}
        for p in self.problems[PREVIEW_ERRORS:]:
            counts[(p.sheet, p.column)] = counts.get((p.sheet, p.column), 0) + 1
        return [(sheet, column, n) for (sheet, column), n in counts.items()]


def display(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", " ".join(str(value).split())) if value is not None else ""


# ---------------------------------------------------------------- one cell


def _date(raw):
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    match = _DATE_RE.match(str(raw).strip())
    if match:
        day, month, year = map(int, match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    return None


def parse_cell(column, raw, *, communes):
    """(value, reason): the typed value, or None with the Vietnamese reason it is refused."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            return None, M.REQUIRED
        if column.kind == FLAG:
            return False, None
        return ("" if column.kind in (TEXT, CODE, CHOICE) else None), None
    kind = column.kind
    if kind in (TEXT, CODE):
        text = _text(raw)
        if column.max_length and len(text) > column.max_length:
            return None, M.TOO_LONG % {"max": column.max_length}
        if kind == CODE and code_error(text):
            return None, code_error(text)
        return text, None
    if kind == DATE:
        value = _date(raw)
        if value is None:
            return None, M.BAD_DATE
        return (None, date_error(value)) if date_error(value) else (value, None)
    if kind == MONEY:
        try:
            amount = parse_vnd(raw)
        except (ValueError, TypeError):
            return None, M.BAD_MONEY
        if amount_error(amount):
            return None, amount_error(amount)
        return amount, None
    if kind in (INT, YEAR):
        try:
            number = parse_vnd(raw) if not isinstance(raw, bool) else None
        except (ValueError, TypeError):
            number = None
        if kind == YEAR:
            this_year = timezone.localdate().year
            text = _text(raw)
            if number is None or not re.fullmatch(r"\d{4}", text) or not 1900 <= number <= this_year:
                return None, M.BAD_YEAR % {"year": this_year}
            return number, None
        if number is None or number < 0:
            return None, M.BAD_INT
        if number > MAX_INT:
            return None, M.TOO_BIG % {"max": format_vnd(MAX_INT, unit=False)}
        return number, None
    if kind in (CHOICE, FLAG):
        wanted = choice_key(raw)
        for label, value in column.choices:
            if choice_key(label) == wanted:
                return value, None
        return None, M.BAD_CHOICE % {"choices": ", ".join(label for label, _ in column.choices)}
    if kind == AREA:
        text = _text(raw)
        if re.fullmatch(r"[1-8]", text):
            return int(text), None
        wanted = choice_key(text)
        for label, value in column.choices:
            if choice_key(label) == wanted:
                return value, None
        return None, M.BAD_AREA
    if kind == COMMUNE:
        # Excel turns a typed 03388 into the number 3388; the drop-down gives "03388 - Phường Đoàn Kết".
        text = f"{int(raw):05d}" if isinstance(raw, (int, float)) else _text(raw).split(" - ")[0].strip()
        if text.isdigit() and len(text) < 5:
            text = text.zfill(5)
        area = communes["current"].get(text)
        if area is None:
            if text in communes["legacy"]:
                return None, M.LEGACY_COMMUNE % {"code": text}
            return None, M.UNKNOWN_COMMUNE % {"code": text}
        return area, None
    raise AssertionError(kind)
