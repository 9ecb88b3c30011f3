"""Reads of health checks, chainable on querysets (docs/indicators-care.md §1)."""
import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery

from clubs.activity_services import month_bounds

from .models import HealthCheck, Visit
from .rules import DIASTOLIC_HIGH, SYSTOLIC_HIGH


def with_latest_reading(members, *, on):
    """Members annotated with their latest blood pressure on or before `on` (latest_on, latest_systolic,
    latest_diastolic): the latest check of theirs that has one, in any session of their club."""
    latest = (HealthCheck.objects.kept().filter(member=OuterRef("pk"), systolic__isnull=False,
                                                session__date__lte=on)
              .order_by("-session__date", "-pk"))
    return members.annotate(
        latest_on=Subquery(latest.values("session__date")[:1]),
        latest_systolic=Subquery(latest.values("systolic")[:1]),
        latest_diastolic=Subquery(latest.values("diastolic")[:1]),
    )


def high_q(prefix=""):
    """A high reading (rules.is_high) in a query: systolic or diastolic at or above its threshold."""
    return Q(**{f"{prefix}systolic__gte": SYSTOLIC_HIGH}) | Q(**{f"{prefix}diastolic__gte": DIASTOLIC_HIGH})


def needing_follow_up(members, *, on):
    """"Cần theo dõi": members whose latest blood pressure on or before `on` is high (rules.is_high)."""
    return with_latest_reading(members, on=on).filter(high_q("latest_"))


# ---------------------------------------------------------------- home care (docs/indicators-care.md §2)


def month_starts(start, end):
    """The first day of each calendar month from `start`'s to `end`'s, both included."""
    months, on = [], start.replace(day=1)
    while on <= end:
        months.append(on)
        on = (on + datetime.timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class CareMonths:
    care_months: frozenset  # first days of the months of [start, end] in which a care period covers a day
    visited_months: frozenset  # of those, the months with at least one visit

    @property
    def visited_every_month(self):
        """recipients_visited_ok's test: cared for in at least one month, visited in each of them."""
        return bool(self.care_months) and self.care_months <= self.visited_months


def care_months(cares, *, start, end):
    """{member id: CareMonths} for the recipients of `cares` (a Care queryset) cared for on a day of
    [start, end]; two queries whatever the number of recipients. Visits count only when kept and dated
    in [start, end] within a care period (the services keep every visit inside its period)."""
    periods, visits = care_month_queries(cares, start=start, end=end)
    return care_months_from(list(periods), list(visits), start=start, end=end)


def care_month_queries(cares, *, start, end):
    """The two queries of care_months: (member id, started on, ended on) of each care period, and
    (member id, date) of each visit counted. Apart so the indicators can run them with their own."""
    # .order_by(): the models' default orderings would join members and sort for nothing.
    periods = cares.overlapping(start, end).order_by().values_list("member_id", "started_on", "ended_on")
    visits = (Visit.objects.kept().between(start, end).filter(care__in=cares.overlapping(start, end).order_by())
              .order_by()
              .values_list("care__member_id", "date"))
    return periods, visits


def care_months_from(periods, visits, *, start, end):
    """care_months from the rows of care_month_queries."""
    months = {}
    for member_id, started_on, ended_on in periods:
        last_day = min(end, ended_on - datetime.timedelta(days=1)) if ended_on else end
        found = months.setdefault(member_id, set())
        found.update(month_starts(max(start, started_on), last_day))
    visited = {}
    for member_id, on in visits:
        visited.setdefault(member_id, set()).add(on.replace(day=1))
    return {member_id: CareMonths(frozenset(found), frozenset(visited.get(member_id, set()) & found))
            for member_id, found in months.items()}


def not_visited_in_month(cares, *, year, month, on):
    """Member ids of recipients of `cares` cared for in that month (up to `on`) with no visit in it: the
    flag of the club's home-care page."""
    first, last = month_bounds(year, month)
    last = min(on, last)
    if last < first:
        return set()
    return {member_id for member_id, status in care_months(cares, start=first, end=last).items()
            if not status.visited_every_month}
