"""The Người được chăm sóc and Thăm chăm sóc sheets: members' care periods and volunteers' visits
(docs/workbook-care.md).

A care period is keyed by member and start date, a visit by recipient, volunteer and date; a visit belongs
to the recipient's care period covering its date. Every row is put to the rules of the entry pages,
care.home_services.care_errors and visit_errors, with what the books and the file hold (loaded once per
import, so nothing is read per row), then written in bulk with the other sheets. Like every sheet, the
import adds and corrects and never takes away: a period or a visit the file does not list stays as it is
(a period ends with a date in its row; a visit entered by mistake is removed on its page).
"""
import copy
from collections import defaultdict
from types import SimpleNamespace

from django.db.models import F

from care import home_services as home
from care.bulk import record_volunteers
from care.models import Care, Visit
from clubs import rules
from clubs.bulk import bulk_create_with_history
from clubs.rules import Errors

from .. import messages as M
from .parsing import BATCH

CARE_FIELDS = ("ended_on", "reason", "note")
VISIT_FIELDS = ("kinds", "minutes", "note")


class Period(SimpleNamespace):
    """A care period as care.home_services' rules read it, saved or of the file: pk (None for a new one),
    started_on, ended_on, member (a stand-in of the recipient, see HomeCareSheets.person), and what the
    import keeps: `obj` (the Care to write), `ok` (its row, if any, is valid), `visit_dates` (its kept
    visits in the books)."""

    covers = Care.covers
    overlaps = Care.overlaps


