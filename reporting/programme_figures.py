"""The plan's own activities in a report's period and area (docs/programme.md): trainings and the people
trained by kind, communication, exchange visits, supervision visits and the budget by source. One pure
read of programme's rows through its QuerySet methods (kept, in_area, between), a fixed number of
aggregate queries whatever the number of rows."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from programme.models import (
    PARTICIPANT_KINDS, BudgetLine, Communication, ExchangeVisit, Source, SupervisionVisit, Training,
)


@dataclass(frozen=True)
class BudgetRow:
    source: str
    label: str
    estimate: int
    actual: int


@dataclass(frozen=True)
class ProgrammeFigures:
    start: datetime.date
    end: datetime.date
    trainings: int
    trained: dict  # kind -> people (PARTICIPANT_KINDS)
    communication_events: int
    communication_materials: int
    communication_audience: int
    exchanges_inside: int
    exchanges_outside: int
    exchange_participants: int
    supervision_visits: int
    clubs_supervised: int
    follow_ups_open: int
    budget: tuple  # BudgetRow per source with a line, in Source order
    budget_year: int

    @property
    def trained_total(self):
        return sum(self.trained.values())

    @property
    def communications(self):
        return self.communication_events + self.communication_materials

    @property
    def exchanges(self):
        return self.exchanges_inside + self.exchanges_outside

    @property
    def estimate_total(self):
        return sum(row.estimate for row in self.budget)

    @property
    def actual_total(self):
        return sum(row.actual for row in self.budget)


def _sum(field, **extra):
    return Coalesce(Sum(field, **extra), 0)


def programme_figures(area, *, start, end):
    """The figures of rows dated start..end (both included) in `area`; the budget of end's year."""
    trainings = Training.objects.kept().in_area(area).between(start, end).aggregate(
        n=Count("pk"), **{kind: _sum(kind) for kind in PARTICIPANT_KINDS})
    events = Q(kind__in=Communication.EVENTS)
    communication = Communication.objects.kept().in_area(area).between(start, end).aggregate(
        events=Count("pk", filter=events), materials=Count("pk", filter=~events), audience=_sum("audience"))
    exchanges = ExchangeVisit.objects.kept().in_area(area).between(start, end).aggregate(
        inside=Count("pk", filter=Q(outside_province=False)), outside=Count("pk", filter=Q(outside_province=True)),
        people=_sum("participants"))
    visits = SupervisionVisit.objects.kept().in_area(area).between(start, end)
    supervision = visits.aggregate(n=Count("pk"), clubs=Count("club", distinct=True))
    follow_ups_open = SupervisionVisit.objects.kept().in_area(area).open_follow_up(on=end).count()
    lines = {row["source"]: row for row in BudgetLine.objects.kept().in_area(area).filter(year=end.year)
             .order_by().values("source").annotate(estimate=_sum("estimate"), actual=_sum("actual"))}
    budget = tuple(BudgetRow(code, str(label), lines[code]["estimate"], lines[code]["actual"])
                   for code, label in Source.choices if code in lines)
    return ProgrammeFigures(
        start=start, end=end, trainings=trainings["n"], trained={k: trainings[k] for k in PARTICIPANT_KINDS},
        communication_events=communication["events"], communication_materials=communication["materials"],
        communication_audience=communication["audience"],
        exchanges_inside=exchanges["inside"], exchanges_outside=exchanges["outside"],
        exchange_participants=exchanges["people"],
        supervision_visits=supervision["n"], clubs_supervised=supervision["clubs"], follow_ups_open=follow_ups_open,
        budget=budget, budget_year=end.year,
    )


def for_report(report):
    """The figures of an annual report (1/1–31/12) or of its six-month review (1/1–30/6)."""
    from .annual import data_date

    end = data_date(report.year, report.period)
    return programme_figures(report.area, start=datetime.date(report.year, 1, 1), end=end)
