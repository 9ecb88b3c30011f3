"""Reads of health checks, chainable on querysets (docs/indicators-care.md §1)."""
from django.db.models import OuterRef, Q, Subquery

from .models import HealthCheck
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
