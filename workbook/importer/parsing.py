"""What every sheet shares: the results of an import, and one cell of the file read into a typed value."""
import datetime
import functools
import re
import unicodedata
from array import array
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl.utils import column_index_from_string

from clubs.area_models import legacy_commune_refusal
from clubs.codes import code_error
from clubs.fields import amount_error, date_error
from clubs.formatting import format_vnd, parse_vnd

from .. import messages as M
from ..spec import AREA, CHOICE, CODE, CODES, COMMUNE, DATE, FLAG, INT, LABELS, MONEY, SHEETS, TEXT, YEAR, choice_key


PREVIEW_ROWS = 300
PREVIEW_FIRST = 20  # rows per sheet on the preview page; the sheet's own pages list the rest
SHEET_PAGE = 100
PREVIEW_ERRORS = 500  # past this the page counts the errors per sheet and column instead of listing them
BATCH = 2000
# Past this the database refuses the row mid-write (integer column): refuse the cell instead.
MAX_INT = 2**31 - 1
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class Wording:
    """The import's messages, each translated once per run. `%` on a lazy message translates it anew each
    time (through the thread's active-language lookup), which was a fifth of the time to preview a file of
    770,000 errors. A run is in one language, so its first translation of each message serves the rest."""

    def __init__(self):
        self._texts = {}

    def __call__(self, message, params=None):
        if isinstance(message, Promise):
            hit = self._texts.get(id(message))
            if hit is None:
                # The message itself is kept beside its text, so its id cannot pass to another object.
                hit = self._texts[id(message)] = (message, str(message))
            message = hit[1]
        return message % params if params else message


def _once(message, params=None):
    return str(message % params if params else message)


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
    errors: int = 0
    # (start, stop): the valid rows of the sheet, in file order, that one page of the sheet lists.
    window: tuple | None = None
    window_rows: list = field(default_factory=list)

    def add(self, number, action, values):
        """Count one row; keep its display values (values() gives them) while the preview has room."""
        ordinal = self.create + self.update + self.unchanged
        setattr(self, action, getattr(self, action) + 1)
        if self.window is not None:
            if self.window[0] <= ordinal < self.window[1]:
                self.window_rows.append((number, action, values()))
            return
        rows = self.unchanged_rows if action == "unchanged" else self.changed_rows
        if len(rows) < PREVIEW_ROWS:
            rows.append((number, action, values()))

    @property
    def total(self):
        return self.create + self.update + self.unchanged

    @property
    def first_rows(self):
        """The rows the preview page shows: the first that change, then unchanged ones, at most PREVIEW_FIRST."""
        return sorted((self.changed_rows + self.unchanged_rows)[:PREVIEW_FIRST])

    @property
    def rows(self):
        room = max(0, PREVIEW_ROWS - len(self.changed_rows))
        return sorted(self.changed_rows + self.unchanged_rows[:room])


class Marks:
    """Every problem of an import as (sheet, row, column, text), in four arrays of numbers and a table of
    distinct texts: what the marked copy of the upload needs, a few bytes per problem instead of an
    object each, so a file of 770,000 errors is marked in full without holding 770,000 problems."""

    def __init__(self, say=_once):
        self.say = say
        self._sheets, self._texts, self._columns = {}, {}, {}
        self.sheet, self.row, self.column, self.text = array("H"), array("L"), array("H"), array("L")

    def add(self, p):
        self.sheet.append(self._sheets.setdefault(p.sheet, len(self._sheets)))
        self.row.append(p.row or 1)
        letter = p.letter or "A"
        if letter not in self._columns:
            self._columns[letter] = column_index_from_string(letter)
        self.column.append(self._columns[letter])
        text = self.say(M.REASON_IN_COLUMN, {"column": p.column, "reason": p.reason}) if p.column else str(p.reason)
        self.text.append(self._texts.setdefault(text, len(self._texts)))

    def by_sheet(self):
        """{sheet name: [(row, {column index: [texts]})] in row order}, one sheet at a time (a generator)."""
        texts = list(self._texts)
        for name, sid in self._sheets.items():
            order = sorted((i for i in range(len(self.sheet)) if self.sheet[i] == sid), key=self.row.__getitem__)
            yield name, self._rows(order, texts)

    def _rows(self, order, texts):
        current, cells = None, {}
        for i in order:
            if self.row[i] != current:
                if cells:
                    yield current, cells
                current, cells = self.row[i], {}
            cells.setdefault(self.column[i], []).append(texts[self.text[i]])
        if cells:
            yield current, cells

    @classmethod
    def of(cls, problems):
        marks = cls()
        for p in problems:
            marks.add(p)
        return marks


