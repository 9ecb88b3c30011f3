"""Allocating a province plan's targets to its former districts (indicators.md §9): one grid of
districts × the province's count targets, with each column's sum against the province figure."""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clubs.models import Area
from clubs.services import clean_and_save

from .models import Target
from .plans import INDICATOR_LABELS

NOT_A_COUNT = _("Giá trị phân bổ phải là số nguyên không âm.")
NOT_A_PROVINCE_PLAN = _("Chỉ phân bổ được chỉ tiêu của kế hoạch cấp tỉnh.")


@dataclass(frozen=True)
class Column:
    target: Target  # the province's row
    label: str
    allocated: dict  # {district id: value or None}

    @property
    def total(self):
        return sum(v for v in self.allocated.values() if v is not None)

    @property
    def adds_up(self):
        """Nothing allocated yet is not a mismatch; a partial or wrong allocation is."""
        return not any(v is not None for v in self.allocated.values()) or self.total == self.target.value


def _key(t):
    return (t.indicator, t.year, t.track, t.kind)


def grid(plan):
    """(districts, columns): the province's count targets that have a value, each with the districts'
    allocated values. Two queries."""
    districts = list(Area.objects.districts().order_by("code"))
    targets = list(plan.targets.select_related(None).order_by("indicator", "year", "track"))
    own = [t for t in targets if t.area_id == plan.area_id and t.unit == Target.Unit.COUNT and t.value is not None]
    by_district = {(t.area_id, _key(t)): t.value for t in targets if t.area_id != plan.area_id}
    columns = []
    for t in own:
        label = str(INDICATOR_LABELS.get(t.indicator, t.indicator))
        columns.append(Column(t, label, {d.pk: by_district.get((d.pk, _key(t))) for d in districts}))
    return districts, columns


@transaction.atomic
def allocate(*, plan, values, user):
    """Write the districts' targets: `values` maps (district id, province target id) to a whole
    number, or None to clear the district's value. A cleared row is kept as "chưa giao" (nothing is
    deleted: its history shows what was allocated before), and every row's history names `user`."""
    if plan.area.level != Area.Level.PROVINCE:
        raise ValidationError(NOT_A_PROVINCE_PLAN, code="not_province")
    own = {t.pk: t for t in plan.targets.filter(area_id=plan.area_id, unit=Target.Unit.COUNT)}
    districts = set(Area.objects.districts().values_list("pk", flat=True))
    for (district_id, target_id), value in values.items():
        if district_id not in districts or target_id not in own:
            continue
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValidationError(NOT_A_COUNT, code="not_a_count")
        t = own[target_id]
        lookup = {"plan": plan, "area_id": district_id, "indicator": t.indicator, "year": t.year, "track": t.track}
        row = Target.objects.filter(**lookup).first()
        if row is None:
            if value is None:
                continue
            row = Target(**lookup)
        elif (row.value, row.unit, row.kind) == (value, t.unit, t.kind):
            continue
        row.value, row.unit, row.kind = value, t.unit, t.kind
        clean_and_save(row, user=user)
