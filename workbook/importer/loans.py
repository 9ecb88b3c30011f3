"""The Khoản vay sheet: loans to members of the file or of the books."""

from collections import defaultdict

from clubs.models import Club
from clubs.rules import Errors
from funds import rules as fund_rules
from funds.models import Fund, Loan

from .. import messages as M
from .parsing import Problem, display


class LoansSheet:
    """Mixin of WorkbookImport (see base.py for the state it shares)."""

    def validate_loans(self, data):
        self.loans = {}
        for (club_id, code), loan in self.db_loans.items():
            self.loans[(self.club_codes[club_id], code)] = {
                "ok": True, "db": loan, "disbursed_on": loan.disbursed_on, "principal": loan.principal,
            }
        if data is None:
            return
        member_codes = {m.pk: code for (club_id, code), m in self.db_members.items()}
        # Loans already disbursed per (club, member code, day): the loan form's warning on a second one.
        same_day = defaultdict(int)
        for loan in self.db_loans.values():
            same_day[(self.club_codes[loan.club_id], member_codes.get(loan.member_id), loan.disbursed_on)] += 1
        seen = {}
        for row, v in self.parse_rows(data):
            key = (v.get("club"), v.get("code"))
            begun = self.begin_row(data, row, v, seen=seen, key=key, column="code", date="disbursed_on")
            if begun is None:
                continue
            before, club = begun
            disbursed = v.get("disbursed_on")
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
                self.check_same_day(data, row, v, member, same_day)
                loan = Loan(code=v["code"], disbursed_on=disbursed, principal=v["principal"], due_on=v["due_on"],
                            purpose=v.get("purpose", ""), created_by=self.history_user)
                if not self.refuse_locked(data, row, loan, district=club["commune"].parent_id):
                    continue
                self.plan["loans"]["create"].append((loan, v["club"], member.get("db") or member.get("new")))
                self.loans[key]["new"] = loan
                self.count(data, row, "create")
                self.money[(v["club"], Fund.INCOME)].append((disbursed, -v["principal"], data, row, "principal"))
            else:
                self.plan_update(data, row, db, v, ("due_on", "purpose"))

    def check_same_day(self, data, row, v, member, same_day):
        """funds.rules.same_day_loans, as on the loan form: a warning the user confirms, not a refusal."""
        key = (v["club"], v["member"], v["disbursed_on"])
        person = member.get("db") or member.get("new")
        warning = fund_rules.same_day_loans(name=person.full_name, date=v["disbursed_on"], count=same_day[key])
        same_day[key] += 1
        if warning is not None:
            self.warnings.append(Problem(
                sheet=data.sheet.name, row=row.number, column=data.sheet.column("member").header,
                value=display(row.values.get("member")), reason=warning.messages[0], letter=data.letter("member"),
            ))
