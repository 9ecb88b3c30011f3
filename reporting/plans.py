"""Plans as data: which plan applies, and how far the figures are from each of its targets."""
from dataclasses import dataclass
from decimal import Decimal

import datetime

from django.utils.translation import gettext_lazy as _

from clubs.formatting import percent_1dp
from clubs.models import Track

from .figures import target_met
from .indicators import members_joined_since
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
    "members_joined": _("Người tham gia CLB mới"),
    "clubs_meetings_ok": _("CLB sinh hoạt đủ hằng tháng"),
    "clubs_standard": _("CLB hoạt động đạt chuẩn"),
    "communes_covered": _("Xã/phường có CLB"),
    "communes_standard": _("Xã/phường có CLB hoạt động đạt chuẩn"),
    "older_women_pct": _("Tỷ lệ phụ nữ trong số người cao tuổi tham gia"),
}
INDICATOR_CHOICES = list(INDICATOR_LABELS.items())

# Club counts whose percent target is a share of active clubs (indicators.md §5).
CLUB_COUNTS = {
    "clubs_composition_ok", "clubs_funds_ok", "clubs_areas_ok", "clubs_borrowers_ok", "clubs_well_run",
    "clubs_meetings_ok", "clubs_standard",
}
# Commune counts whose percent target is a share of the area's communes (indicators.md §8).
COMMUNE_COUNTS = {"communes_covered", "communes_standard"}
# Already percentages: a percent target compares with them directly.
PERCENTS = {"women_pct", "older_pct", "par30", "communes_with_club_pct", "older_women_pct"}
# Figures of the period of D: only the target of D's year applies (an annual one without a year
# applies to every year of the plan).
PER_PERIOD = {"clubs_founded", "loans_disbursed", "members_joined"}
# Counts that may be cumulative: from 1 January of the plan's start year to D (§9).
CUMULATIVE = {"clubs_founded", "members_joined"}


def plans_for(area):
    """Plans whose area contains `area` (the province plan applies everywhere); active_plan picks
    the one for D's year."""
    return Plan.objects.filter(area_id__in=area.lineage_ids()).prefetch_related("targets")


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
    year: int  # the year the target is measured at (the plan's end year for a whole-period one)
    unit: str
    target: int
    actual: object  # int, or Decimal for percentages
    met: bool
    ratio: Decimal  # actual / target in percent, capped at 100 for the bar
    share_of: object = None  # a percentage's denominator: 0 means a share of nothing, shown as "—"
    kind: str = Target.Kind.ANNUAL
    since: int | None = None  # a cumulative target's first year

    @property
    def is_percent(self):
        return self.unit == Target.Unit.PERCENT


def _milestones(targets, on, plan):
    """Per (indicator, track, kind): for annual period figures the target of D's year (or the one
    without a year); otherwise the next target year at or after D's, the whole-period one after the
    dated ones, or the last once the plan is over."""
    by_key = {}
    for t in sorted(targets, key=lambda t: (t.year or plan.end_year, t.year is None)):
        by_key.setdefault((t.indicator, t.track, t.kind), []).append(t)
    out = []
    for (indicator, _track, kind), rows in by_key.items():
        if indicator in PER_PERIOD and kind == Target.Kind.ANNUAL:
            dated = [t for t in rows if t.year == on.year]
            out += dated or [t for t in rows if t.year is None and plan.start_year <= on.year <= plan.end_year]
        else:
            upcoming = [t for t in rows if (t.year or plan.end_year) >= on.year]
            out.append(upcoming[0] if upcoming else rows[-1])
    return out


def area_targets(plan, area):
    """The targets `plan` sets for exactly `area`, with a value: never a province's figure on a
    district's page (§9), and rows not yet set ("chưa giao") are left out."""
    if plan is None or area is None:
        return []
    return [t for t in plan.targets.all() if t.area_id == area.pk and t.value is not None]


def clubs_founded_between(ind, first, last, track=""):
    """Clubs founded from `first` to `last` among the clubs active at D (`ind.clubs`), as clubs_founded
    counts them for the year: the cumulative figure (§9) and its trajectory."""
    return sum(1 for c in ind.clubs if first <= c.founded_on <= last and (not track or c.track == track))


def _cumulative(plan, t, ind, area):
    """Clubs founded, or members joined, from 1 January of the plan's start year to D."""
    start, on = datetime.date(plan.start_year, 1, 1), ind.as_of
    if t.indicator == "clubs_founded":
        return clubs_founded_between(ind, start, on, t.track)
    return members_joined_since(area, start, on, t.track)


