"""The Sinh hoạt sheet: monthly meetings, keyed by club and date, with how many came (not who)."""
from collections import defaultdict

from clubs import rules
from clubs.models import Meeting
from clubs.rules import Errors

from .. import messages as M


class MeetingsSheet:
    """Mixin of WorkbookImport (see base.py for the state it shares)."""

    def validate_meetings(self, data):
        if data is None:
            return
        db_meetings = {(self.club_codes[cid], day): m for (cid, day), m in self.db_meetings.items()}
        # Members of the file and of the books, by club: the head count is bounded by those active that day.
        people = defaultdict(list)
        for (club, _code), m in self.members.items():
            if m["joined_on"]:
                people[club].append((m["joined_on"], m["left_on"]))
        seen = {}
        for row, v in self.parse_rows(data):
            key = (v.get("club"), v.get("held_on"))
            begun = self.begin_row(data, row, v, seen=seen, key=key, column="held_on", date="held_on")
            if begun is None:
                continue
            before, club = begun
            held_on = v.get("held_on")
            db = db_meetings.get(key)
            errors = Errors()
            if club is not None:
                rules.meeting_date(errors, held_on=held_on, founded_on=club["founded_on"])
                active = sum(rules.member_on(joined_on=j, left_on=left, on=held_on) for j, left in people[v["club"]]) if held_on else 0
                rules.meeting_head_count(errors, count=v.get("attendee_count"), active=active, held_on=held_on)
            self.report(data, row, errors, "held_on")
            if db is not None and db.named and v.get("attendee_count") not in (None, db.named):
                # Who came is listed in the application; a bare number from a file may not overwrite the list.
                self.error(data, row, "attendee_count", M.MEETING_COUNT_NAMED % {"count": db.named})
            valid = len(self.problems) == before and club is not None and all(k in v for k in data.columns)
            if not valid:
                continue
            if db is None:
                meeting = Meeting(held_on=held_on, attendee_count=v.get("attendee_count"), notes=v.get("notes", ""))
                if not self.refuse_locked(data, row, meeting, district=club["commune"].parent_id):
                    continue
                self.plan["meetings"]["create"].append((meeting, v["club"]))
                self.count(data, row, "create")
                continue
            values = dict(v)
            if db.named:
                values.pop("attendee_count", None)  # the same number as the list: nothing to change
            self.plan_update(data, row, db, values, ("attendee_count", "notes"))
