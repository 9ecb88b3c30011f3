from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Hoạt động của Đề án")

    def ready(self):
        # Clubs may not import programme: a club's life holds the supervision visits and exchange visits
        # dated in it, declared to clubs from here as care does.
        from clubs import locks
        from clubs.dependents import DatedRows, register

        from .models import BudgetLine, Communication, ExchangeVisit, SupervisionVisit, Training

        def supervision(v):
            return gettext("lần kiểm tra, giám sát")

        def exchange(v):
            return gettext("chuyến giao lưu, học tập kinh nghiệm")

        register("club", DatedRows(SupervisionVisit, owner="club", date="date", label=supervision,
                                   where=(("cancelled", False),)))
        register("club", DatedRows(ExchangeVisit, owner="clubs", date="date", label=exchange,
                                   where=(("cancelled", False),)))
        # Approved years (clubs.locks): each row is a figure of its year. A supervision visit's follow-up
        # done in a later year touches only that year (a span over counted_on and the day it was done).
        for model in (Training, Communication, ExchangeVisit):
            locks.register(model, locks.Dated(district="lock_district_id", dates=("date",)))
        locks.register(BudgetLine, locks.Dated(district="lock_district_id", dates=("year_start",)))
        locks.register(SupervisionVisit, locks.Dated(district="lock_district_id",
                                                     dates=("counted_on", "follow_up_done_on"), event=False))
