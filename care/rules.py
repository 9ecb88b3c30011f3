"""The rules of health readings, written once for the entry page, the service and the workbook import.

Same shape as clubs.rules: plain values in, messages reported to a clubs.rules.Errors collector keyed by
field name, message constants tests import. Definitions: docs/indicators-care.md §1.
"""
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SYSTOLIC_MIN, SYSTOLIC_MAX = 60, 260
DIASTOLIC_MIN, DIASTOLIC_MAX = 30, 160
WEIGHT_MIN, WEIGHT_MAX = Decimal(20), Decimal(200)
SYSTOLIC_HIGH, DIASTOLIC_HIGH = 140, 90

BP_FORMAT = _("%(name)s: huyết áp “%(value)s” không đọc được, nhập dạng tâm thu/tâm trương, ví dụ 120/80.")
BP_INCOMPLETE = _("%(name)s: nhập cả huyết áp tâm thu và tâm trương, ví dụ 120/80.")
SYSTOLIC_RANGE = _("%(name)s: huyết áp tâm thu %(value)s không hợp lý (từ 60 đến 260).")
DIASTOLIC_RANGE = _("%(name)s: huyết áp tâm trương %(value)s không hợp lý (từ 30 đến 160).")
DIASTOLIC_NOT_BELOW = _("%(name)s: huyết áp tâm trương (%(diastolic)s) phải thấp hơn tâm thu (%(systolic)s).")
WEIGHT_FORMAT = _("%(name)s: cân nặng “%(value)s” không đọc được, nhập số ki-lô-gam, ví dụ 52,5.")
WEIGHT_RANGE = _("%(name)s: cân nặng %(value)s kg không hợp lý (từ 20 đến 200 kg).")
WEIGHT_DECIMALS = _("%(name)s: cân nặng chỉ ghi một chữ số thập phân, ví dụ 52,5.")

_BP = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")


def is_high(systolic, diastolic):
    """A high reading (huyết áp cao): systolic ≥ 140 or diastolic ≥ 90; no blood pressure is never high."""
    return (systolic is not None and systolic >= SYSTOLIC_HIGH) or (diastolic is not None and diastolic >= DIASTOLIC_HIGH)


def parse_blood_pressure(text, *, name):
    """'120/80' -> (120, 80); blank -> (None, None); anything else raises ValidationError(BP_FORMAT)."""
    text = (text or "").strip()
    if not text:
        return None, None
    found = _BP.match(text)
    if not found:
        raise ValidationError(BP_FORMAT, code="bp_format", params={"name": name, "value": text})
    return int(found[1]), int(found[2])


def parse_weight(text, *, name):
    """'52,5' or '52.5' -> Decimal('52.5'); blank -> None; anything else raises ValidationError(WEIGHT_FORMAT)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(WEIGHT_FORMAT, code="weight_format", params={"name": name, "value": text})
    return value


def decimal_text(value):
    """52.5 -> '52,5' (Vietnamese decimal comma), as the entry page reads it back."""
    return str(value).replace(".", ",")


def blood_pressure(errors, field, *, name, systolic, diastolic):
    if systolic is None and diastolic is None:
        return
    if systolic is None or diastolic is None:
        errors.add(field, BP_INCOMPLETE, "bp_incomplete", name=name)
        return
    in_range = True
    if not SYSTOLIC_MIN <= systolic <= SYSTOLIC_MAX:
        errors.add(field, SYSTOLIC_RANGE, "systolic_range", name=name, value=systolic)
        in_range = False
    if not DIASTOLIC_MIN <= diastolic <= DIASTOLIC_MAX:
        errors.add(field, DIASTOLIC_RANGE, "diastolic_range", name=name, value=diastolic)
        in_range = False
    if in_range and diastolic >= systolic:
        errors.add(field, DIASTOLIC_NOT_BELOW, "diastolic_not_below", name=name, systolic=systolic, diastolic=diastolic)


def weight(errors, field, *, name, weight):
    if weight is None:
        return
    if not WEIGHT_MIN <= weight <= WEIGHT_MAX:
        errors.add(field, WEIGHT_RANGE, "weight_range", name=name, value=decimal_text(weight))
    elif weight != weight.quantize(Decimal("0.1")):
        errors.add(field, WEIGHT_DECIMALS, "weight_decimals", name=name)