class HomeCareSheets:
    """Mixin of WorkbookImport (see base.py for the state it shares)."""

    def load_home_care(self, sheets, club_ids):
        """The care periods, their volunteers and the kept visits of the file's clubs: three queries."""
        self.db_cares, self.db_care_volunteers, self.db_visits = [], defaultdict(dict), []
        if "care" not in sheets and "visits" not in sheets:
            return
        self.db_cares = list(Care.objects.filter(member__club_id__in=club_ids).order_by())
        for pk, care_id, member_id in Care.volunteers.through.objects.filter(
                care__member__club_id__in=club_ids).values_list("pk", "care_id", "member_id"):
            self.db_care_volunteers[care_id][member_id] = pk
        self.db_visits = list(Visit.objects.kept().filter(care__member__club_id__in=club_ids)
                              .annotate(recipient_id=F("care__member_id")).order_by())

    # -------------------------------------------------- members named by a row

    def person(self, club_code, code):
        """(stand-in, member) for a member of the file or of the books whose Thành viên row, if any, is
        valid; else None. The stand-in is what the rules read of a member (pk, club_id, club, full_name,
        joined_on, left_on, is_homecare_volunteer), keyed by codes: a member new in this file has no key
        in the database yet."""
        key = (club_code, code)
        if key not in self.home_people:
            m = self.members[key]
            member = m["db"] if m.get("db") is not None else m.get("new")
            if member is None or not m["ok"]:
                self.home_people[key] = None  # its Thành viên row is refused: that is the error to correct
            else:
                club = self.clubs[club_code]
                stand_in = SimpleNamespace(
                    pk=key, club_id=club_code, full_name=member.full_name, joined_on=m["joined_on"],
                    left_on=m["left_on"], is_homecare_volunteer=member.is_homecare_volunteer,
                    club=SimpleNamespace(founded_on=club["founded_on"], dissolved_on=club.get("dissolved_on")))
                self.home_people[key] = (stand_in, member)
        return self.home_people[key]

    def named_member(self, data, row, v, key, code, club):
        """The member a cell names in the row's club, or None (an unknown code is an error on that cell)."""
        if club is None or not code:
            return None
        if (v["club"], code) not in self.members:
            self.error(data, row, key, M.UNKNOWN_MEMBER % {"club": v["club"], "code": code})
            return None
        return self.person(v["club"], code)

    def report_rules(self, data, row, v, errors, columns, default):
        """care.home_services' errors as problems: each on its column (`columns` maps the rule's fields),
        else on `default`. A date in the future is checked against the import's own today (not_future);
        a cell the import already refused is not refused again."""
        found = Errors()
        for field, listed in errors.items():
            key = columns.get(field, default)
            key = key if key in data.columns else default
            if key in data.columns and key not in v:
                continue
            found.setdefault(key, []).extend(e for e in listed if e.code != "future")
        self.report(data, row, found, default)

    # -------------------------------------------------- Người được chăm sóc

    def validate_care(self, data):
        self.plan.update({"care": {"create": [], "update": []}, "visits": {"create": [], "update": []}})
        self.home_people = {}
        keys = {m.pk: (self.club_codes[club_id], code) for (club_id, code), m in self.db_members.items()}
        self.periods = defaultdict(list)  # (club code, member code) -> [Period] as the file leaves them
        saved = {}  # (member key, started_on) -> Period of the books
        visit_dates = defaultdict(list)
        for visit in self.db_visits:
            visit_dates[visit.care_id].append(visit.date)
        for care in self.db_cares:
            key = keys[care.member_id]
            found = self.person(*key)
            period = Period(pk=care.pk, started_on=care.started_on, ended_on=care.ended_on,
                            member=found[0] if found else None, obj=care, ok=True, visit_dates=visit_dates[care.pk])
            self.periods[key].append(period)
            saved[(key, care.started_on)] = period
        if data is None:
            return
        seen, rows = {}, []
        for row, v in self.parse_rows(data):
            member_code = v.get("member")
            begun = self.begin_row(data, row, v, seen=seen, column="started_on",
                                   key=(v.get("club"), member_code and rules.code_key(member_code), v.get("started_on")))
            if begun is None:
                continue
            before, club = begun
            self.not_future(data, row, v, "started_on")
            recipient = self.named_member(data, row, v, "member", member_code, club)
            if recipient is not None:
                self.check_name(data, row, v, recipient[1])
            volunteers = [self.named_member(data, row, v, "volunteers", code, club) for code in v.get("volunteers", ())]
            if recipient is None or "started_on" not in v:
                continue
            key = (v["club"], member_code)
            db = saved.get((key, v["started_on"]))
            if db is not None:
                self.periods[key] = [p for p in self.periods[key] if p is not db]
                if "volunteers" not in data.columns:  # a column left out of the file keeps the saved value
                    volunteers = [self.person(*keys[pk]) for pk in self.db_care_volunteers[db.pk]]
            period = Period(pk=db.pk if db else None, started_on=v["started_on"],
                            ended_on=v.get("ended_on", db.ended_on if db else None), member=recipient[0],
                            obj=db.obj if db else None, ok=False, visit_dates=db.visit_dates if db else [])
            self.periods[key].append(period)
            rows.append((row, v, len(self.problems) == before, key, period, volunteers))
        # Periods of one member may be on any rows of the sheet: each is checked once all are known.
        for row, v, clean, key, period, volunteers in rows:
            before = len(self.problems)
            if all(volunteers):
                errors = home.care_errors(
                    member=period.member, started_on=period.started_on, ended_on=period.ended_on, care=period,
                    volunteers=[stand_in for stand_in, _member in volunteers], visit_dates=period.visit_dates,
                    others=[p for p in self.periods[key] if p is not period])
                self.report_rules(data, row, v, errors, {"volunteers": "volunteers", "ended_on": "ended_on"},
                                  "started_on")
            period.ok = (clean and len(self.problems) == before and all(volunteers)
                         and all(k in v for k in data.columns))
            if period.ok:
                self.plan_care(data, row, v, key, period, [member for _stand_in, member in volunteers])

    def plan_care(self, data, row, v, key, period, volunteers):
        recipient = self.person(*key)[1]
        district = self.clubs[v["club"]]["commune"].parent_id
        if period.obj is None:
            care = Care(started_on=period.started_on, ended_on=period.ended_on, reason=v["reason"], note=v.get("note", ""))
            if not self.refuse_locked(data, row, care, district=district):
                period.ok = False
                return
            period.obj = care
            self.plan["care"]["create"].append((care, recipient, volunteers))
            self.count(data, row, "create")
            return
        care = period.obj
        fields = self.changed(care, v, CARE_FIELDS)
        stored = copy.copy(care)
        for f in fields:
            setattr(care, f, v[f])
        if fields and not self.refuse_locked(data, row, care, district=district, stored=stored):
            period.ok = False
            return
        saved = self.db_care_volunteers[care.pk]
        # Volunteers new in this file have no key yet: a set with one of them is a change.
        wanted = None
        if "volunteers" in data.columns and {m.pk for m in volunteers} != set(saved):
            wanted = volunteers
        if fields or wanted is not None:
            self.plan["care"]["update"].append((care, fields, wanted))
        self.count(data, row, "update" if fields or wanted is not None else "unchanged")

    # -------------------------------------------------- Thăm chăm sóc

    def validate_visits(self, data):
        if data is None:
            return
        saved = {(visit.recipient_id, visit.volunteer_id, visit.date): visit for visit in self.db_visits}
        seen = {}
        for row, v in self.parse_rows(data):
            recipient_code, volunteer_code, on = v.get("recipient"), v.get("volunteer"), v.get("date")
            begun = self.begin_row(data, row, v, seen=seen, column="date", key=(
                v.get("club"), recipient_code and rules.code_key(recipient_code),
                volunteer_code and rules.code_key(volunteer_code), on))
            if begun is None:
                continue
            before, club = begun
            self.not_future(data, row, v, "date")
            recipient = self.named_member(data, row, v, "recipient", recipient_code, club)
            volunteer = self.named_member(data, row, v, "volunteer", volunteer_code, club)
            if recipient is None or volunteer is None or on is None:
                continue
            periods = self.periods.get((v["club"], recipient_code), [])
            period = next((p for p in periods if p.covers(on)), None)
            if period is not None and not period.ok:
                continue  # its Người được chăm sóc row is refused: that is the error to correct
            if not periods:
                self.error(data, row, "recipient", M.VISIT_NO_CARE % {
                    "name": recipient[1].full_name, "code": recipient_code})
                continue
            # No period covering the day: the rule's own refusal, against the period nearest before it.
            judged = period or max((p for p in periods if p.started_on <= on), key=lambda p: p.started_on,
                                   default=min(periods, key=lambda p: p.started_on))
            errors = home.visit_errors(care=judged, volunteer=volunteer[0], on=on, kinds=v.get("kinds", ()),
                                       minutes=v.get("minutes"), check_twin=False)
            self.report_rules(data, row, v, errors, {"date": "date", "volunteer": "volunteer", "kinds": "kinds",
                                                     "minutes": "minutes"}, "date")
            if len(self.problems) != before or not all(k in v for k in data.columns):
                continue
            db = saved.get((recipient[1].pk, volunteer[1].pk, on)) if recipient[1].pk and volunteer[1].pk else None
            if db is not None and db.care_id != period.pk:
                continue  # the file moves its period off the day: that period's row is refused already
            district = club["commune"].parent_id
            if db is None:
                visit = Visit(date=on, kinds=list(v["kinds"]), minutes=v.get("minutes"), note=v.get("note", ""))
                if self.refuse_locked(data, row, visit, district=district):
                    self.plan["visits"]["create"].append((visit, period, volunteer[1]))
                    self.count(data, row, "create")
                continue
            wanted = {**v, "kinds": list(v["kinds"])}
            if set(db.kinds) == set(wanted["kinds"]):
                wanted["kinds"] = db.kinds  # the same kinds in another order are no change
            self.plan_update(data, row, db, wanted, VISIT_FIELDS, district=district)

    # -------------------------------------------------- writing

    def write_home_care(self, plan):
        user = self.history_user
        through = Care.volunteers.through
        for care, recipient, _volunteers in plan["care"]["create"]:
            care.member = recipient
        created = bulk_create_with_history([c for c, *_ in plan["care"]["create"]], Care, batch_size=BATCH,
                                           default_user=user)
        links = [through(care_id=care.pk, member_id=m.pk) for care, _r, volunteers in plan["care"]["create"]
                 for m in volunteers]
        self.bulk_update(Care, [(care, fields) for care, fields, _v in plan["care"]["update"] if fields], user)
        # A change of volunteers only is a change of the period too: its history says who was assigned.
        Care.history.bulk_history_create([care for care, fields, wanted in plan["care"]["update"] if not fields],
                                         update=True, default_user=user, batch_size=BATCH)
        unlinked = []
        for care, _fields, wanted in plan["care"]["update"]:
            if wanted is not None:
                saved = self.db_care_volunteers[care.pk]
                keep = {m.pk for m in wanted}
                unlinked += [pk for member_id, pk in saved.items() if member_id not in keep]
                links += [through(care_id=care.pk, member_id=m.pk) for m in wanted if m.pk not in saved]
        for start in range(0, len(unlinked), BATCH):
            through.objects.filter(pk__in=unlinked[start:start + BATCH]).delete()
        through.objects.bulk_create(links, batch_size=BATCH)
        record_volunteers([c.pk for c in created] + [care.pk for care, *_ in plan["care"]["update"]])

        self.writing("visits")
        for visit, period, volunteer in plan["visits"]["create"]:
            visit.care, visit.volunteer = period.obj, volunteer  # both have their keys now, new or saved
        bulk_create_with_history([v for v, *_ in plan["visits"]["create"]], Visit, batch_size=BATCH, default_user=user)
        self.bulk_update(Visit, plan["visits"]["update"], user)
