"""Plans as data: which plan applies, and how far the figures are from each of its targets."""
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from clubs.formatting import percent_1dp
from clubs.models import Track

from .indicators import target_met
from .models import Plan, Target

INDICATOR_LABELS = {
    "clubs_active": _("CLB đang hoạt động"),
    "clubs_active_by_track": _("CLB đang hoạt động theo nguồn thành lập"),
    "clubs_founded": _("CLB thành lập mới trong năm"),
    "members_active": _("Thành viên"),
    "members_by_track": _("Thành viên theo nguồn thành lập"),
    "women_pct": _("Tỷ lệ thành viên nữ"),
    "older_pct": _("Tỷ lệ người cao tuổi"),
    "poor_older": _("Người cao tuổi hộ nghèo, cận nghèo"),
    "clubs_composition_ok": _("CLB đạt cơ cấu thành viên"),
    "clubs_funds_ok": _("CLB có quỹ và quy chế"),
    "clubs_areas_ok": _("CLB hoạt động đủ 8 mảng"),
    "clubs_borrowers_ok": _("CLB có ≥ 50% thành viên vay vốn"),
    "clubs_well_run": _("CLB hoạt động hiệu quả (8 mảng và ≥ 50% vay vốn)"),
    "loans_disbursed": _("Vốn giải ngân trong năm (đồng)"),
    "outstanding_principal": _("Dư nợ gốc (đồng)"),
    "par30": _("Tỷ lệ nợ quá hạn trên 30 ngày (%)"),
    "communes_with_club_pct": _("Tỷ lệ xã/phường có CLB"),
}
INDICATOR_CHOICES = list(INDICATOR_LABELS.items())

# Club counts whose percent target is a share of active clubs (indicators.md §5).
CLUB_COUNTS = {"clubs_composition_ok", "clubs_funds_ok", "clubs_areas_ok", "clubs_borrowers_ok", "clubs_well_run"}
# Already percentages: a percent target compares with them directly.
PERCENTS = {"women_pct", "older_pct", "par30", "communes_with_club_pct"}
# Figures of the period of D: only the target of D's year applies.
PER_PERIOD = {"clubs_founded", "loans_disbursed"}


def plans_for(area):
    """Plans whose area contains `area` (the province plan applies everywhere); active_plan picks
    the one for D's year."""
    ids = [area.pk, area.parent_id]
    if area.parent_id and area.parent is not None:
        ids.append(area.parent.parent_id)
    return Plan.objects.filter(area_id__in=[i for i in ids if i]).prefetch_related("targets")


def active_plan(area, on, plan_id=None):
    plans = plans_for(area)
    if plan_id:
        return plans.filter(pk=plan_id).first()
    return (
        plans.filter(start_year__lte=on.year, end_year__gte=on.year).order_by("-start_year", "pk").first()
        or plans.filter(end_year__lt=on.year).order_by("-end_year", "pk").first()
        or plans.order_by("start_year", "pk").first()
    )


@dataclass(frozen=True)
class Progress:
    indicator: str
    label: str
    track: str
    track_label: str
    year: int
    unit: str
    target: int
    actual: object  # int, or Decimal for percentages
    met: bool
    ratio: Decimal  # actual / target in percent, capped at 100 for the bar
    share_of: object = None  # a percentage's denominator: 0 means a share of nothing, shown as "—"

    @property
    def is_percent(self):
        return self.unit == Target.Unit.PERCENT


def _milestones(targets, on):
    """Per (indicator, track): the target of D's year for period figures; for stock figures the next
    target year at or after D's (or the last one once the plan is over)."""
    by_key = {}
    for t in sorted(targets, key=lambda t: t.year):
        by_key.setdefault((t.indicator, t.track), []).append(t)
    out = []
    for (indicator, _track), rows in by_key.items():
        if indicator in PER_PERIOD:
            out += [t for t in rows if t.year == on.year]
        else:
            upcoming = [t for t in rows if t.year >= on.year]
            out.append(upcoming[0] if upcoming else rows[-1])
    return out


