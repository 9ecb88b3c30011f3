"""Approving a year's figures and reopening it (issue 15). The only writes of reporting beside its own
plans and reports: an approval record with its snapshot (clubs.YearApproval, which clubs.locks reads to
refuse writes dated in the year), never club data."""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs import cache
from clubs.models import Area, YearApproval, staff_of
from clubs.rules import Errors
from clubs.services import clean_and_save

from . import plans, snapshots

NOT_OFFICER = _("Chỉ cán bộ tỉnh được phê duyệt hoặc mở lại số liệu năm.")
AREA_LEVEL = _("Chỉ phê duyệt số liệu cho toàn tỉnh hoặc một huyện cũ.")
YEAR_NOT_OVER = _("Năm %(year)s chưa kết thúc; chỉ phê duyệt số liệu sau ngày 31/12/%(year)s.")
ALREADY_APPROVED = _("Số liệu năm %(year)s của %(area)s đã được phê duyệt ngày %(date)s.")
NOT_APPROVED = _("Số liệu năm %(year)s của %(area)s chưa được phê duyệt (hoặc đã mở lại).")
REOPEN_REASON_REQUIRED = _("Ghi lý do mở lại số liệu năm đã phê duyệt.")


def _officer(errors, user):
    staff = staff_of(user)
    if staff is None or not staff.sees_all:
        errors.add("user", NOT_OFFICER, "not_officer")


def _chart_years(year):
    """The chart years of each area's report, as the report itself picks them (its plan's years)."""
    as_of = datetime.date(year, 12, 31)

    def years(area):
        plan = plans.active_plan(area, as_of, None)
        return sorted(set(plans.chart_years(plan, as_of))
                      | {y for y, _track in plans.founding_schedule(plan, area) if y <= year})
    return years


def approve_errors(*, user, area, year, today=None):
    errors = Errors()
    today = today or timezone.localdate()
    _officer(errors, user)
    if area.level not in (Area.Level.PROVINCE, Area.Level.DISTRICT):
        errors.add("area", AREA_LEVEL, "area_level")
    if year >= today.year:
        errors.add("year", YEAR_NOT_OVER, "year_not_over", year=year)
    standing = YearApproval.objects.standing().filter(area=area, year=year).first()
    if standing:
        errors.add("year", ALREADY_APPROVED, "already_approved", year=year, area=area.name,
                   date=timezone.localtime(standing.approved_at).strftime("%d/%m/%Y"))
    return errors


@transaction.atomic
def year_approve(*, user, area, year, note=""):
    """Approve `year` for `area` (the province or a former district): freeze its snapshot, after which
    clubs.locks refuses every write dated in the year inside the area."""
    # One approval at a time per area: a concurrent one waits, then finds this one standing.
    Area.objects.select_for_update().get(pk=area.pk)
    approve_errors(user=user, area=area, year=year).raise_if_any()
    approval = YearApproval(area=area, year=year, approved_by=user, approved_at=timezone.now(),
                            note=(note or "").strip(),
                            snapshot=snapshots.take(area, year, years=_chart_years(year)))
    clean_and_save(approval, user=user)
    cache.bump_on_commit()  # pages that show "đã phê duyệt" are cached with the figures
    return approval


@transaction.atomic
def year_reopen(*, user, area, year, reason):
    """Reopen an approved year: writes dated in it are accepted again; the approval and its snapshot stay,
    and the dashboard shows how the live figures differ from it."""
    Area.objects.select_for_update().get(pk=area.pk)
    errors = Errors()
    _officer(errors, user)
    approval = YearApproval.objects.standing().filter(area=area, year=year).first()
    if approval is None:
        errors.add("year", NOT_APPROVED, "not_approved", year=year, area=area.name)
    if not (reason or "").strip():
        errors.add("reason", REOPEN_REASON_REQUIRED, "required")
    errors.raise_if_any()
    approval.reopened_by, approval.reopened_at, approval.reopen_reason = user, timezone.now(), reason.strip()
    clean_and_save(approval, user=user)
    cache.bump_on_commit()
    return approval
