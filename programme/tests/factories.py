"""Rows of the plan's activities for tests, written directly (the services are tested in test_services.py)."""
import datetime

from clubs.models import Area
from clubs.tests.factories import commune, district, ensure_areas
from programme.models import BudgetLine, Communication, ExchangeVisit, Source, SupervisionVisit, Training

ON = datetime.date(2025, 3, 5)


def province():
    ensure_areas()
    return Area.objects.get(level=Area.Level.PROVINCE)


def training(area, on=ON, *, cadres=5, board=3, members=10, others=2, **extra):
    values = {"organiser": "Hội NCT tỉnh", "topic": "Kỹ năng quản lý CLB", **extra}
    return Training.objects.create(area=area, date=on, cadres=cadres, board=board, members=members,
                                   others=others, **values)


def communication(area, on=ON, *, kind=Communication.Kind.EVENT, quantity=None, audience=100, **extra):
    return Communication.objects.create(area=area, date=on, kind=kind, title=extra.pop("title", "Nói chuyện chuyên đề"),
                                        quantity=quantity, audience=audience, **extra)


def exchange(area, clubs, on=ON, *, outside=False, destination="", participants=20, **extra):
    visit = ExchangeVisit.objects.create(area=area, date=on, title=extra.pop("title", "Học tập mô hình"),
                                         outside_province=outside, destination=destination,
                                         participants=participants, **extra)
    visit.clubs.set(clubs)
    return visit


def supervision(club, on=ON, *, follow_up="", done_on=None, **extra):
    return SupervisionVisit.objects.create(club=club, date=on, by_whom=extra.pop("by_whom", "Hội NCT huyện"),
                                           findings=extra.pop("findings", "Sổ sách đầy đủ"), follow_up=follow_up,
                                           follow_up_done=done_on is not None, follow_up_done_on=done_on, **extra)


def budget(area, year=2025, source=Source.PROVINCE, *, estimate=100_000_000, actual=80_000_000, **extra):
    return BudgetLine.objects.create(area=area, year=year, source=source, estimate=estimate, actual=actual, **extra)


__all__ = ["commune", "district", "province"]