def _sheet_order():
    return {s.name: i for i, s in enumerate(SHEETS, start=1)}


class ProblemLog:
    """The problems of one import: all counted, the first `keep` in the order of the file listed in full.

    Listed in the order of the format's sheets, then by row (problems found by later checks, such as the
    fund balances, join their row's place). Past `keep` only counts per sheet and column are kept, and,
    with marks=True, what the marked copy needs (Marks).
    """

    def __init__(self, *, keep=None, marks=False, say=_once):
        self.keep = PREVIEW_ERRORS if keep is None else keep
        self.total = 0
        self.counts = {}  # (sheet, column) -> errors, in the order first met
        self._kept = []
        self._order = _sheet_order()
        self.marks = Marks(say) if marks else None

    def append(self, p):
        self.total += 1
        key = (p.sheet, p.column)
        self.counts[key] = self.counts.get(key, 0) + 1
        self._kept.append(((self._order.get(p.sheet, 0), p.row or 0, self.total), p))
        if len(self._kept) >= 2 * self.keep + 100:
            self._trim()
        if self.marks is not None:
            self.marks.add(p)

    def _trim(self):
        self._kept.sort(key=lambda kp: kp[0])
        del self._kept[self.keep:]

    def listed(self):
        self._trim()
        return [p for _key, p in self._kept]

    def __len__(self):
        return self.total

    def __bool__(self):
        return self.total > 0

    def __iter__(self):
        return iter(self.listed())


class Result:
    """What an import found: `problems` lists the first PREVIEW_ERRORS errors in sheet and row order,
    `problem_count` counts them all, `more_problems` counts the rest per sheet and column."""

    def __init__(self, problems, sheets, saved=False, warnings=None):
        log = problems
        if not isinstance(log, ProblemLog):
            log = ProblemLog()
            for p in problems:
                log.append(p)
        self.problems = log.listed()
        self.problem_count = log.total
        self.marks = log.marks
        listed = {}
        for p in self.problems:
            listed[(p.sheet, p.column)] = listed.get((p.sheet, p.column), 0) + 1
        # [(sheet, column, count)] of the errors not listed on the page, in the order they first occur.
        self.more_problems = [(sheet, column, n - listed.get((sheet, column), 0))
                              for (sheet, column), n in log.counts.items() if n > listed.get((sheet, column), 0)]
        per_sheet = {}
        for (sheet, _column), n in log.counts.items():
            per_sheet[sheet] = per_sheet.get(sheet, 0) + n
        for summary in sheets:
            summary.errors = per_sheet.get(summary.name, 0)
        self.sheets = sheets
        self.saved = saved
        # Rows the forms would save only once the user confirms (a likely duplicate person): listed in the
        # preview; the import saves them when called with confirm_duplicates=True.
        self.warnings = warnings if warnings is not None else []

    @property
    def ok(self):
        return not self.problem_count

    @property
    def needs_confirmation(self):
        return bool(self.warnings) and not self.saved

    @property
    def changes(self):
        return sum(s.create + s.update for s in self.sheets)

    @property
    def rows(self):
        """Rows the file holds, valid or not (the blank template holds none)."""
        return sum(s.create + s.update + s.unchanged for s in self.sheets)

    @property
    def first_problems(self):
        return self.problems


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