def progress(plan, ind):
    """One Progress per applicable target of `plan`, compared with the indicators `ind`."""
    if plan is None:
        return []
    order = list(INDICATOR_LABELS)
    rows = []
    for t in _milestones(plan.targets.all(), ind.as_of):
        if t.indicator not in INDICATOR_LABELS:
            continue
        raw = ind.value(t.indicator, t.track)
        share_of = None
        if t.unit == Target.Unit.PERCENT:
            if t.indicator in CLUB_COUNTS or t.indicator in ("clubs_active", "clubs_founded"):
                actual, share_of = percent_1dp(raw, ind.clubs_active), ind.clubs_active
                met = target_met(raw, t.value, ind.clubs_active)
            elif t.indicator == "communes_with_club_pct":
                actual, share_of = raw, ind.communes_total
                met = target_met(ind.communes_with_club, t.value, ind.communes_total)
            elif t.indicator == "par30":
                actual, share_of = raw, ind.outstanding_principal
                met = raw <= t.value  # a ceiling, not a floor
            else:
                actual = raw
                share_of = ind.members_active if t.indicator in ("women_pct", "older_pct") else None
                met = raw >= t.value
        else:
            actual = raw
            met = raw >= t.value
        ratio = Decimal(100) if met else (percent_1dp(int(actual * 10), t.value * 10) if t.value else Decimal(0))
        rows.append(
            Progress(
                indicator=t.indicator,
                label=str(INDICATOR_LABELS[t.indicator]),
                track=t.track,
                track_label=str(Track(t.track).label) if t.track else "",
                year=t.year,
                unit=t.unit,
                target=t.value,
                actual=actual,
                met=met,
                ratio=min(ratio, Decimal(100)),
                share_of=share_of,
            )
        )
    track_order = {"": 0, **{v: i + 1 for i, v in enumerate(Track.values)}}
    rows.sort(key=lambda p: (order.index(p.indicator), track_order.get(p.track, 9)))
    return rows


def founding_schedule(plan):
    """{(year, track): clubs} of the plan's clubs_founded targets."""
    if plan is None:
        return {}
    return {
        (t.year, t.track): t.value
        for t in plan.targets.all()
        if t.indicator == "clubs_founded" and t.unit == Target.Unit.COUNT
    }


def chart_years(plan, on):
    """Years shown on the charts: the plan's years up to D's year (at least D's year)."""
    if plan is None:
        return list(range(on.year - 4, on.year + 1))
    first = min(plan.start_year, on.year)
    return list(range(first, max(min(plan.end_year, on.year), first) + 1)) or [on.year]


LAI_CHAU_PLAN = {
    "name": "Kế hoạch nhân rộng mô hình câu lạc bộ liên thế hệ tự giúp nhau tỉnh Lai Châu đến năm 2025",
    "legal_reference": "Quyết định số 1336/QĐ-TTg ngày 31/8/2020 của Thủ tướng Chính phủ",
    "issued_by": "Ủy ban nhân dân tỉnh Lai Châu",
    "start_year": 2021,
    "end_year": 2025,
}
LAI_CHAU_TARGETS = [
    # (indicator, year, track, value, unit)
    ("clubs_active", 2025, "", 72, "count"),
    ("clubs_active_by_track", 2025, "existing", 25, "count"),
    ("clubs_active_by_track", 2025, "new_budget", 35, "count"),
    ("clubs_active_by_track", 2025, "new_rotation", 12, "count"),
    ("clubs_founded", 2022, "new_budget", 8, "count"),
    ("clubs_founded", 2022, "new_rotation", 1, "count"),
    ("clubs_founded", 2023, "new_budget", 9, "count"),
    ("clubs_founded", 2023, "new_rotation", 2, "count"),
    ("clubs_founded", 2024, "new_budget", 8, "count"),
    ("clubs_founded", 2024, "new_rotation", 4, "count"),
    ("clubs_founded", 2025, "new_budget", 10, "count"),
    ("clubs_founded", 2025, "new_rotation", 5, "count"),
    ("members_by_track", 2025, "new_budget", 1400, "count"),
    ("members_by_track", 2025, "new_rotation", 500, "count"),
    ("clubs_composition_ok", 2025, "", 100, "percent"),
    ("clubs_funds_ok", 2025, "", 100, "percent"),
    ("clubs_well_run", 2025, "", 70, "percent"),
]


def seed_lai_chau_plan(province):
    """Create or complete the seeded plan; existing target values (maybe edited by officers) stay."""
    plan, _created = Plan.objects.get_or_create(
        name=LAI_CHAU_PLAN["name"], area=province, defaults={k: v for k, v in LAI_CHAU_PLAN.items() if k != "name"}
    )
    for indicator, year, track, value, unit in LAI_CHAU_TARGETS:
        Target.objects.get_or_create(
            plan=plan, indicator=indicator, year=year, track=track, defaults={"value": value, "unit": unit}
        )
    return plan