def progress(plan, ind, area):
    """One Progress per applicable target `plan` sets for `area`, compared with the indicators `ind`."""
    if plan is None:
        return []
    order = list(INDICATOR_LABELS)
    rows = []
    for t in _milestones(area_targets(plan, area), ind.as_of, plan):
        if t.indicator not in INDICATOR_LABELS:
            continue
        cumulative = t.kind == Target.Kind.CUMULATIVE and t.indicator in CUMULATIVE
        raw = _cumulative(plan, t, ind, area) if cumulative else ind.value(t.indicator, t.track)
        share_of = None
        if t.unit == Target.Unit.PERCENT:
            if t.indicator in CLUB_COUNTS or t.indicator in ("clubs_active", "clubs_founded"):
                actual, share_of = percent_1dp(raw, ind.clubs_active), ind.clubs_active
                met = target_met(raw, t.value, ind.clubs_active)
            elif t.indicator in COMMUNE_COUNTS:
                actual, share_of = percent_1dp(raw, ind.communes_total), ind.communes_total
                met = target_met(raw, t.value, ind.communes_total)
            elif t.indicator == "communes_with_club_pct":
                actual, share_of = raw, ind.communes_total
                met = target_met(ind.communes_with_club, t.value, ind.communes_total)
            elif t.indicator == "par30":
                actual, share_of = raw, ind.outstanding_principal
                met = raw <= t.value  # a ceiling, not a floor
            elif t.indicator == "older_women_pct":
                actual, share_of = raw, ind.older
                met = target_met(ind.older_women, t.value, ind.older) and ind.older > 0
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
                year=t.year or (ind.as_of.year if t.indicator in PER_PERIOD and not cumulative else plan.end_year),
                unit=t.unit,
                target=t.value,
                actual=actual,
                met=met,
                ratio=min(ratio, Decimal(100)),
                share_of=share_of,
                kind=Target.Kind.CUMULATIVE if cumulative else Target.Kind.ANNUAL,
                since=plan.start_year if cumulative else None,
            )
        )
    track_order = {"": 0, **{v: i + 1 for i, v in enumerate(Track.values)}}
    rows.sort(key=lambda p: (order.index(p.indicator), track_order.get(p.track, 9)))
    return rows


def founding_schedule(plan, area):
    """{(year, track): clubs} of the yearly clubs_founded targets `plan` sets for `area`."""
    return {
        (t.year, t.track): t.value
        for t in area_targets(plan, area)
        if t.indicator == "clubs_founded" and t.unit == Target.Unit.COUNT and t.year
        and t.kind == Target.Kind.ANNUAL
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


LAI_CHAU_2035_PLAN = {
    "name": "Kế hoạch thực hiện Đề án nhân rộng mô hình câu lạc bộ liên thế hệ tự giúp nhau đến năm 2035",
    "legal_reference": "Quyết định 1648/QĐ-TTg ngày 01/8/2025",
    "issued_by": "Ủy ban nhân dân tỉnh Lai Châu",
    "start_year": 2026,
    "end_year": 2035,
}
LAI_CHAU_2035_TARGETS = [
    # (indicator, year, track, value, unit, kind). The decision's counts (6,000 clubs and 300,000
    # members nationally by 2030) are national and say nothing of Lai Châu's share: those rows are
    # "chưa giao" until the province enters its own number. Its shares apply to every province as
    # they stand (all of Lai Châu is mountain and border area, hence 70%), so they are seeded as
    # values; of the 50–60% band of older women the target keeps the floor, which is what a
    # target compares with (a met target is "at least").
    ("clubs_founded", None, "", None, "count", "cumulative"),
    ("members_joined", None, "", None, "count", "cumulative"),
    ("older_women_pct", None, "", 50, "percent", "annual"),
    ("communes_standard", None, "", 70, "percent", "annual"),
    ("clubs_standard", None, "", None, "count", "annual"),
]


def seed_lai_chau_plan(province):
    """Create or complete the seeded plan; existing target values (maybe edited by officers) stay."""
    return _seed(province, LAI_CHAU_PLAN, [(*row, "annual") for row in LAI_CHAU_TARGETS])


def seed_lai_chau_2035_plan(province):
    """The 2026–2035 phase (Decision 1648), beside the 2021–2025 plan; as idempotent."""
    return _seed(province, LAI_CHAU_2035_PLAN, LAI_CHAU_2035_TARGETS)


def _seed(province, fields, targets):
    plan, _created = Plan.objects.get_or_create(
        name=fields["name"], area=province, defaults={k: v for k, v in fields.items() if k != "name"}
    )
    for indicator, year, track, value, unit, kind in targets:
        Target.objects.get_or_create(
            plan=plan, area=province, indicator=indicator, year=year, track=track,
            defaults={"value": value, "unit": unit, "kind": kind},
        )
    return plan