@functools.cache
def _choice_keys(column):
    return tuple((choice_key(label), value) for label, value in column.choices)


def _several(column, raw, say):
    """A cell of several codes, or labels, separated by commas: a tuple without repeats, in the order typed
    (labels: of the list), or the reason the first bad one is refused."""
    parts = [p for p in (_text(p) for p in _text(raw).replace(";", ",").split(",")) if p]
    if not parts:
        return (None, say(M.REQUIRED)) if column.required else ((), None)
    if column.kind == CODES:
        for part in parts:
            if column.max_length and len(part) > column.max_length:
                return None, say(M.TOO_LONG_CODE, {"value": part, "max": column.max_length})
            if code_error(part):
                return None, say(M.BAD_CODE_IN_LIST, {"value": part, "reason": say(code_error(part))})
        return tuple(dict.fromkeys(parts)), None
    known = dict(_choice_keys(column))
    for part in parts:
        if choice_key(part) not in known:
            return None, say(M.BAD_LABEL, {"value": part, "choices": ", ".join(label for label, _ in column.choices)})
    wanted = {known[choice_key(part)] for part in parts}
    return tuple(value for _key, value in _choice_keys(column) if value in wanted), None


def parse_cell(column, raw, *, communes, say=_once):
    """(value, reason): the typed value, or None with the Vietnamese reason it is refused (as say() words it)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            return None, say(M.REQUIRED)
        if column.kind == FLAG:
            return False, None
        if column.kind in (CODES, LABELS):
            return (), None
        return ("" if column.kind in (TEXT, CODE, CHOICE) else None), None
    kind = column.kind
    if kind in (TEXT, CODE):
        text = _text(raw)
        if column.max_length and len(text) > column.max_length:
            return None, say(M.TOO_LONG, {"max": column.max_length})
        if kind == CODE and code_error(text):
            return None, say(code_error(text))
        return text, None
    if kind == DATE:
        value = _date(raw)
        if value is None:
            return None, say(M.BAD_DATE)
        return (None, say(date_error(value))) if date_error(value) else (value, None)
    if kind == MONEY:
        try:
            amount = parse_vnd(raw)
        except (ValueError, TypeError):
            return None, say(M.BAD_MONEY)
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
                return None, say(M.BAD_YEAR, {"year": this_year})
            return number, None
        if number is None or number < 0:
            return None, say(M.BAD_INT)
        if number > MAX_INT:
            return None, say(M.TOO_BIG, {"max": format_vnd(MAX_INT, unit=False)})
        return number, None
    if kind in (CHOICE, FLAG):
        wanted = choice_key(raw)
        for key, value in _choice_keys(column):
            if key == wanted:
                return value, None
        return None, say(M.BAD_CHOICE, {"choices": ", ".join(label for label, _ in column.choices)})
    if kind == AREA:
        text = _text(raw)
        if re.fullmatch(r"[1-8]", text):
            return int(text), None
        wanted = choice_key(text)
        for key, value in _choice_keys(column):
            if key == wanted:
                return value, None
        return None, say(M.BAD_AREA)
    if kind in (CODES, LABELS):
        return _several(column, raw, say)
    if kind == COMMUNE:
        # Excel turns a typed 03388 into the number 3388; the drop-down gives "03388 - Phường Đoàn Kết".
        text = f"{int(raw):05d}" if isinstance(raw, (int, float)) else _text(raw).split(" - ")[0].strip()
        if text.isdigit() and len(text) < 5:
            text = text.zfill(5)
        area = communes["current"].get(text)
        if area is None:
            if text in communes["legacy"]:
                return None, say(*legacy_commune_refusal(communes["legacy"][text]))
            return None, say(M.UNKNOWN_COMMUNE, {"code": text})
        return area, None
    raise AssertionError(kind)
