"""Validate a whole workbook first, then write it in one transaction with bulk queries.

Nothing is written unless every row of every sheet is valid. Lookups are loaded once per import
(one query per table for the clubs the file mentions), so the cost grows with the file, not with
the number of queries per row. Each sheet's rules live in a module of its own (clubs.py, members.py,
...); this one holds what they share, the loading and the balances; writing.py writes the plan.
"""
import copy
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Lower
from django.utils import timezone

from care.models import HealthCheck, HealthSession
from clubs import dependents, locks, rules
from clubs.formatting import format_vnd
from clubs.models import Activity, Area, Club, Meeting, Member, staff_of
from clubs.rules import Errors
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment

from .. import messages as M
from ..reader import read_workbook
from ..spec import (
    ENTRIES, EXAMPLE_CLUB_CODE, MONEY, SHEETS, label_of,
)
from .activities import ActivitiesSheet
from .clubs import ClubsSheet
from .entries import EntriesSheet
from .health import HealthSheet
from .home_care import HomeCareSheets
from .loans import LoansSheet
from .meetings import MeetingsSheet
from .members import MembersSheet
from .parsing import Problem, ProblemLog, Result, SheetSummary, Wording, _text, display, parse_cell
from .repayments import RepaymentsSheet
from .writing import Writing


