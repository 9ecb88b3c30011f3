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

        from .models import HealthCheck, HealthSession

        def session(s):
            return gettext("buổi khám/đo sức khỏe")

        def check(c):
            return gettext("kết quả khám/đo")

        register("club", DatedRows(HealthSession, owner="club", date="date", label=session))
        # A member joins no later than their first check; a check taken off its session holds nothing.
        register("member", DatedRows(HealthCheck, owner="member", date="session__date", label=check,
                                     where=(("removed", False),)))
