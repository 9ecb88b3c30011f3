"""Marking a club's month "đã báo cáo" and taking the mark back (issue 15, monthly completeness).

As clubs.services: keyword-only, atomic, every error at once, nothing deleted; the history of
MonthReport keeps each mark and un-mark with who and when."""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import checks, rules
from .models import Club, MonthReport
from .rules import Errors
from .services import clean_and_save, today

MONTH_NOT_BEGUN = _("Tháng %(month)02d/%(year)s chưa đến, chưa thể đánh dấu đã báo cáo.")
MONTH_NOT_DUE = _("CLB không hoạt động trong tháng %(month)02d/%(year)s (thành lập %(founded)s%(dissolved)s), "
                  "không phải báo cáo tháng này.")
MONTH_ALREADY_REPORTED = _("Tháng %(month)02d/%(year)s đã được đánh dấu đã báo cáo.")
MONTH_NOT_REPORTED = _("Tháng %(month)02d/%(year)s chưa được đánh dấu đã báo cáo.")
UNMARK_REASON_REQUIRED = _("Ghi lý do bỏ đánh dấu đã báo cáo.")


def _month_errors(club, year, month):
    errors = Errors()
    params = {"month": month, "year": year}
    if not 1 <= month <= 12 or datetime.date(year, month, 1) > today():
        errors.add("month", MONTH_NOT_BEGUN, "not_begun", **params)
    elif not checks.month_due(founded_on=club.founded_on, dissolved_on=club.dissolved_on, year=year, month=month):
        dissolved = _(", giải thể %(date)s") % {"date": rules.d(club.dissolved_on)} if club.dissolved_on else ""
        errors.add("month", MONTH_NOT_DUE, "not_due", founded=rules.d(club.founded_on), dissolved=dissolved,
                   **params)
    return errors


@transaction.atomic
def month_report_mark(*, user, club, year, month):
    """Mark the club's month reported: who and when are recorded on the row and in its history."""
    club = Club.objects.select_for_update().get(pk=club.pk)
    errors = _month_errors(club, year, month)
    found = MonthReport.objects.filter(club=club, year=year, month=month).first()
    if found and found.reported:
        errors.add("month", MONTH_ALREADY_REPORTED, "already_reported", month=month, year=year)
    errors.raise_if_any()
    found = found or MonthReport(club=club, year=year, month=month)
    found.reported, found.marked_by, found.marked_at, found.unmark_reason = True, user, timezone.now(), ""
    return clean_and_save(found, user=user)


@transaction.atomic
def month_report_unmark(*, user, club, year, month, reason):
    """Take a mark back, with a reason; the row stays, un-marked, and the history keeps both."""
    Club.objects.select_for_update().get(pk=club.pk)
    errors = Errors()
    found = MonthReport.objects.filter(club=club, year=year, month=month, reported=True).first()
    if found is None:
        errors.add("month", MONTH_NOT_REPORTED, "not_reported", month=month, year=year)
    if not (reason or "").strip():
        errors.add("reason", UNMARK_REASON_REQUIRED, "required")
    errors.raise_if_any()
    found.reported, found.unmark_reason = False, reason.strip()
    return clean_and_save(found, user=user)