class WorkbookImport(ClubsSheet, MembersSheet, LoansSheet, RepaymentsSheet, EntriesSheet, ActivitiesSheet, MeetingsSheet,
                     HealthSheet, HomeCareSheets, Writing):
    """One validation (and, when asked, the write) of one workbook for one user.

    user=None means full rights (the command line without --as). `actor`: whom the history names when
    it is not `user` (the command line's system account).
    """

    def __init__(self, *, user=None, today=None, confirm_duplicates=False, actor=None, marks=False, window=None,
                 progress=None):
        self.progress = progress  # jobs.runner.Progress of the task running this import, if any
        self.window = window  # (sheet key, start, stop): list those valid rows of that sheet
        self.user = user
        self.history_user = actor or (user if user is not None and user.is_authenticated else None)
        staff = staff_of(user) if user is not None else None
        self.full_rights = user is None or (staff is not None and staff.sees_all)
        self.district_id = staff.district_id if staff is not None else None
        self.today = today or timezone.localdate()
        self.say = Wording()
        self.problems = ProblemLog(marks=marks, say=self.say)
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

    def check_name(self, data, row, v, member):
        """A name given beside a member code must be that member's (spelling of case and spaces aside)."""
        given = v.get("full_name")
        if given and rules.normal_name(given).casefold() != rules.normal_name(member.full_name).casefold():
            self.error(data, row, "full_name", M.MEMBER_NAME_MISMATCH % {
                "code": v["member"], "club": v["club"], "name": member.full_name, "given": given})

    def in_scope(self, commune):
        return self.full_rights or (commune is not None and commune.parent_id == self.district_id)

    def not_future(self, data, row, values, *keys):
        for key in keys:
            d = values.get(key)
            if d is not None and d > self.today:
                self.error(data, row, key, self.say(M.FUTURE_DATE, {"today": self.today.strftime("%d/%m/%Y")}))

    def parse_rows(self, data):
        """(row, values) one row at a time: values holds only the cells that parsed; each bad cell is a
        problem. The sheet's rows are let go as they are validated: what a sheet's rules keep of a row
        (a valid row's plan, an index of codes) is theirs, so a file of bad rows keeps none of them."""
        rows, data.rows = data.rows, []
        columns = [(key, data.sheet.column(key)) for key in data.columns]
        example_key = "club" if data.sheet.key != "clubs" else "code"
        progress = self.progress
        if progress is not None:
            progress.step(self.say(M.STEP_CHECKING, {"sheet": data.sheet.name}))
        for i, row in enumerate(rows):
            rows[i] = None
            if progress is not None:
                progress.done += 1
            if _text(row.values.get(example_key)) == EXAMPLE_CLUB_CODE:
                continue
            values = {}
            for key, column in columns:
                value, reason = parse_cell(column, row.values.get(key), communes=self.communes, say=self.say)
                if reason is not None:
                    self.error(data, row, key, reason)
                else:
                    values[key] = value
            yield row, values

    def within_life(self, data, row, values, club, key):
        """Nothing is recorded for a club before its founding or after its dissolution."""
        d = values.get(key)
        if d is None or club is None:
            return
        if club["founded_on"] and d < club["founded_on"]:
            self.error(data, row, key, self.say(M.BEFORE_FOUNDED, {"date": display(club["founded_on"])}))
        elif club.get("dissolved_on") and d > club["dissolved_on"]:
            self.error(data, row, key, self.say(M.AFTER_DISSOLVED, {"date": display(club["dissolved_on"])}))

    def club_for(self, data, row, values):
        """The club a row belongs to (from the file or the database), checked against the user's area."""
        code = values.get("club")
        if not code:
            return None
        club = self.clubs.get(code)
        if club is None or not self.in_scope(club["commune"]):
            # The same words whether the code is nowhere or in another district.
            self.error(data, row, "club", self.say(M.CLUB_NOT_AVAILABLE, {"code": code}))
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

    def begin_row(self, data, row, values, *, seen, key, column, date=None, owned=True):
        """What every sheet does first with a row: note where its problems start, find its club (owned=False:
        the row is a club itself), refuse a repeat of an earlier row of the file (its key is complete),
        and keep its date (`date`, a column key) out of the future and within the club's life.

        (problems before the row, club), or None for a repeat, already reported, the row to be skipped.
        """
        before = len(self.problems)
        club = self.club_for(data, row, values) if owned else None
        if all(key) and (club is not None or not owned) and self.duplicate(data, row, seen, key, column):
            return None
        if date is not None:
            self.not_future(data, row, values, date)
            self.within_life(data, row, values, club, date)
        return before, club

    def duplicate(self, data, row, seen, key, column):
        if key in seen:
            self.error(data, row, column, self.say(M.DUPLICATE, {"row": seen[key]}))
            return True
        seen[key] = row.number
        return False

    def count(self, data, row, action):
        self.summaries[data.sheet.key].add(
            row.number, action, lambda: [self.shown(c, row.values.get(c.key)) for c in data.sheet.columns])

    @staticmethod
    def shown(column, raw):
        if column.kind == MONEY and isinstance(raw, (int, float)) and float(raw).is_integer():
            return format_vnd(int(raw), unit=False)
        return display(raw)

    @staticmethod
    def changed(obj, values, fields):
        """The fields whose value in the file differs from the database (absent columns keep theirs)."""
        return [f for f in fields if f in values and getattr(obj, f) != values[f]]

    def refuse_locked(self, data, row, obj, *, district, stored=None):
        """The rule of approved years (clubs.locks), for a row the file creates or changes: in memory."""
        for path, dates in locks.touched_dates(obj, stored).items():
            error = self.approvals.refusal(district, dates)
            if error is not None:
                key = path if path in data.columns else next(iter(data.columns))
                self.error(data, row, key, error.message % error.params)
                return False
        return True

    def plan_update(self, data, row, db, values, fields, *, district=None):
        """Copy onto a saved row the file's values that differ, and count it as updated or unchanged.
        `district`: of the row's club, for rows that do not name their club themselves."""
        changed = self.changed(db, values, fields)
        if changed:
            stored = copy.copy(db)
            for f in changed:
                setattr(db, f, values[f])
            district = district if district is not None else self.club_district.get(db.club_id)
            self.refuse_locked(data, row, db, district=district, stored=stored)
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
                if self.window and self.window[0] == spec.key:
                    self.summaries[spec.key].window = self.window[1:]
                for column in sheets[spec.key].missing:
                    self.problems.append(Problem(spec.name, 1, column.header, "", str(M.MISSING_COLUMN)))
        if self.problems:
            return Result(self.problems, list(self.summaries.values()))
        if self.progress is not None:
            self.progress.step("", total=sum(len(data.rows) for data in sheets.values()), done=0)
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
        communes = {"current": {}, "legacy": {}}
        for area in Area.objects.filter(
                level__in=[Area.Level.COMMUNE, Area.Level.LEGACY_COMMUNE]).select_related("successor"):
            communes["current" if area.level == Area.Level.COMMUNE else "legacy"][area.code] = area
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
        self.club_district = {c.pk: c.commune.parent_id for c in self.db_clubs.values()}
        self.approvals = locks.Approvals.load()
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
        # `named`: how many the application lists by name; such a meeting's count is the list's.
        self.db_meetings = {
            (m.club_id, m.held_on): m for m in Meeting.objects.filter(club_id__in=club_ids).annotate(named=Count("attendees"))
        }
        # Health sessions by (club, date, kind), a list: the entry page may have saved two with one key.
        self.db_health_sessions = defaultdict(list)
        self.db_health_checks = {}
        if "health" in sheets:
            for s in HealthSession.objects.filter(club_id__in=club_ids).order_by("pk"):
                self.db_health_sessions[(s.club_id, s.date, s.kind)].append(s)
            self.db_health_checks = {
                (c.session_id, c.member_id): c for c in HealthCheck.objects.filter(session__club_id__in=club_ids)
            }
        self.load_home_care(sheets, club_ids)

    def validate(self, sheets, *, lock):
        self.load(sheets, lock)
        plan = {key: {"create": [], "update": []} for key in (
            "clubs", "members", "loans", "repayments", "entries", "activities", "meetings", "health_sessions", "health")}
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
        self.validate_meetings(sheets.get("meetings"))
        self.validate_health(sheets.get("health"))
        self.validate_care(sheets.get("care"))
        self.validate_visits(sheets.get("visits"))
        self.validate_balances()
        return plan

    def validate_balances(self):
        """No fund may end a day below zero, counting what is already in the books plus the new rows."""
        if not self.money:
            return
        if self.progress is not None:
            self.progress.step(self.say(M.STEP_BALANCES))
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


def import_workbook(data: bytes, *, user=None, commit=True, today=None, confirm_duplicates=False, actor=None,
                    marks=False, window=None, progress=None):
    """Validate every sheet, then (commit=True, no problem, and no warning or the user confirmed them)
    save everything in one transaction. marks=True: the result's `marks` locate every problem, for
    xlsx.marked_copy. progress: a jobs.runner.Progress told the step and the rows checked, then written."""
    return WorkbookImport(user=user, today=today, confirm_duplicates=confirm_duplicates, actor=actor,
                          marks=marks, window=window, progress=progress).run(data, commit=commit)
