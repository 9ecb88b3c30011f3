"""The Khám sức khỏe sheet: one row per member checked at a health session (docs/workbook-care.md).

A session is keyed by club, date and kind; the rows of one session are gathered and put to
care.services.check_errors, the rules the entry page's service applies, then written in bulk with the
other sheets. Like every sheet, the import adds and corrects and never takes away: a check of a saved
session that the file does not list is left as it is (taking someone off a session is done on its page).
"""
from collections import defaultdict
from types import SimpleNamespace

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from care import rules as care_rules
from care import services as care
from care.models import HealthCheck, HealthSession

from .. import messages as M
from .parsing import display

READINGS = ("systolic", "diastolic", "weight")


def _column(part, code, reading):
    """The column of the sheet a care.services error about one check lands on."""
    if part == "weight":
        return "weight"
    if part == "blood_pressure":
        if code == "bp_incomplete":
            return "systolic" if reading["systolic"] is None else "diastolic"
        return "systolic" if code == "systolic_range" else "diastolic"
    return "member"


class HealthSheet:
    """Mixin of WorkbookImport (see base.py for the state it shares)."""

    def validate_health(self, data):
        if data is None:
            return
        sessions = defaultdict(list)  # (club code, date, kind) -> saved sessions
        for (club_id, day, kind), found in self.db_health_sessions.items():
            sessions[(self.club_codes[club_id], day, kind)] = found
        groups = {}  # session key -> {"rows": [(row, reading, member)], "organiser": (text, row number)}
        seen = {}
        for row, v in self.parse_rows(data):
            session_key = (v.get("club"), v.get("on"), v.get("session_kind"))
            begun = self.begin_row(data, row, v, seen=seen, key=(*session_key, v.get("member")), column="member")
            if begun is None:
                continue
            before, club = begun
            self.not_future(data, row, v, "on")
            member = self.health_member(data, row, v, club)
            name = member["person"].full_name if member is not None else v.get("member", "")
            reading = self.reading(data, row, v, name)
            valid = (len(self.problems) == before and member is not None and member["ok"]
                     and all(k in v for k in data.columns))
            if not valid:
                continue
            group = groups.setdefault(session_key, {"rows": [], "organiser": None})
            if "organiser" in data.columns:
                if group["organiser"] is None:
                    group["organiser"] = (v["organiser"], row.number)
                elif group["organiser"][0] != v["organiser"]:
                    self.error(data, row, "organiser", M.HEALTH_ORGANISER_DIFFERS % {"row": group["organiser"][1]})
                    continue
            group["rows"].append((row, reading, member))
        for key, group in groups.items():
            self.check_session(data, key, group, sessions.get(key, []))

    def health_member(self, data, row, v, club):
        """The row's member, of the file or of the books, {"ok", "joined_on", "left_on", "db", "person"}."""
        if club is None or not v.get("member"):
            return None
        member = self.members.get((v["club"], v["member"]))
        if member is None:
            self.error(data, row, "member", M.UNKNOWN_MEMBER % {"club": v["club"], "code": v["member"]})
            return None
        person = member["db"] if member.get("db") is not None else member.get("new")
        if person is None:
            return None  # its Thành viên row is refused: that is the error to correct
        self.check_name(data, row, v, person)
        return {**member, "person": person}

    def reading(self, data, row, v, name):
        """Blood pressure and weight of the row; the weight read as the entry page reads it."""
        reading = {"systolic": v.get("systolic"), "diastolic": v.get("diastolic"), "weight": None}
        try:
            reading["weight"] = care_rules.parse_weight(v.get("weight", ""), name=name)
        except ValidationError as exc:
            self.error(data, row, "weight", exc.messages[0])
        return reading

    def check_session(self, data, key, group, saved):
        """care.services.check_errors on the session's rows, then the plan: create or correct."""
        club_code, on, kind = key
        club = self.clubs[club_code]
        before = len(self.problems)
        # Stand-ins keyed by what the file knows (club code, row number): the club or the member may be
        # new in this very file, with no key in the database yet.
        stand_in = SimpleNamespace(pk=club_code, founded_on=club["founded_on"], dissolved_on=club.get("dissolved_on"))
        session = saved[0] if len(saved) == 1 else None
        by_number, checks, planned = {}, [], []
        for row, reading, member in group["rows"]:
            person = member["person"]
            found = self.db_health_checks.get((session.pk, person.pk)) if session is not None and person.pk else None
            if found is not None:
                # A column the file lacks keeps the saved reading: the rules judge what would be saved.
                reading = {f: reading[f] if f in data.columns else getattr(found, f) for f in READINGS}
            by_number[row.number] = (row, reading)
            planned.append((row, reading, person, found))
            stand_in_member = SimpleNamespace(pk=row.number, club_id=club_code, full_name=person.full_name,
                                              joined_on=member["joined_on"], left_on=member["left_on"])
            checks.append({"member": stand_in_member, **reading})
        errors = care.check_errors(club=stand_in, on=on, checks=checks)
        for field, listed in errors.items():
            for error in listed:
                if error.code == "future":
                    continue  # checked per row against the import's own today (not_future)
                text = error.messages[0]
                if field in ("on", NON_FIELD_ERRORS):
                    for row, _reading, _member in group["rows"]:
                        self.error(data, row, "on", text)
                    continue
                number, _dot, part = field.partition(".")
                row, reading = by_number[int(number)]
                self.error(data, row, _column(part, error.code, reading), text)
        if len(saved) > 1:
            for row, _reading, _member in group["rows"]:
                self.error(data, row, "on", M.HEALTH_SESSION_AMBIGUOUS % {
                    "club": club_code, "count": len(saved), "date": display(on)})
        if len(self.problems) != before:
            return
        organiser_moved = (session is not None and group["organiser"] is not None
                           and session.organiser != group["organiser"][0])
        writes = session is None or organiser_moved or any(
            found is None or any(getattr(found, f) != value for f, value in {**reading, "removed": False}.items())
            for _row, reading, _person, found in planned)
        refusal = self.approvals.refusal(club["commune"].parent_id, [on]) if writes else None
        if refusal is not None:
            # A check is a figure of its year (clubs.locks): none is added or corrected in an approved one.
            for row, _reading, _member in group["rows"]:
                self.error(data, row, "on", refusal.message % refusal.params)
            return
        organiser = group["organiser"][0] if group["organiser"] is not None else None
        session_changed = False
        if session is None:
            session = HealthSession(date=on, kind=kind, organiser=organiser or "")
            self.plan["health_sessions"]["create"].append((session, club_code))
        elif organiser is not None and session.organiser != organiser:
            session.organiser = organiser
            self.plan["health_sessions"]["update"].append((session, ["organiser"]))
            session_changed = True
        for row, reading, person, found in planned:
            if found is None:
                self.plan["health"]["create"].append((HealthCheck(**reading), session, person))
                self.count(data, row, "create")
                continue
            # A check taken off its session on its page comes back when the file lists it again.
            wanted = {**reading, "removed": False}
            changed = [f for f, value in wanted.items() if getattr(found, f) != value]
            for f in changed:
                setattr(found, f, wanted[f])
            if changed:
                self.plan["health"]["update"].append((found, changed))
            self.count(data, row, "update" if changed or session_changed else "unchanged")
            session_changed = False  # the session's own change is counted once, on its first row
