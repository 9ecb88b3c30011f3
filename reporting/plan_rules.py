"""What makes one target row acceptable, written once: the plan page's target rows and the plan
workbook import (workbook/plan_sheet.py) both call `target_errors`, so a row refused on one is refused on
the other in the same words."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clubs.formatting import format_vnd

from .models import Target
from .plans import CUMULATIVE, INDICATOR_LABELS, PER_PERIOD

PLAN_YEARS_ORDER = _("Năm kết thúc phải từ năm bắt đầu trở đi.")
TARGET_YEAR_OUTSIDE = _("Năm của chỉ tiêu phải nằm trong thời kỳ %(start)s–%(end)s của kế hoạch.")
PERCENT_TOO_HIGH = _("Chỉ tiêu phần trăm không được quá 100.")
TRACK_NOT_ALLOWED = _("Chỉ tiêu này không chia theo nguồn thành lập.")
TRACK_REQUIRED = _("Chọn nguồn thành lập cho chỉ tiêu này.")
AREA_OUTSIDE = _("Địa bàn của chỉ tiêu phải là địa bàn của kế hoạch hoặc một huyện, xã nằm trong đó.")
CUMULATIVE_NOT_ALLOWED = _("Chỉ tiêu cộng dồn chỉ dùng cho số CLB thành lập mới và số người tham gia mới.")
CUMULATIVE_COUNT_ONLY = _("Chỉ tiêu cộng dồn phải tính bằng số lượng.")
UNKNOWN_INDICATOR = _("Không có chỉ tiêu mã %(code)s (xem sheet Danh mục).")
TARGET_TOO_BIG = _("Giá trị quá lớn: tối đa %(max)s.")
DUPLICATE_TARGET = _("Trùng chỉ tiêu, nguồn thành lập, năm và địa bàn với dòng %(row)s.")

PER_TRACK = {"clubs_active_by_track", "members_by_track"}
TRACK_OPTIONAL = PER_TRACK | PER_PERIOD | {"clubs_founded"}
# The one ceiling of a target's value, on the plan page, the allocation grid and the import: a billion,
# far above any count of clubs or people in a province, and within the database's integer column.
MAX_TARGET = 10**9


def track_rule(indicator):
    """Whether a target of the indicator names a track: "required", "optional" or "none"."""
    if indicator in PER_TRACK:
        return "required"
    return "optional" if indicator in TRACK_OPTIONAL else "none"


def target_key(*, area, indicator, year, track):
    """What makes a target one row of its plan (the model's unique constraints): the kind and unit do not."""
    return (getattr(area, "pk", area), indicator, year, track or "")


def target_errors(*, indicator, kind, year, track, unit, value, area, plan_area=None, start=None, end=None):
    """{field: [ValidationError]} of one target row. A value left None was refused earlier (or is
    blank) and is not checked again; plan_area, start and end are the plan's, when known."""
    errors = {}

    def add(field, message, error_code, **params):
        errors.setdefault(field, []).append(ValidationError(message, code=error_code, params=params or None))

    if indicator and indicator not in INDICATOR_LABELS:
        add("indicator", UNKNOWN_INDICATOR, "unknown_indicator", code=indicator)
        indicator = None
    if indicator in PER_TRACK and not track:
        add("track", TRACK_REQUIRED, "track_required")
    if indicator and indicator not in TRACK_OPTIONAL and track:
        add("track", TRACK_NOT_ALLOWED, "track_not_allowed")
    if kind == Target.Kind.CUMULATIVE:
        if indicator and indicator not in CUMULATIVE:
            add("kind", CUMULATIVE_NOT_ALLOWED, "cumulative_not_allowed")
        elif unit == Target.Unit.PERCENT:
            add("unit", CUMULATIVE_COUNT_ONLY, "cumulative_count")
    if value is not None:
        if unit == Target.Unit.PERCENT and value > 100:
            add("value", PERCENT_TOO_HIGH, "percent_max")
        elif value > MAX_TARGET:
            add("value", TARGET_TOO_BIG, "target_max", max=format_vnd(MAX_TARGET, unit=False))
    if area is not None and plan_area is not None and not plan_area.contains(area):
        add("area", AREA_OUTSIDE, "area_outside")
    if start and end and year is not None and not start <= year <= end:
        add("year", TARGET_YEAR_OUTSIDE, "year_outside", start=start, end=end)
    return errors
