"""The Trả nợ sheet: repayments, never more principal than the loan."""
from collections import defaultdict

from clubs.formatting import format_vnd
from clubs.models import Club
from clubs.rules import Errors
from funds import rules as fund_rules
from funds.models import Fund, Repayment

from .. import messages as M
from .parsing import display


class RepaymentsSheet:
    """Mixin of WorkbookImport (see base.py for the state it shares)."""

    def validate_repayments(self, data):
        if data is None:
            return
        seen = {}
        file_rows = defaultdict(list)  # loan key -> [(date, principal, row)]
        for row, v in self.parse_rows(data):
            key = (v.get("club"), v.get("loan"), v.get("paid_on"))
            begun = self.begin_row(data, row, v, seen=seen, key=key, column="paid_on", date="paid_on")
            if begun is None:
                continue
            before, club = begun
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
            if not self.refuse_locked(data, row, repayment, district=club["commune"].parent_id):
                continue
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
