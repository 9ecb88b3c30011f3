"""Writing a plan's targets from rows of typed values (the plan workbook, workbook/plan_sheet.py): a
new plan with its targets, or an existing plan's targets updated in place."""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Plan, Target
from .plan_rules import DUPLICATE_TARGET, target_errors, target_key

NO_TARGETS = _("Tệp không có dòng chỉ tiêu nào.")
TARGET_FIELDS = ("indicator", "kind", "year", "track", "unit", "value", "area")


@dataclass(frozen=True)
class Outcome:
    plan: Plan
    created: int
    updated: int
    unchanged: int


def _checked(rows, plan):
    """Every row's refusals at once, as one ValidationError, or nothing."""
    errors, seen = [], {}
    for number, row in enumerate(rows, start=1):
        area = row.get("area") or plan.area
        problems = target_errors(**{**row, "area": area}, plan_area=plan.area, start=plan.start_year, end=plan.end_year)
        errors += [e for field_errors in problems.values() for e in field_errors]
        key = target_key(area=area, indicator=row["indicator"], year=row["year"], track=row["track"])
        if key in seen:
            errors.append(ValidationError(DUPLICATE_TARGET, code="duplicate", params={"row": seen[key]}))
        seen.setdefault(key, number)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_import(*, rows, user, fields=None, plan=None):
    """Create the plan of `fields` (a new plan) or take `plan`, and write one target per row: a row
    whose (area, indicator, year, track) the plan already has updates it, the plan's other targets stay.
    `rows`: dicts of TARGET_FIELDS, area an Area or None for the plan's own. Nothing is saved when any
    row is refused (ValidationError listing them all); a row equal to the stored one is left untouched,
    so importing the same rows twice changes nothing."""
    if plan is None:
        plan = Plan(**fields)
        plan.full_clean()
    if not rows:
        raise ValidationError(NO_TARGETS, code="no_targets")
    _checked(rows, plan)
    if plan.pk is None:
        plan._history_user = user
        plan.save()
    stored = {target_key(area=t.area_id, indicator=t.indicator, year=t.year, track=t.track): t
              for t in plan.targets.all()}
    created = updated = unchanged = 0
    for row in rows:
        area = row.get("area") or plan.area
        values = {"value": row["value"], "unit": row["unit"], "kind": row["kind"]}
        target = stored.get(target_key(area=area, indicator=row["indicator"], year=row["year"], track=row["track"]))
        if target is None:
            target = Target(plan=plan, area=area, indicator=row["indicator"], year=row["year"],
                            track=row["track"] or "", **values)
            created += 1
        elif all(getattr(target, k) == v for k, v in values.items()):
            unchanged += 1
            continue
        else:
            for k, v in values.items():
                setattr(target, k, v)
            updated += 1
        target._history_user = user
        target.save()
    return Outcome(plan, created, updated, unchanged)
