from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Quỹ")

    def ready(self):
        # Clubs may not import funds: the rows of the books that must stay within a club's life and a
        # member's membership are declared to clubs from here.
        from clubs.dependents import DatedRows, register

        from .models import FundEntry, Loan, Repayment

        def entry(e):
            return gettext("phiếu %(voucher)s (quỹ %(fund)s)") % {"voucher": e.voucher_no, "fund": e.get_fund_display()}

        def loan(l):
            return gettext("khoản vay %(code)s") % {"code": l.code}

        def repayment(r):
            return gettext("lần trả nợ khoản vay %(code)s") % {"code": r.loan.code}

        register("club", DatedRows(FundEntry, owner="club", date="date", label=entry))
        register("club", DatedRows(Loan, owner="club", date="disbursed_on", label=loan))
        register("club", DatedRows(Repayment, owner="loan__club", date="paid_on", label=repayment, related=("loan",)))
        register("member", DatedRows(Loan, owner="member", date="disbursed_on", label=loan))
        # Approved years (clubs.locks): every line of the books is a figure of its year.
        from clubs import locks

        club = "club.commune.parent_id"
        locks.register(FundEntry, locks.Dated(district=club, dates=("date",)))
        locks.register(Loan, locks.Dated(district=club, dates=("disbursed_on", "due_on")))
        locks.register(Repayment, locks.Dated(district="loan.club.commune.parent_id", dates=("paid_on",)))
