from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("Chăm sóc sức khỏe")

    def ready(self):
        # Clubs may not import care: a club's founding may not move after its first health session, nor
        # its dissolution before its last, declared to clubs from here as funds does.
        from clubs.dependents import DatedRows, register

        from .models import Care, HealthCheck, HealthSession, Visit

        def session(s):
            return gettext("buổi khám/đo sức khỏe")

        def check(c):
            return gettext("kết quả khám/đo")

        def care(c):
            return gettext("thời gian chăm sóc tại nhà")

        def visit(v):
            return gettext("lần thăm chăm sóc")

        register("club", DatedRows(HealthSession, owner="club", date="date", label=session))
        # A member joins no later than their first check; a check taken off its session holds nothing.
        register("member", DatedRows(HealthCheck, owner="member", date="session__date", label=check,
                                     where=(("removed", False),)))
        # Home care: a club's life and a member's membership hold the care periods and visits dated in them.
        register("club", DatedRows(Care, owner="member__club", date="started_on", label=care))
        register("club", DatedRows(Visit, owner="care__member__club", date="date", label=visit,
                                   where=(("removed", False),)))
        register("member", DatedRows(Care, owner="member", date="started_on", label=care))
        register("member", DatedRows(Visit, owner="volunteer", date="date", label=visit, where=(("removed", False),)))
        # Approved years (clubs.locks): checks and visits are figures of their year; care periods last.
        from clubs import locks

        locks.register(HealthSession, locks.Dated(district="club.commune.parent_id", dates=("date",)))
        locks.register(HealthCheck, locks.Dated(district="session.club.commune.parent_id", dates=("session.date",)))
        locks.register(Care, locks.Dated(district="member.club.commune.parent_id", dates=("started_on", "ended_on"),
                                         event=False))
        locks.register(Visit, locks.Dated(district="care.member.club.commune.parent_id", dates=("date",)))
