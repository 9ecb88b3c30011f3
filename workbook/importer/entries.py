"""The Quỹ sheet: fund entries (receipts and payments) by voucher."""

from funds.models import EntryKind, FundEntry

from .. import messages as M


class EntriesSheet:
    """Mixin of WorkbookImport (see base.py for the state it shares)."""

    def validate_entries(self, data):
        if data is None:
            return
        db_entries = {(self.club_codes[cid], fund, no): e for (cid, fund, no), e in self.db_entries.items()}
        seen = {}
        for row, v in self.parse_rows(data):
            key = (v.get("club"), v.get("fund"), v.get("voucher_no"))
            begun = self.begin_row(data, row, v, seen=seen, key=key, column="voucher_no", date="date")
            if begun is None:
                continue
            before, club = begun
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
                if not self.refuse_locked(data, row, entry, district=club["commune"].parent_id):
                    continue
                self.plan["entries"]["create"].append((entry, v["club"]))
                self.count(data, row, "create")
                sign = 1 if v["kind"] == EntryKind.IN else -1
                self.money[(v["club"], v["fund"])].append((v["date"], sign * v["amount"], data, row, "amount"))
                continue
            if not self.money_unchanged(data, row, db, v, [("date", "date"), ("kind", "kind"), ("source", "source"), ("amount", "amount")]):
                continue
            self.plan_update(data, row, db, v, ("description",))
