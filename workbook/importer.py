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
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from clubs import dependents, rules
from clubs.formatting import format_vnd, parse_vnd
from clubs.models import Activity, Area, Club, Member, Track, staff_of
from clubs.rules import Errors
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment

from . import messages as M
from .reader import read_workbook
from .spec import (
    AREA, CHOICE, CODE, COMMUNE, DATE, ENTRIES, EXAMPLE_CLUB_CODE, INT, MONEY, SHEETS, TEXT, YEAR, choice_key, label_of,
)

PREVIEW_ROWS = 300
BATCH = 2000
# Past these the database refuses the row mid-write (bigint, integer columns): refuse the cell instead.
MAX_MONEY = 10**15 - 1
MAX_INT = 2**31 - 1
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass
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

    @property
    def ok(self):
        return not self.problems

    @property
    def changes(self):
        return sum(s.create + s.update for s in self.sheets)


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


def parse_cell(column, raw, *, communes):
    """(value, reason): the typed value, or None with the Vietnamese reason it is refused."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            return None, M.REQUIRED
        return ("" if column.kind in (TEXT, CODE, CHOICE) else None), None
    kind = column.kind
    if kind in (TEXT, CODE):
        text = _text(raw)
        if column.max_length and len(text) > column.max_length:
            return None, M.TOO_LONG % {"max": column.max_length}
        return text, None
    if kind == DATE:
        if isinstance(raw, datetime.datetime):
            return raw.date(), None
        if isinstance(raw, datetime.date):
            return raw, None
        match = _DATE_RE.match(str(raw).strip())
        if match:
            day, month, year = map(int, match.groups())
            try:
                return datetime.date(year, month, day), None
            except ValueError:
                pass
        return None, M.BAD_DATE
    if kind == MONEY:
        try:
            amount = parse_vnd(raw)
        except (ValueError, TypeError):
            return None, M.BAD_MONEY
        if amount > MAX_MONEY:
            return None, M.TOO_BIG % {"max": format_vnd(MAX_MONEY)}
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
    if kind == CHOICE:
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

    def __init__(self, *, user=None, today=None, actor=None):
        self.user = user
        self.history_user = actor or (user if user is not None and user.is_authenticated else None)
        staff = staff_of(user) if user is not None else None
        self.full_rights = user is None or (staff is not None and staff.sees_all)
        self.district_id = staff.district_id if staff is not None else None
        self.today = today or timezone.localdate()
        self.problems = []
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
                    if not self.problems:
                        self.write(plan)
                        return Result(self.problems, list(self.summaries.values()), saved=True)
            except IntegrityError:
                # Someone saved the same codes between our checks and our insert: nothing of ours was kept.
                self.problems.append(Problem("", None, "", "", str(M.CONCURRENT_CHANGE)))
        else:
            self.validate(sheets, lock=False)
        return Result(self.problems, list(self.summaries.values()))

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
            (a.club_id, a.date, a.area, a.content): a for a in Activity.objects.filter(club_id__in=club_ids)
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
            if code and self.duplicate(data, row, seen, code, "code"):
                continue
            ok = len(self.problems)
            db = self.db_clubs.get(code)
            if db is not None and not self.in_scope(db.commune):
                # Codes are unique in the province: what the club form says, and nothing more.
                self.error(data, row, "code", M.CLUB_CODE_TAKEN % {"code": code})
            commune = v.get("commune")
            if commune is not None and not self.in_scope(commune):
                self.error(data, row, "commune", M.COMMUNE_OUT_OF_SCOPE % {"name": f"{commune.code} - {commune.name}"})
            self.not_future(data, row, v, "founded_on", "regulation_on", "dissolved_on")
            if v.get("dissolved_on") and v.get("founded_on") and v["dissolved_on"] < v["founded_on"]:
                self.error(data, row, "dissolved_on", M.DISSOLVED_BEFORE_FOUNDED % {"date": display(v["founded_on"])})
            if db is not None and self.in_scope(db.commune):  # never a word about another district's books
                dates = {f: v[f] for f in ("founded_on", "dissolved_on") if v.get(f) and v[f] != getattr(db, f)}
                if dates:
                    moved.append((row, db.pk, dates))
            if v.get("track") == Track.NEW_ROTATION and "source_club" in v and not v["source_club"]:
                self.error(data, row, "source_club", M.ROTATION_SOURCE_REQUIRED)
            if v.get("track") == Track.NEW_ROTATION and "source_club" not in data.columns:
                self.error(data, row, "track", M.ROTATION_SOURCE_REQUIRED)
            if v.get("source_club") and v["source_club"] == code:
                self.error(data, row, "source_club", M.ROTATION_SOURCE_SELF)
            if v.get("source_club") and "track" in v and v["track"] != Track.NEW_ROTATION:
                self.error(data, row, "source_club", M.SOURCE_ONLY_FOR_ROTATION)
            valid = len(self.problems) == ok and all(c.key in v for c in data.sheet.columns if c.key in data.columns)
            if code:
                self.clubs[code] = {
                    "ok": valid, "commune": commune or (db.commune if db else None),
                    # A column left out of the file keeps the saved value.
                    "founded_on": v.get("founded_on", db.founded_on if db else None),
                    "dissolved_on": v.get("dissolved_on", db.dissolved_on if db else None), "db": db, "row": row,
                }
            pending.append((row, v, valid, db))
        # Rotation sources may be other rows of the same sheet: check once every row is known.
        file_sources = {}
        for row, v, valid, db in pending:
            source = v.get("source_club")
            recorded = db is not None and db.source_club_id and db.source_club.code == source
            if source and source != v.get("code") and (source not in self.clubs or not (
                    recorded or self.in_scope(self.clubs[source]["commune"]))):
                # The form's rule (clubs.rules.rotation_source): only a club the user may open, or the
                # source already recorded; and not a word about a club elsewhere, its founding date included.
                self.error(data, row, "source_club", M.CLUB_NOT_AVAILABLE % {"code": source})
                valid = False
            elif source and source != v.get("code"):
                file_sources[v["code"]] = source
                founded = self.clubs[source]["founded_on"]
                if valid and founded and v.get("founded_on") and founded > v["founded_on"]:
                    self.error(data, row, "source_club", M.SOURCE_FOUNDED_LATER % {"date": display(founded)})
                    valid = False
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

    CLUB_FIELDS = ("name", "commune", "village", "founded_on", "track", "regulation_on", "dissolved_on")

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

    MEMBER_FIELDS = ("full_name", "gender", "birth_year", "birth_date", "ethnicity", "household", "joined_on", "left_on")

    def validate_members(self, data):
        self.members = {}  # (club code, member code) -> {"joined_on", "left_on", "db"}
        for (club_id, code), m in self.db_members.items():
            self.members[(self.club_codes[club_id], code)] = {"joined_on": m.joined_on, "left_on": m.left_on, "ok": True, "db": m}
        in_file = set()
        seen = {}
        moved = []  # saved members whose joining date the file moves
        for row, v in (self.parse_rows(data) if data is not None else ()):
            before = len(self.problems)
            club = self.club_for(data, row, v)
            key = (v.get("club"), v.get("code"))
            if v.get("code") and club is not None and self.duplicate(data, row, seen, key, "code"):
                continue
            birth_date, birth_year = v.get("birth_date"), v.get("birth_year")
            if birth_date and birth_year and birth_date.year != birth_year:
                self.error(data, row, "birth_date", M.BIRTH_YEAR_MISMATCH % {"date_year": birth_date.year, "year": birth_year})
            self.not_future(data, row, v, "birth_date", "joined_on", "left_on")
            joined = v.get("joined_on")
            if club is not None and joined and club["founded_on"] and joined < club["founded_on"]:
                self.error(data, row, "joined_on", M.JOINED_BEFORE_FOUNDED % {"date": display(club["founded_on"])})
            if club is not None and joined and club.get("dissolved_on") and joined >= club["dissolved_on"]:
                self.error(data, row, "joined_on", M.JOINED_AFTER_DISSOLVED % {"date": display(club["dissolved_on"])})
            if joined and v.get("left_on") and v["left_on"] < joined:
                self.error(data, row, "left_on", M.LEFT_BEFORE_JOINED % {"date": display(joined)})
            valid = len(self.problems) == before and club is not None and all(k in v for k in data.columns)
            if club is None or not v.get("code"):
                continue
            in_file.add(key)
            db = self.members[key]["db"] if key in self.members else None  # a file row replaces it once only
            self.members[key] = {
                "joined_on": v.get("joined_on", db.joined_on if db else None),
                "left_on": v.get("left_on", db.left_on if db else None),
                "ok": valid, "db": db,
            }
            if not valid:
                continue
            if db is None:
                values = {f: v[f] for f in self.MEMBER_FIELDS if f in v}
                self.plan["members"]["create"].append((Member(code=v["code"], **values), v["club"]))
                self.count(data, row, "create")
                self.members[key]["new"] = self.plan["members"]["create"][-1][0]
            else:
                if v.get("joined_on") and v["joined_on"] != db.joined_on:
                    moved.append((row, db.pk, {"joined_on": v["joined_on"]}))
                self.plan_update(data, row, db, v, self.MEMBER_FIELDS)
        self.check_dated_dependents(data, "member", moved)
        self.check_founding_moves(in_file)

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
            if info and info.get("row") and info["founded_on"] and joined < info["founded_on"]:
                self.error(self.club_sheet, info["row"], "founded_on", M.FOUNDED_AFTER_MEMBERS % {"date": display(joined)})

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
        for key, rows in file_rows.items():
            loan = self.loans[key]
            total = sum(p for p, _ in self.db_repaid[loan["db"].pk].values()) if loan["db"] is not None else 0
            for paid_on, principal, row in sorted(rows, key=lambda r: (r[0], r[2].number)):
                total += principal
                if total > loan["principal"]:
                    self.error(data, row, "principal", M.OVERPAID % {
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
            key = (v.get("club"), v.get("date"), v.get("area"), v.get("content"))
            if all(key) and club is not None and self.duplicate(data, row, seen, key, "content"):
                continue
            self.not_future(data, row, v, "date")
            self.within_life(data, row, v, club, "date")
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

    @staticmethod
    def bulk_update(model, updates, user):
        by_fields = defaultdict(list)
        for obj, fields in updates:
            by_fields[tuple(sorted(fields))].append(obj)
        for fields, objs in by_fields.items():
            bulk_update_with_history(objs, model, list(fields), batch_size=BATCH, default_user=user)


def import_workbook(data: bytes, *, user=None, commit=True, today=None, actor=None):
    """Validate every sheet, then (commit=True and no problem) save everything in one transaction."""
    return WorkbookImport(user=user, today=today, actor=actor).run(data, commit=commit)
