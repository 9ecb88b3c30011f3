"""The CLB sheet: clubs, their communes, dates and rotation sources."""
import copy

from clubs import rules
from clubs.models import Club
from clubs.rules import Errors

from .. import messages as M


class ClubsSheet:
    """Mixin of WorkbookImport (see base.py for the state it shares)."""

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
            begun = self.begin_row(data, row, v, seen=seen, key=(code and rules.code_key(code),), column="code", owned=False)
            if begun is None:
                continue
            ok, _ = begun
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
            new = Club(code=v["code"], **values)
            if not self.refuse_locked(data, row, new, district=new.commune.parent_id if new.commune_id else None):
                return
            self.plan["clubs"]["create"].append((new, source_code))
            self.count(data, row, "create")
            return
        fields = self.changed(db, v, self.CLUB_FIELDS)
        db_source = db.source_club.code if db.source_club_id else ""
        source_changed = source_code is not None and source_code != db_source
        if fields or source_changed:
            stored = copy.copy(db)
            for f in fields:
                setattr(db, f, v[f])
            if not self.refuse_locked(data, row, db, district=stored.commune.parent_id, stored=stored):
                return
            self.plan["clubs"]["update"].append((db, fields, source_code if source_changed else None))
            self.count(data, row, "update")
        else:
            self.count(data, row, "unchanged")
