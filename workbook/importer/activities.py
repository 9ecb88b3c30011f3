"""The Hoạt động sheet: activities per area."""

from clubs import rules
from clubs.models import Activity
from clubs.rules import Errors



class ActivitiesSheet:
    """Mixin of WorkbookImport (see base.py for the state it shares)."""

    def validate_activities(self, data):
        if data is None:
            return
        db_acts = {(self.club_codes[k[0]],) + k[1:]: a for k, a in self.db_activities.items()}
        seen = {}
        for row, v in self.parse_rows(data):
            key = (v.get("club"), *rules.activity_key(v.get("date"), v.get("area"), v.get("content")))
            begun = self.begin_row(data, row, v, seen=seen, key=key, column="content", date="date")
            if begun is None:
                continue
            before, club = begun
            errors = Errors()
            rules.participants(errors, participants=v.get("participants"))
            self.report(data, row, errors, "participants")
            valid = len(self.problems) == before and club is not None and all(k in v for k in data.columns)
            if not valid:
                continue
            db = db_acts.get(key)
            if db is None:
                activity = Activity(date=v["date"], area=v["area"], content=v["content"], participants=v.get("participants"))
                if not self.refuse_locked(data, row, activity, district=club["commune"].parent_id):
                    continue
                self.plan["activities"]["create"].append((activity, v["club"]))
                self.count(data, row, "create")
            else:
                self.plan_update(data, row, db, v, ("participants",))
