"""The reporting cycle's records (issue 15): a club's month marked reported, a year approved with its
snapshot. Models of the clubs app (clubs.models imports them), apart because they record the
province's reporting, not what a club is."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .models import Area, Club

class MonthReport(models.Model):
    """A club's month marked "đã báo cáo" by district staff once its books are entered. Un-marking keeps
    the row (reported=False) with its reason; the history holds every mark and un-mark with who and when."""

    club = models.ForeignKey(Club, models.PROTECT, related_name="month_reports", verbose_name=_("CLB"))
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    reported = models.BooleanField(_("đã báo cáo"), default=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+",
                                  verbose_name=_("người đánh dấu"))
    marked_at = models.DateTimeField(_("đánh dấu lúc"), null=True)
    unmark_reason = models.CharField(_("lý do bỏ đánh dấu"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo tháng")
        verbose_name_plural = _("báo cáo tháng")
        ordering = ["club", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["club", "year", "month"], name="month_report_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="month_report_month_1_to_12"),
        ]
        indexes = [models.Index(fields=["year", "month", "club"])]

    def __str__(self):
        return f"{self.club.code} {self.month:02d}/{self.year}"


# ---------------------------------------------------------------- approved years (issue 15)


class YearApprovalQuerySet(models.QuerySet):
    def standing(self):
        """Approvals not reopened: while one stands, writes dated in its year inside its area are refused."""
        return self.filter(reopened_at__isnull=True)


class YearApproval(models.Model):
    """Year Y's figures approved for an area (the province or a former district), with the snapshot the
    annual report of Y is then printed from: `indicators --json` at 31/12/Y for the area and each area
    below it, keyed "level:code". Reopening keeps the row, with who, when and why; a later approval is a
    new row, so every approval and its snapshot stays on record."""

    area = models.ForeignKey(Area, models.PROTECT, related_name="approvals", verbose_name=_("địa bàn"))
    year = models.PositiveSmallIntegerField(_("năm"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("người phê duyệt"))
    approved_at = models.DateTimeField(_("phê duyệt lúc"))
    note = models.TextField(_("ghi chú"), blank=True)
    snapshot = models.JSONField(_("số liệu đã phê duyệt"), default=dict, editable=False)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người mở lại"))
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True)
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    objects = YearApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("phê duyệt số liệu năm")
        verbose_name_plural = _("phê duyệt số liệu năm")
        ordering = ["-year", "area__code", "-approved_at"]
        constraints = [models.UniqueConstraint(fields=["area", "year"], condition=Q(reopened_at__isnull=True),
                                               name="year_approval_one_standing")]

    def __str__(self):
        return f"{self.area} {self.year}"
