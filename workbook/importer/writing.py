"""The write of a validated workbook: the plan of every sheet in bulk, in dependency order, each row's
history naming the importing user. Runs only inside WorkbookImport.run_sheets' transaction, once every
row of every sheet is valid."""
from collections import defaultdict

from simple_history.utils import bulk_update_with_history

from care.models import HealthCheck, HealthSession
from clubs import touched
from clubs.bulk import bulk_create_with_history
from clubs.models import Activity, BoardMembership, Club, Meeting, Member
from funds.models import FundEntry, Loan, Repayment

from .. import messages as M
from ..spec import SHEETS
from .parsing import BATCH

_SHEET_NAMES = {**{s.key: s.name for s in SHEETS}, "health_sessions": "Khám sức khỏe"}


class Writing:
    """Mixin of WorkbookImport (see base.py for the state it shares)."""

    def writing(self, key):
        """Tell the task's progress that `key`'s rows are being written (the bar counts those written before)."""
        if self.progress is None:
            return
        if key == "clubs":
            self._written = 0
            self.progress.total = sum(len(p["create"]) + len(p["update"]) for p in self.plan.values())
        self.progress.step(self.say(M.STEP_WRITING, {"sheet": _SHEET_NAMES[key]}), done=self._written)
        group = self.plan.get(key, {"create": (), "update": ()})
        self._written += len(group["create"]) + len(group["update"])

    def write(self, plan):
        user = self.history_user
        self.writing("clubs")
        clubs = dict(self.db_clubs)
        pending = list(plan["clubs"]["create"])
        # A rotation source must exist before the club that names it: create in layers.
        while pending:
            ready = [(c, s) for c, s in pending if not s or s in clubs]
            waiting = [(c, s) for c, s in pending if s and s not in clubs]
            for club, source in ready:
                club.source_club = clubs[source] if source else None
            bulk_create_with_history([c for c, _ in ready], Club, batch_size=BATCH, default_user=user)
            clubs.update({c.code: c for c, _ in ready})
            pending = waiting
        updates = []
        for club, fields, source in plan["clubs"]["update"]:
            if source is not None:
                club.source_club = clubs[source] if source else None
                fields = fields + ["source_club"]
            updates.append((club, fields))
        self.bulk_update(Club, updates, user)

        self.writing("members")
        members = [m for m, _ in plan["members"]["create"]]
        for member, club in plan["members"]["create"]:
            member.club = clubs[club]
        bulk_create_with_history(members, Member, batch_size=BATCH, default_user=user)
        self.bulk_update(Member, plan["members"]["update"], user)
        seats_ended = self.end_board_seats(
            [m for m, fields in plan["members"]["update"] if "left_on" in fields and m.left_on])

        self.writing("loans")
        for loan, club, member in plan["loans"]["create"]:
            loan.club, loan.member = clubs[club], member
        bulk_create_with_history([l for l, *_ in plan["loans"]["create"]], Loan, batch_size=BATCH, default_user=user)
        self.bulk_update(Loan, plan["loans"]["update"], user)

        self.writing("repayments")
        for repayment, loan in plan["repayments"]["create"]:
            repayment.loan = loan
        bulk_create_with_history([r for r, _ in plan["repayments"]["create"]], Repayment, batch_size=BATCH, default_user=user)

        self.writing("entries")
        for entry, club in plan["entries"]["create"]:
            entry.club = clubs[club]
        bulk_create_with_history([e for e, _ in plan["entries"]["create"]], FundEntry, batch_size=BATCH, default_user=user)
        self.bulk_update(FundEntry, plan["entries"]["update"], user)

        self.writing("activities")
        for activity, club in plan["activities"]["create"]:
            activity.club = clubs[club]
        bulk_create_with_history([a for a, _ in plan["activities"]["create"]], Activity, batch_size=BATCH, default_user=user)
        self.bulk_update(Activity, plan["activities"]["update"], user)

        self.writing("meetings")
        for meeting, club in plan["meetings"]["create"]:
            meeting.club = clubs[club]
        bulk_create_with_history([m for m, _ in plan["meetings"]["create"]], Meeting, batch_size=BATCH, default_user=user)
        self.bulk_update(Meeting, plan["meetings"]["update"], user)

        self.writing("health_sessions")
        for session, club in plan["health_sessions"]["create"]:
            session.club = clubs[club]
        bulk_create_with_history([s for s, _ in plan["health_sessions"]["create"]], HealthSession, batch_size=BATCH,
                                 default_user=user)
        self.bulk_update(HealthSession, plan["health_sessions"]["update"], user)
        self.writing("health")
        for check, session, member in plan["health"]["create"]:
            check.session, check.member = session, member  # both have their keys now, new or saved
        bulk_create_with_history([c for c, *_ in plan["health"]["create"]], HealthCheck, batch_size=BATCH, default_user=user)
        self.bulk_update(HealthCheck, plan["health"]["update"], user)
        self.writing("care")
        self.write_home_care(plan)
        touched.touch(*self.written(plan), *seats_ended)

    def end_board_seats(self, leavers):
        """As on the member form: a person who leaves the club leaves its board the same day."""
        left_on = {m.pk: m.left_on for m in leavers}
        seats = list(BoardMembership.objects.filter(member_id__in=left_on, ended_on__isnull=True)) if left_on else []
        for seat in seats:
            seat.ended_on = max(left_on[seat.member_id], seat.started_on)
        self.bulk_update(BoardMembership, [(seat, ["ended_on"]) for seat in seats], self.history_user)
        return seats

    @staticmethod
    def written(plan):
        """Every row the plan creates or changes (the first item of each of its entries), for the clubs
        whose figures the import touches (clubs/touched.py)."""
        for sheet in plan.values():
            for kind in ("create", "update"):
                for item in sheet.get(kind, ()):
                    yield item[0] if isinstance(item, tuple) else item

    @staticmethod
    def bulk_update(model, updates, user):
        by_fields = defaultdict(list)
        for obj, fields in updates:
            by_fields[tuple(sorted(fields))].append(obj)
        for fields, objs in by_fields.items():
            bulk_update_with_history(objs, model, list(fields), batch_size=BATCH, default_user=user)
