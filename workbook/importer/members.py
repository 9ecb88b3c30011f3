"""The Thành viên sheet: members, and the rules on people (same person, likely duplicate)."""
from collections import defaultdict

from clubs import rules
from clubs.formatting import fold
from clubs.models import Member
from clubs.rules import Errors

from .. import messages as M
from .parsing import BATCH, Problem, display


class MembersSheet:
    """Mixin of WorkbookImport (see base.py for the state it shares)."""

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
            key = (v.get("club"), v.get("code"))
            begun = self.begin_row(data, row, v, seen=seen, key=(v.get("club"), v.get("code") and rules.code_key(v["code"])),
                                   column="code")
            if begun is None:
                continue
            before, club = begun
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
                if not self.refuse_locked(data, row, Member(code=v["code"], **values), district=club["commune"].parent_id):
                    continue
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
