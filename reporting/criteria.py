"""The club-level figures a scorecard criterion can be tied to, and the one rule that says whether a
club's row (reporting.figures.ClubFigures) passes a criterion. The grading pages, the annual report's
annex and both Excel files call `evaluate`; nothing else decides a criterion.

Comparisons are in integers, as indicators.md does: a share of at least p % is 100·part ≥ p·whole,
never a float. A club with no active member fails every criterion (indicators.md §3).
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from clubs.formatting import percent_1dp, format_percent
from clubs.rules import Errors

from .figures import AREA_NUMBERS

CHECK, AT_LEAST, SHARE, BELOW = "check", "at_least", "share", "below"

THRESHOLD_REQUIRED = _("Tiêu chí này cần một ngưỡng.")
THRESHOLD_NOT_USED = _("Tiêu chí này là một kiểm tra đạt/chưa đạt, không có ngưỡng: để trống ô ngưỡng.")
THRESHOLD_TOO_HIGH = _("Ngưỡng của tiêu chí này tối đa là %(max)s.")
UNKNOWN_FIGURE = _("Chọn một số liệu trong danh sách.")


@dataclass(frozen=True)
class Figure:
    label: str
    kind: str
    # AT_LEAST: the value; SHARE and BELOW: (part, whole), compared in percent.
    value: object = None
    maximum: int | None = None  # the largest threshold that means something (100 %, 12 months, 8 areas)
    unit: str = ""

    @property
    def takes_threshold(self):
        return self.kind != CHECK


def _check(name, label):
    return name, Figure(label, CHECK, value=lambda c: getattr(c, name))


FIGURES = dict([
    # indicators.md §3
    _check("size_ok", _("Có từ 40 thành viên trở lên")),
    _check("women_ok", _("Nữ chiếm 60–70% thành viên")),
    _check("older_ok", _("Người cao tuổi chiếm 60–70% thành viên")),
    _check("composition_ok", _("Đạt cơ cấu thành viên (≥ 40; nữ, NCT mỗi nhóm 60–70%)")),
    _check("funds_ok", _("Có quỹ tăng thu nhập, quỹ hoạt động và quy chế")),
    _check("areas_ok", _("Hoạt động đủ 8 mảng trong năm")),
    _check("borrowers_ok", _("Từ 50% thành viên được vay vốn")),
    _check("well_run", _("Hoạt động hiệu quả (đủ 8 mảng và từ 50% vay vốn)")),
    # indicators.md §8
    _check("meetings_ok", _("Sinh hoạt đủ các tháng phải sinh hoạt")),
    _check("standard_ok", _("Hoạt động đạt chuẩn (đủ 8 mảng và sinh hoạt đủ)")),
    # counts and shares with the province's own threshold
    ("meeting_months", Figure(_("Số tháng có sinh hoạt trong năm, từ"), AT_LEAST,
                              value=lambda c: len(c.months_met), maximum=12, unit=_("tháng"))),
    ("areas_count", Figure(_("Số mảng có hoạt động trong năm, từ"), AT_LEAST,
                           value=lambda c: len(c.areas_done & AREA_NUMBERS), maximum=8, unit=_("mảng"))),
    ("borrowers_share", Figure(_("Tỷ lệ thành viên được vay vốn, từ"), SHARE,
                               value=lambda c: (c.borrowers, c.n), maximum=100, unit="%")),
    ("par30_below", Figure(_("Nợ quá hạn trên 30 ngày (PAR30), dưới"), BELOW,
                           value=lambda c: (c.par30_principal, c.outstanding_principal), maximum=100, unit="%")),
    ("health_sessions", Figure(_("Số buổi khám/đo sức khỏe trong năm, từ"), AT_LEAST,
                               value=lambda c: c.health_sessions, unit=_("buổi"))),
    ("members_checked_share", Figure(_("Tỷ lệ thành viên được khám/đo sức khỏe trong năm, từ"), SHARE,
                                     value=lambda c: (c.members_checked, c.n), maximum=100, unit="%")),
    ("older_checked_share", Figure(_("Tỷ lệ người cao tuổi được khám/đo sức khỏe trong năm, từ"), SHARE,
                                   value=lambda c: (c.older_checked, c.older), maximum=100, unit="%")),
    ("recipients_visited_share", Figure(
        _("Tỷ lệ người được chăm sóc tại nhà được thăm đủ các tháng, từ"), SHARE,
        value=lambda c: (c.recipients_visited_ok, c.recipients_active), maximum=100, unit="%")),
    ("volunteers", Figure(_("Số tình nguyện viên chăm sóc tại nhà, từ"), AT_LEAST,
                          value=lambda c: c.volunteers_active, unit=_("người"))),
])
FIGURE_CHOICES = [(key, figure.label) for key, figure in FIGURES.items()]


def criterion_errors(figure, threshold):
    """What is wrong with a criterion tied to `figure` with `threshold` (the model's clean, so its form,
    the service and the admin all say the same)."""
    errors = Errors()
    found = FIGURES.get(figure)
    if found is None:
        if figure:  # an empty one is the form's "required"
            errors.add("figure", UNKNOWN_FIGURE, "unknown_figure")
    elif not found.takes_threshold and threshold is not None:
        errors.add("threshold", THRESHOLD_NOT_USED, "threshold_not_used")
    elif found.takes_threshold and threshold is None:
        errors.add("threshold", THRESHOLD_REQUIRED, "threshold_required")
    elif found.maximum is not None and threshold > found.maximum:
        errors.add("threshold", THRESHOLD_TOO_HIGH, "threshold_too_high", max=found.maximum)
    return errors


def condition_text(figure, threshold):
    """"Tỷ lệ thành viên được vay vốn, từ 50%": the figure and its threshold, as the pages print them."""
    found = FIGURES.get(figure)
    if found is None:
        return figure
    if not found.takes_threshold:
        return str(found.label)
    unit = found.unit if found.unit == "%" else f" {found.unit}"
    return f"{found.label} {threshold}{unit}"


@dataclass(frozen=True)
class Result:
    met: bool
    value: str  # the club's figure as the pages show it beside the points: "21/40 (52,5%)", "10", "Đạt"


def evaluate(figure, threshold, club):
    """Whether `club` (a ClubFigures row) passes the criterion `figure` ≥/< `threshold`, and its value."""
    found = FIGURES[figure]
    value = found.value(club)
    has_members = club.n > 0
    if found.kind == CHECK:
        return Result(bool(value) and has_members, str(_("Đạt") if value else _("Chưa đạt")))
    if found.kind == AT_LEAST:
        return Result(has_members and value >= threshold, str(value))
    part, whole = value
    shown = f"{part}/{whole} ({format_percent(percent_1dp(part, whole))})" if whole else "–"
    if found.kind == SHARE:
        return Result(has_members and whole > 0 and 100 * part >= threshold * whole, shown)
    # BELOW (PAR30): nothing outstanding is a PAR30 of 0 (indicators.md §5), below any positive threshold.
    met = 100 * part < threshold * whole if whole else threshold > 0
    return Result(has_members and met, format_percent(percent_1dp(part, whole)))
