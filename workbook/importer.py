"""Validate a whole workbook first, then write it in one transaction with bulk queries.

Nothing is written unless every row of every sheet is valid. Lookups are loaded once per import
(one query per table for the clubs the file mentions), so the cost grows with the file, not with
the number of queries per row.
"""
import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from clubs import cache, dependents, rules
from clubs.codes import code_error
from clubs.fields import amount_error, date_error
from clubs.formatting import fold, format_vnd, parse_vnd
from clubs.models import Activity, Area, BoardMembership, Club, Member, staff_of
from clubs.rules import Errors
from funds import rules as fund_rules
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment

from . import messages as M
from .reader import read_workbook
from .spec import (
    AREA, CHOICE, CODE, COMMUNE, DATE, ENTRIES, EXAMPLE_CLUB_CODE, FLAG, INT, MONEY, SHEETS, TEXT, YEAR, choice_key,
    label_of,
)

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


# ---------------------------------------------------------------- the import


class WorkbookImport:
    """One validation (and, when asked, the write) of one workbook for one user.

    user=None means full rights (the command line without --as). `actor`: whom the history names when
    it is not `user` (the command line's system account).
    """

    def __init__(self, *, user=None, today=None, confirm_duplicates=False, actor=None):
        self.user = user
        self.history_user = actor or (user if user is not None and user.is_authenticated else None)
        staff = staff_of(user) if user is not None else None
        self.full_rights = user is None or (staff is not None and staff.sees_all)
        self.district_id = staff.district_id if staff is not None else None
        self.today = today or timezone.localdate()
        self.problems = []
        self.warnings = []
        self.confirm_duplicates = confirm_duplicates
        self.summaries = {}

    # -------------------------------------------------- helpers

    def error(self, data, row, key, reason, value=None):
        column = data.sheet.column(key)
        raw = row.values.get(key) if row is not None and value is None else value
        self.problems.append(Problem(
            sheet=data.sheet.name, row=row.number if row is not None else 1, column=column.header,
            value=display(raw), reason=str(reason), letter=data.letter(key),
        ))

    def in_scope(self, commune):
        return self.full_rights or (commune is not None and commune.parent_id == self.district_id)

    def not_future(self, data, row, values, *keys):
        for key in keys:
            d = values.get(key)
            if d is not None and d > self.today:
                self.error(data, row, key, M.FUTURE_DATE % {"today": self.today.strftime("%d/%m/%Y")})

    def parse_rows(self, data):
        """[(row, values)]: values holds only the cells that parsed; each bad cell is a problem."""
        parsed = []
        for row in data.rows:
            if _text(row.values.get("club" if data.sheet.key != "clubs" else "code")) == EXAMPLE_CLUB_CODE:
                continue
            values = {}
            for key in data.columns:
                column = data.sheet.column(key)
                value, reason = parse_cell(column, row.values.get(key), communes=self.communes)
                if reason is not None:
                    self.error(data, row, key, reason)
                else:
                    values[key] = value
            parsed.append((row, values))
        return parsed

    def within_life(self, data, row, values, club, key):
        """Nothing is recorded for a club before its founding or after its dissolution."""
        d = values.get(key)
        if d is None or club is None:
            return
        if club["founded_on"] and d < club["founded_on"]:
            self.error(data, row, key, M.BEFORE_FOUNDED % {"date": display(club["founded_on"])})
        elif club.get("dissolved_on") and d > club["dissolved_on"]:
            self.error(data, row, key, M.AFTER_DISSOLVED % {"date": display(club["dissolved_on"])})

    def club_for(self, data, row, values):
        """The club a row belongs to (from the file or the database), checked against the user's area."""
        code = values.get("club")
        if not code:
            return None
        club = self.clubs.get(code)
        if club is None or not self.in_scope(club["commune"]):
            # The same words whether the code is nowhere or in another district.
            self.error(data, row, "club", M.CLUB_NOT_AVAILABLE % {"code": code})
            return None
        if not club["ok"]:
            return None  # its own CLB row is already in error
        return club

    def check_dated_dependents(self, data, kind, moved):
        """moved: [(row, saved id, {field: new date})] of saved clubs or members whose dates the file moves;
        the same rule as the forms (clubs.rules.*_dated_dependents) against the rows already in the books."""
        ids = [pk for _row, pk, _dates in moved]
        first = dependents.first(kind, ids)
        last = dependents.last(kind, ids) if kind == "club" else {}
        for row, pk, dates in moved:
            errors = Errors()
            if kind == "club":
                rules.club_dated_dependents(errors, **dates, first=first.get(pk), last=last.get(pk))
            else:
                rules.member_dated_dependents(errors, **dates, first=first.get(pk))
            for field, reason in errors.reasons():
                self.error(data, row, field, reason)

    def duplicate(self, data, row, seen, key, column):
        if key in seen:
            self.error(data, row, column, M.DUPLICATE % {"row": seen[key]})
            return True
        seen[key] = row.number
        return False

    def count(self, data, row, action):
        summary = self.summaries[data.sheet.key]
        setattr(summary, action, getattr(summary, action) + 1)
        rows = summary.unchanged_rows if action == "unchanged" else summary.changed_rows
        if len(rows) < PREVIEW_ROWS:
            rows.append((row.number, action, [self.shown(c, row.values.get(c.key)) for c in data.sheet.columns]))

    @staticmethod
    def shown(column, raw):
        if column.kind == MONEY and isinstance(raw, (int, float)) and float(raw).is_integer():
            return format_vnd(int(raw), unit=False)
        return display(raw)

    @staticmethod
    def changed(obj, values, fields):
        """The fields whose value in the file differs from the database (absent columns keep theirs)."""
        return [f for f in fields if f in values and getattr(obj, f) != values[f]]

    def plan_update(self, data, row, db, values, fields):
        """Copy onto a saved row the file's values that differ, and count it as updated or unchanged."""
        changed = self.changed(db, values, fields)
        if changed:
            for f in changed:
                setattr(db, f, values[f])
            self.plan[data.sheet.key]["update"].append((db, changed))
        self.count(data, row, "update" if changed else "unchanged")

    def money_unchanged(self, data, row, obj, values, fields):
        """Money already in the books is corrected by reversal entries, never by editing through a file."""
        ok = True
        for f, column in fields:
            if f in values and getattr(obj, f) != values[f]:
                old = getattr(obj, f)
                old = format_vnd(old) if isinstance(old, int) else display(old)
                label = data.sheet.column(column).header
                self.error(data, row, column, M.MONEY_ROW_CHANGED % {"field": label, "old": old})
                ok = False
        return ok

    # -------------------------------------------------- entry point

    def run(self, data: bytes, *, commit):
        sheets = read_workbook(data)
        return self.run_sheets(sheets, commit=commit)

    def run_sheets(self, sheets, *, commit):
        if not sheets:
            self.problems.append(Problem("", None, "", "", str(M.NO_SHEETS)))
            return Result(self.problems, [])
        for spec in SHEETS:
            if spec.key in sheets:
                self.summaries[spec.key] = SheetSummary(spec.key, spec.name, [c.header for c in spec.columns])
                for column in sheets[spec.key].missing:
                    self.problems.append(Problem(spec.name, 1, column.header, "", str(M.MISSING_COLUMN)))
        if self.problems:
            return Result(self.problems, list(self.summaries.values()))
        if commit:
            try:
                with transaction.atomic():
                    plan = self.validate(sheets, lock=True)
                    if not self.problems and (self.confirm_duplicates or not self.warnings):
                        self.write(plan)
                        return Result(self.problems, list(self.summaries.values()), saved=True, warnings=self.warnings)
            except IntegrityError:
                # Someone saved the same codes between our checks and our insert: nothing of ours was kept.
                self.problems.append(Problem("", None, "", "", str(M.CONCURRENT_CHANGE)))
        else:
            self.validate(sheets, lock=False)
        return Result(self.problems, list(self.summaries.values()), warnings=self.warnings)

    # -------------------------------------------------- validation

    def load(self, sheets, lock):
        communes = {"current": {}, "legacy": set()}
        for area in Area.objects.filter(level__in=[Area.Level.COMMUNE, Area.Level.LEGACY_COMMUNE]):
            if area.level == Area.Level.COMMUNE:
                communes["current"][area.code] = area
            else:
                communes["legacy"].add(area.code)
        self.communes = communes
        codes = set()
        for data in sheets.values():
            key = "code" if data.sheet.key == "clubs" else "club"
            codes.update(_text(r.values.get(key)) for r in data.rows)
            if data.sheet.key == "clubs":
                codes.update(_text(r.values.get("source_club")) for r in data.rows)
        codes.discard("")
        # Codes are unique ignoring case (clubs.rules): every spelling of the file's codes already saved.
        self.db_club_codes = defaultdict(set)
        for code in Club.objects.annotate(key=Lower("code")).filter(key__in={rules.code_key(c) for c in codes}).values_list(
                "code", flat=True):
            self.db_club_codes[(None, rules.code_key(code))].add(code)
        clubs = Club.objects.filter(code__in=codes).select_related("commune", "source_club")
        if lock:
            # Two imports touching the same clubs run one after the other, so fund checks stay true.
            clubs = clubs.select_for_update(of=("self",))
        self.db_clubs = {c.code: c for c in clubs}
        self.club_codes = {c.pk: code for code, c in self.db_clubs.items()}
        club_ids = [c.pk for c in self.db_clubs.values()]
        self.db_members = {(m.club_id, m.code): m for m in Member.objects.filter(club_id__in=club_ids)}
        self.db_loans = {(l.club_id, l.code): l for l in Loan.objects.filter(club_id__in=club_ids)}
        self.db_repaid = defaultdict(dict)  # loan id -> {date: [principal, interest]}
        for r in (Repayment.objects.filter(loan__club_id__in=club_ids).values("loan_id", "paid_on")
                  .annotate(p=Sum("principal"), i=Sum("interest"))):
            self.db_repaid[r["loan_id"]][r["paid_on"]] = [r["p"], r["i"]]
        self.db_entries = {(e.club_id, e.fund, e.voucher_no): e for e in FundEntry.objects.filter(club_id__in=club_ids)}
        self.db_activities = {
            (a.club_id, *rules.activity_key(a.date, a.area, a.content)): a for a in Activity.objects.filter(club_id__in=club_ids)
        }

    def validate(self, sheets, *, lock):
        self.load(sheets, lock)
        plan = {key: {"create": [], "update": []} for key in ("clubs", "members", "loans", "repayments", "entries", "activities")}
        self.plan = plan
        self.clubs = {}  # code -> {"ok", "commune", "founded_on", "db", "row"}
        for code, club in self.db_clubs.items():
            self.clubs[code] = {"ok": True, "commune": club.commune, "founded_on": club.founded_on,
                                "dissolved_on": club.dissolved_on, "db": club}
        self.money = defaultdict(list)  # (club code, fund) -> [(date, delta, sheet data, row, column)] new rows only
        self.validate_clubs(sheets.get("clubs"))
        self.validate_members(sheets.get("members"))
        self.validate_loans(sheets.get("loans"))
        self.validate_repayments(sheets.get("repayments"))
        self.validate_entries(sheets.get("entries"))
        self.validate_activities(sheets.get("activities"))
        self.validate_balances()
        return plan

    def report(self, data, row, errors, default):
        """Each rule of clubs.rules the row breaks, as a problem on its column; rules about the whole row,
        or about a column the file lacks, land on `default`."""
        for key, reason in errors.reasons():
            self.error(data, row, key if key in data.columns else default, reason)

    @staticmethod
    def taken(index, scope, code):
        """rules' lookup of codes already used, from index (scope, code_key) -> exact codes saved: taken
        when another spelling of the same code exists (the same spelling is this very row)."""
        key = rules.code_key(code)
        return {key} if index.get((scope, key), set()) - {code} else set()

    def validate_clubs(self, data):
        self.club_sheet = data
        if data is None:
            return
        rows = self.parse_rows(data)
        seen = {}
        pending = []
        moved = []  # saved clubs whose founding or dissolution date the file moves
        for row, v in rows:
            code = v.get("code")
            if code and self.duplicate(data, row, seen, rules.code_key(code), "code"):
                continue
            ok = len(self.problems)
            db = self.db_clubs.get(code)
            if db is not None and not self.in_scope(db.commune):
                # Codes are unique in the province: what the club form says, and nothing more.
                self.error(data, row, "code", M.CLUB_CODE_TAKEN % {"code": code})
            commune = v.get("commune")
            if commune is not None and not self.in_scope(commune):
                self.error(data, row, "commune", M.COMMUNE_OUT_OF_SCOPE % {"name": f"{commune.code} - {commune.name}"})
            # A column left out of the file keeps the saved value.
            founded = v.get("founded_on", db.founded_on if db else None)
            errors = Errors()
            rules.club_code(errors, code=code, taken=self.taken(self.db_club_codes, None, code))
            rules.club_dates(errors, founded_on=v.get("founded_on"), regulation_on=v.get("regulation_on"), today=self.today)
            before = db.dissolved_on if db else None
            dissolved = v.get("dissolved_on", before)
            if dissolved or before:
                rules.dissolution(
                    errors, founded_on=founded, dissolved_on=dissolved, today=self.today,
                    reason=v.get("dissolution_reason", db.dissolution_reason if db else ""),
                    already_on=before if before and before != dissolved else None,
                )
            self.report(data, row, errors, "dissolved_on")
            if db is not None and self.in_scope(db.commune):  # never a word about another district's books
                dates = {f: v[f] for f in ("founded_on", "dissolved_on") if v.get(f) and v[f] != getattr(db, f)}
                if dates:
                    moved.append((row, db.pk, dates))
            valid = len(self.problems) == ok and all(c.key in v for c in data.sheet.columns if c.key in data.columns)
            if code:
                self.clubs[code] = {
                    "ok": valid, "commune": commune or (db.commune if db else None), "founded_on": founded,
                    "dissolved_on": dissolved, "db": db, "row": row,
                }
            pending.append((row, v, valid, db))
        # Rotation sources may be other rows of the same sheet: check once every row is known.
        file_sources = {}
        for row, v, valid, db in pending:
            code = v.get("code")
            if "source_club" in data.columns:
                source = v.get("source_club", "")
            else:
                source = db.source_club.code if db is not None and db.source_club_id else ""
            recorded = db is not None and db.source_club_id and db.source_club.code == source
            if source and source != code and (source not in self.clubs or not (
                    recorded or self.in_scope(self.clubs[source]["commune"]))):
                # The form's rule (clubs.rules.rotation_source): only a club the user may open, or the
                # source already recorded; and not a word about a club elsewhere, its founding date included.
                self.error(data, row, "source_club", M.CLUB_NOT_AVAILABLE % {"code": source})
                valid = False
            elif "track" in v:
                if source and source != code:
                    file_sources[code] = source
                errors = Errors()
                rules.rotation_source(
                    errors, track=v["track"], has_source=bool(source), is_self=source == code,
                    founded_on=self.clubs[code]["founded_on"] if code else None,
                    source_founded_on=self.clubs[source]["founded_on"] if source in self.clubs else None,
                )
                self.report(data, row, errors, "track")
                valid = valid and not errors
            if code:
                self.clubs[code]["ok"] = valid
            if valid:
                self.plan_club(data, row, v, db)
        self.check_dated_dependents(data, "club", moved)
        for code, source in file_sources.items():
            seen_codes, current = {code}, source
            while current in file_sources:
                current = file_sources[current]
                if current in seen_codes:
                    info = self.clubs[code]
                    self.error(data, info["row"], "source_club", M.ROTATION_CYCLE)
                    break
                seen_codes.add(current)

    CLUB_FIELDS = ("name", "commune", "village", "founded_on", "track", "regulation_on", "dissolved_on", "dissolution_reason")

    def plan_club(self, data, row, v, db):
        source_code = v.get("source_club", None)
        if db is None:
            values = {f: v[f] for f in self.CLUB_FIELDS if f in v}
            self.plan["clubs"]["create"].append((Club(code=v["code"], **values), source_code))
            self.count(data, row, "create")
            return
        fields = self.changed(db, v, self.CLUB_FIELDS)
        db_source = db.source_club.code if db.source_club_id else ""
        source_changed = source_code is not None and source_code != db_source
        if fields or source_changed:
            for f in fields:
                setattr(db, f, v[f])
            self.plan["clubs"]["update"].append((db, fields, source_code if source_changed else None))
            self.count(data, row, "update")
        else:
            self.count(data, row, "unchanged")

    MEMBER_FIELDS = (
        "full_name", "gender", "birth_year", "birth_date", "ethnicity", "household", "joined_on", "left_on",
        "phone", "village", "is_homecare_volunteer", "leave_reason",
    )

    def validate_members(self, data):
        self.members = {}  # (club code, member code) -> {"joined_on", "left_on", "ok", "db"}
        codes = defaultdict(set)  # (club code, code_key) -> member codes saved
        for (club_id, code), m in self.db_members.items():
            self.members[(self.club_codes[club_id], code)] = {"joined_on": m.joined_on, "left_on": m.left_on, "ok": True, "db": m}
            codes[(self.club_codes[club_id], rules.code_key(code))].add(code)
        in_file = set()
        writes = []  # valid rows that create or change a member, for the rules on people
        seen = {}
        moved = []  # saved members whose joining date the file moves
        for row, v in (self.parse_rows(data) if data is not None else ()):
            before = len(self.problems)
            club = self.club_for(data, row, v)
            key = (v.get("club"), v.get("code"))
            if v.get("code") and club is not None and self.duplicate(
                    data, row, seen, (v["club"], rules.code_key(v["code"])), "code"):
                continue
            db = self.members[key]["db"] if key in self.members else None  # a file row replaces it once only
            left = v.get("left_on", db.left_on if db else None)
            if club is not None:
                errors = Errors()
                rules.member_code(errors, code=v.get("code"), taken=self.taken(codes, v["club"], v.get("code")))
                rules.member_dates(
                    errors, birth_year=v.get("birth_year"), birth_date=v.get("birth_date"), joined_on=v.get("joined_on"),
                    founded_on=club["founded_on"], today=self.today, left_on=v.get("left_on"),
                    already_left=db.left_on if db is not None and db.left_on and db.left_on != left else None,
                )
                self.report(data, row, errors, "left_on")
            joined = v.get("joined_on")
            if club is not None and joined and club.get("dissolved_on") and joined >= club["dissolved_on"]:
                self.error(data, row, "joined_on", M.JOINED_AFTER_DISSOLVED % {"date": display(club["dissolved_on"])})
            valid = len(self.problems) == before and club is not None and all(k in v for k in data.columns)
            if club is None or not v.get("code"):
                continue
            in_file.add(key)
            self.members[key] = {
                "joined_on": v.get("joined_on", db.joined_on if db else None), "left_on": left, "ok": valid, "db": db,
            }
            if not valid:
                continue
            person = {f: v.get(f, getattr(db, f, None)) for f in ("full_name", "gender", "birth_year")}
            if db is None:
                values = {f: v[f] for f in self.MEMBER_FIELDS if f in v}
                self.plan["members"]["create"].append((Member(code=v["code"], **values), v["club"]))
                self.count(data, row, "create")
                self.members[key]["new"] = self.plan["members"]["create"][-1][0]
                writes.append((row, key, person, left, True))
            else:
                if self.changed(db, v, self.MEMBER_FIELDS):
                    renamed = (rules.normal_name(person["full_name"]), person["birth_year"]) != (db.full_name, db.birth_year)
                    writes.append((row, key, person, left, renamed))
                if v.get("joined_on") and v["joined_on"] != db.joined_on:
                    moved.append((row, db.pk, {"joined_on": v["joined_on"]}))
                self.plan_update(data, row, db, v, self.MEMBER_FIELDS)
        self.check_people(data, writes)
        self.check_dated_dependents(data, "member", moved)
        self.check_founding_moves(in_file)

    def check_people(self, data, writes):
        """The member form's rules on people, for the rows that create or change someone, in file order:
        the same person twice among a club's active members is refused; someone with the name and year
        of birth of an active member anywhere in the province is a warning the user confirms."""
        if not writes:
            return
        written = {key for _row, key, *_rest in writes}
        active = defaultdict(set)  # club code -> person_key of its active members the file does not change
        for key, m in self.members.items():
            db = m["db"]
            if key not in written and db is not None and db.left_on is None:
                active[key[0]].add(rules.person_key(db.full_name, db.gender, db.birth_year))
        written_pks = {self.members[key]["db"].pk for key in written if self.members[key]["db"] is not None}
        people = defaultdict(list)  # likely_key -> descriptions of active members of the province
        names = sorted({fold(rules.normal_name(p["full_name"])) for _row, _key, p, _left, renamed in writes if renamed})
        for start in range(0, len(names), BATCH):
            for pk, full_name, birth_year, club_code, commune_name in (
                Member.objects.filter(search_text__in=names[start:start + BATCH], left_on__isnull=True)
                .values_list("pk", "full_name", "birth_year", "club__code", "club__commune__name")
                .order_by("club__code", "code")
            ):
                if pk not in written_pks:
                    people[rules.likely_key(full_name, birth_year)].append(rules.describe_match(
                        full_name=full_name, birth_year=birth_year, club_code=club_code, commune_name=commune_name))
        for row, (club, _code), p, left, renamed in sorted(writes, key=lambda w: w[0].number):
            if left is None:
                errors = Errors()
                rules.duplicate_member(errors, **p, active_in_club=active[club])
                self.report(data, row, errors, "full_name")
                active[club].add(rules.person_key(**p))
            if renamed:
                warning = rules.likely_duplicate(full_name=p["full_name"], birth_year=p["birth_year"], active_people=people)
                if warning is not None:
                    self.warnings.append(Problem(
                        sheet=data.sheet.name, row=row.number, column=data.sheet.column("full_name").header,
                        value=display(row.values.get("full_name")), reason=warning.messages[0],
                        letter=data.letter("full_name"),
                    ))
            if left is None:
                people[rules.likely_key(p["full_name"], p["birth_year"])].append(rules.describe_match(
                    full_name=rules.normal_name(p["full_name"]), birth_year=p["birth_year"], club_code=club,
                    commune_name=self.clubs[club]["commune"].name))

    def check_founding_moves(self, in_file):
        """A CLB row may not move the founding date after the joining date of a member already saved."""
        first_join = {}
        for (club, code), m in self.members.items():
            if (club, code) not in in_file and m["joined_on"]:
                first_join[club] = min(first_join.get(club, m["joined_on"]), m["joined_on"])
        for club, joined in first_join.items():
            info = self.clubs.get(club)
            if info and info.get("db") is not None and not self.in_scope(info["db"].commune):
                continue  # another district's club: its row is refused already, and its books are not told of
            if info and info.get("row"):
                errors = Errors()
                rules.founded_after_members(errors, founded_on=info["founded_on"], first_joined=joined)
                self.report(self.club_sheet, info["row"], errors, "founded_on")

    def validate_loans(self, data):
        self.loans = {}
        for (club_id, code), loan in self.db_loans.items():
            self.loans[(self.club_codes[club_id], code)] = {
                "ok": True, "db": loan, "disbursed_on": loan.disbursed_on, "principal": loan.principal,
            }
        if data is None:
            return
        member_codes = {m.pk: code for (club_id, code), m in self.db_members.items()}
        seen = {}
        for row, v in self.parse_rows(data):
            before = len(self.problems)
            club = self.club_for(data, row, v)
            key = (v.get("club"), v.get("code"))
            if v.get("code") and club is not None and self.duplicate(data, row, seen, key, "code"):
                continue
            disbursed = v.get("disbursed_on")
            self.not_future(data, row, v, "disbursed_on")
            self.within_life(data, row, v, club, "disbursed_on")
            member = None
            if club is not None and v.get("member"):
                member = self.members.get((v["club"], v["member"]))
                if member is None:
                    self.error(data, row, "member", M.UNKNOWN_MEMBER % {"club": v["club"], "code": v["member"]})
                elif member["ok"] and disbursed and not (
                    member["joined_on"] and member["joined_on"] <= disbursed
                    and (member["left_on"] is None or member["left_on"] > disbursed)
                    and (club.get("dissolved_on") is None or club["dissolved_on"] > disbursed)
                ):
                    self.error(data, row, "member", M.BORROWER_NOT_ACTIVE % {"code": v["member"], "date": display(disbursed)})
            if "principal" in v and v["principal"] <= 0:
                self.error(data, row, "principal", M.NOT_POSITIVE)
            if disbursed and v.get("due_on") and v["due_on"] <= disbursed:
                self.error(data, row, "due_on", M.DUE_NOT_AFTER % {"date": display(disbursed)})
            if club is not None and v.get("principal") and (self.loans.get(key) or {}).get("db") is None:
                # A new loan within the club's limits, the loan form's rule (funds.rules.loan_terms).
                errors = Errors()
                max_loan, max_rate = fund_rules.limits(club.get("db") or Club())
                fund_rules.loan_terms(errors, principal=v["principal"], rate=None, max_loan=max_loan, max_rate=max_rate)
                self.report(data, row, errors, "principal")
            valid = (len(self.problems) == before and club is not None and member is not None and member["ok"]
                     and all(k in v for k in data.columns))
            if club is None or not v.get("code"):
                continue
            existing = self.loans.get(key)
            db = existing["db"] if existing else None
            if db is not None and valid:
                valid = self.money_unchanged(data, row, db, v, [("disbursed_on", "disbursed_on"), ("principal", "principal")])
                if valid and member_codes.get(db.member_id) != v["member"]:
                    self.error(data, row, "member", M.MONEY_ROW_CHANGED % {
                        "field": data.sheet.column("member").header, "old": member_codes.get(db.member_id, "")})
                    valid = False
            self.loans[key] = {
                "ok": valid, "db": db, "disbursed_on": disbursed if db is None else db.disbursed_on,
                "principal": v.get("principal") if db is None else db.principal,
            }
            if not valid:
                continue
            if db is None:
                loan = Loan(code=v["code"], disbursed_on=disbursed, principal=v["principal"], due_on=v["due_on"],
                            purpose=v.get("purpose", ""), created_by=self.history_user)
                self.plan["loans"]["create"].append((loan, v["club"], member.get("db") or member.get("new")))
                self.loans[key]["new"] = loan
                self.count(data, row, "create")
                self.money[(v["club"], Fund.INCOME)].append((disbursed, -v["principal"], data, row, "principal"))
            else:
                self.plan_update(data, row, db, v, ("due_on", "purpose"))

    def validate_repayments(self, data):
        if data is None:
            return
        seen = {}
        file_rows = defaultdict(list)  # loan key -> [(date, principal, row)]
        for row, v in self.parse_rows(data):
            before = len(self.problems)
            club = self.club_for(data, row, v)
            key = (v.get("club"), v.get("loan"), v.get("paid_on"))
            if v.get("loan") and v.get("paid_on") and club is not None and self.duplicate(data, row, seen, key, "paid_on"):
                continue
            self.not_future(data, row, v, "paid_on")
            self.within_life(data, row, v, club, "paid_on")
            for f in ("principal", "interest"):
                if v.get(f) is not None and v[f] < 0:
                    self.error(data, row, f, M.NEGATIVE)
            if v.get("principal") == 0 and not v.get("interest"):
                self.error(data, row, "principal", M.REPAYMENT_EMPTY)
            loan = None
            if club is not None and v.get("loan"):
                loan = self.loans.get((v["club"], v["loan"]))
                if loan is None:
                    self.error(data, row, "loan", M.UNKNOWN_LOAN % {"club": v["club"], "code": v["loan"]})
                elif loan["ok"] and v.get("paid_on") and loan["disbursed_on"] and v["paid_on"] < loan["disbursed_on"]:
                    self.error(data, row, "paid_on", M.PAID_BEFORE_DISBURSED % {"date": display(loan["disbursed_on"])})
                elif (loan["ok"] and v.get("interest") and v.get("paid_on") and loan["disbursed_on"] and loan["principal"]
                      and (loan["db"] is None or v["paid_on"] not in self.db_repaid[loan["db"].pk])):
                    # A new repayment's interest bounded by the loan, the repayment form's rule.
                    errors = Errors()
                    fund_rules.repayment_interest(
                        errors, interest=v["interest"], principal=loan["principal"], disbursed_on=loan["disbursed_on"],
                        paid_on=v["paid_on"], max_rate=fund_rules.limits(club.get("db") or Club())[1])
                    self.report(data, row, errors, "interest")
            valid = (len(self.problems) == before and loan is not None and loan["ok"]
                     and all(k in v for k in data.columns))
            if not valid:
                continue
            principal, interest = v["principal"], v.get("interest") or 0
            db_loan = loan["db"]
            existing = self.db_repaid[db_loan.pk].get(v["paid_on"]) if db_loan is not None else None
            if existing is not None:
                if existing != [principal, interest]:
                    field_key = "principal" if existing[0] != principal else "interest"
                    self.error(data, row, field_key, M.MONEY_ROW_CHANGED % {
                        "field": data.sheet.column(field_key).header, "old": format_vnd(existing[0 if field_key == "principal" else 1])})
                else:
                    self.count(data, row, "unchanged")
                continue
            file_rows[(v["club"], v["loan"])].append((v["paid_on"], principal, row))
            repayment = Repayment(paid_on=v["paid_on"], principal=principal, interest=interest, created_by=self.history_user)
            self.plan["repayments"]["create"].append((repayment, db_loan or loan["new"]))
            self.count(data, row, "create")
            self.money[(v["club"], Fund.INCOME)].append((v["paid_on"], principal + interest, data, row, "principal"))
        # Repaid principal may never exceed the loan's at the end of any day, the service's rule
        # (services._check_principal_path): a row dated before a recorded reversal counts from its
        # own day. The last file row on or before the first day over the principal is the one named.
        for key, rows in file_rows.items():
            loan = self.loans[key]
            db_rows = self.db_repaid[loan["db"].pk].items() if loan["db"] is not None else ()
            events = sorted([(day, 0, p, None) for day, (p, _) in db_rows]
                            + [(day, 1, p, row) for day, p, row in rows],
                            key=lambda e: (e[0], e[1], e[3].number if e[3] is not None else 0))
            total, blamed = 0, None
            for i, (day, _, principal, row) in enumerate(events):
                total += principal
                blamed = row or blamed
                end_of_day = i + 1 == len(events) or events[i + 1][0] != day
                if end_of_day and total > loan["principal"] and blamed is not None:
                    self.error(data, blamed, "principal", M.OVERPAID % {
                        "total": format_vnd(total), "principal": format_vnd(loan["principal"])})
                    break

    def validate_entries(self, data):
        if data is None:
            return
        db_entries = {(self.club_codes[cid], fund, no): e for (cid, fund, no), e in self.db_entries.items()}
        seen = {}
        for row, v in self.parse_rows(data):
            before = len(self.problems)
            club = self.club_for(data, row, v)
            key = (v.get("club"), v.get("fund"), v.get("voucher_no"))
            if v.get("voucher_no") and v.get("fund") and club is not None and self.duplicate(data, row, seen, key, "voucher_no"):
                continue
            self.not_future(data, row, v, "date")
            self.within_life(data, row, v, club, "date")
            if v.get("kind") == EntryKind.IN and "source" in v and not v["source"]:
                self.error(data, row, "source", M.IN_NEEDS_SOURCE)
            if v.get("kind") == EntryKind.IN and "source" not in data.columns:
                self.error(data, row, "kind", M.IN_NEEDS_SOURCE)
            if "amount" in v and v["amount"] <= 0:
                self.error(data, row, "amount", M.NOT_POSITIVE)
            valid = len(self.problems) == before and club is not None and all(k in v for k in data.columns)
            if not valid:
                continue
            db = db_entries.get(key)
            if db is None:
                entry = FundEntry(
                    fund=v["fund"], voucher_no=v["voucher_no"], date=v["date"], kind=v["kind"],
                    source=v.get("source", ""), amount=v["amount"], description=v.get("description", ""),
                    created_by=self.history_user,
                )
                self.plan["entries"]["create"].append((entry, v["club"]))
                self.count(data, row, "create")
                sign = 1 if v["kind"] == EntryKind.IN else -1
                self.money[(v["club"], v["fund"])].append((v["date"], sign * v["amount"], data, row, "amount"))
                continue
            if not self.money_unchanged(data, row, db, v, [("date", "date"), ("kind", "kind"), ("source", "source"), ("amount", "amount")]):
                continue
            self.plan_update(data, row, db, v, ("description",))

    def validate_activities(self, data):
        if data is None:
            return
        db_acts = {(self.club_codes[k[0]],) + k[1:]: a for k, a in self.db_activities.items()}
        seen = {}
        for row, v in self.parse_rows(data):
            before = len(self.problems)
            club = self.club_for(data, row, v)
            key = (v.get("club"), *rules.activity_key(v.get("date"), v.get("area"), v.get("content")))
            if all(key) and club is not None and self.duplicate(data, row, seen, key, "content"):
                continue
            self.not_future(data, row, v, "date")
            self.within_life(data, row, v, club, "date")
            errors = Errors()
            rules.participants(errors, participants=v.get("participants"))
            self.report(data, row, errors, "participants")
            valid = len(self.problems) == before and club is not None and all(k in v for k in data.columns)
            if not valid:
                continue
            db = db_acts.get(key)
            if db is None:
                activity = Activity(date=v["date"], area=v["area"], content=v["content"], participants=v.get("participants"))
                self.plan["activities"]["create"].append((activity, v["club"]))
                self.count(data, row, "create")
            else:
                self.plan_update(data, row, db, v, ("participants",))

    def validate_balances(self):
        """No fund may end a day below zero, counting what is already in the books plus the new rows."""
        if not self.money:
            return
        # What is already in the books was loaded (under lock) by load(): no need to ask the database again.
        deltas = defaultdict(lambda: defaultdict(int))
        for e in self.db_entries.values():
            sign = 1 if e.kind == EntryKind.IN else -1
            deltas[(self.club_codes[e.club_id], e.fund)][e.date] += sign * e.amount
        for loan in self.db_loans.values():
            income = deltas[(self.club_codes[loan.club_id], Fund.INCOME)]
            income[loan.disbursed_on] -= loan.principal
            for day, (principal, interest) in self.db_repaid.get(loan.pk, {}).items():
                income[day] += principal + interest
        for (club, fund), rows in self.money.items():
            by_day = deltas[(club, fund)]
            for day, delta, *_ in rows:
                by_day[day] += delta
            balance = 0
            for day in sorted(by_day):
                balance += by_day[day]
                if balance < 0:
                    outflows = [r for r in rows if r[1] < 0 and r[0] <= day]
                    if outflows:
                        _, _, data, row, column = max(outflows, key=lambda r: (r[0], r[3].number))
                        self.error(data, row, column, M.FUND_NEGATIVE % {
                            "fund": label_of(ENTRIES.column("fund").choices, fund), "club": club,
                            "date": display(day), "balance": format_vnd(balance),
                        })
                    break

    # -------------------------------------------------- writing

    def write(self, plan):
        user = self.history_user
        clubs = dict(self.db_clubs)
        pending = list(plan["clubs"]["create"])
        # A rotation source must exist before the club that names it: create in layers.
        while pending:
            ready = [(c, s) for c, s in pending if not s or s in clubs]
            waiting = [(c, s) for c, s in pending if s and s not in clubs]
            for club, source in ready:
                club.source_club = clubs[source] if source else None
            bulk_create_with_history([c for c, _ in ready], Club, batch_size=BATCH, default_user=user)
            clubs.update({c.code: c for c, _ in ready})
            pending = waiting
        updates = []
        for club, fields, source in plan["clubs"]["update"]:
            if source is not None:
                club.source_club = clubs[source] if source else None
                fields = fields + ["source_club"]
            updates.append((club, fields))
        self.bulk_update(Club, updates, user)

        members = [m for m, _ in plan["members"]["create"]]
        for member, club in plan["members"]["create"]:
            member.club = clubs[club]
        bulk_create_with_history(members, Member, batch_size=BATCH, default_user=user)
        self.bulk_update(Member, plan["members"]["update"], user)
        self.end_board_seats([m for m, fields in plan["members"]["update"] if "left_on" in fields and m.left_on])

        for loan, club, member in plan["loans"]["create"]:
            loan.club, loan.member = clubs[club], member
        bulk_create_with_history([l for l, *_ in plan["loans"]["create"]], Loan, batch_size=BATCH, default_user=user)
        self.bulk_update(Loan, plan["loans"]["update"], user)

        for repayment, loan in plan["repayments"]["create"]:
            repayment.loan = loan
        bulk_create_with_history([r for r, _ in plan["repayments"]["create"]], Repayment, batch_size=BATCH, default_user=user)

        for entry, club in plan["entries"]["create"]:
            entry.club = clubs[club]
        bulk_create_with_history([e for e, _ in plan["entries"]["create"]], FundEntry, batch_size=BATCH, default_user=user)
        self.bulk_update(FundEntry, plan["entries"]["update"], user)

        for activity, club in plan["activities"]["create"]:
            activity.club = clubs[club]
        bulk_create_with_history([a for a, _ in plan["activities"]["create"]], Activity, batch_size=BATCH, default_user=user)
        self.bulk_update(Activity, plan["activities"]["update"], user)
        cache.bump_on_commit()

    def end_board_seats(self, leavers):
        """As on the member form: a person who leaves the club leaves its board the same day."""
        left_on = {m.pk: m.left_on for m in leavers}
        seats = list(BoardMembership.objects.filter(member_id__in=left_on, ended_on__isnull=True)) if left_on else []
        for seat in seats:
            seat.ended_on = max(left_on[seat.member_id], seat.started_on)
        self.bulk_update(BoardMembership, [(seat, ["ended_on"]) for seat in seats], self.history_user)

    @staticmethod
    def bulk_update(model, updates, user):
        by_fields = defaultdict(list)
        for obj, fields in updates:
            by_fields[tuple(sorted(fields))].append(obj)
        for fields, objs in by_fields.items():
            bulk_update_with_history(objs, model, list(fields), batch_size=BATCH, default_user=user)


def import_workbook(data: bytes, *, user=None, commit=True, today=None, confirm_duplicates=False, actor=None):
    """Validate every sheet, then (commit=True, no problem, and no warning or the user confirmed them)
    save everything in one transaction."""
    return WorkbookImport(user=user, today=today, confirm_duplicates=confirm_duplicates, actor=actor).run(data, commit=commit)
