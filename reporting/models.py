"""Plans with their targets, and the archive of generated annual reports. Reporting reads clubs and
funds but never writes to them."""
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.utils.deconstruct import deconstructible
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clubs.models import Area, Track, staff_of


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers see every plan; district staff the province's plans and their own district's (the
        plans that can apply to their dashboard), not another district's."""
        staff = staff_of(user)
        if staff is None:
            return self.none()
        if staff.sees_all:
            return self
        return self.filter(Q(area__level=Area.Level.PROVINCE) | Q(area_id=staff.district_id))


class Plan(models.Model):
    name = models.CharField(_("tên kế hoạch"), max_length=300)
    legal_reference = models.CharField(_("căn cứ"), max_length=300, blank=True)
    issued_by = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    area = models.ForeignKey(Area, models.PROTECT, related_name="plans", verbose_name=_("địa bàn"))
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="plan_years_ordered"),
        ]

    def __str__(self):
        return self.name


class Target(models.Model):
    """One target of a plan (indicators.md §9): an indicator key of §5 or §8, optionally a track, for an
    area (the plan's own area, or a former district or commune inside it that the province allocated
    it to), a year or the whole plan period (year empty), annual or cumulative. Percent targets are
    stored as whole percents. An empty value is a row the province has not set yet ("chưa giao"): the
    plan page lists it, the dashboard leaves it out."""

    class Unit(models.TextChoices):
        COUNT = "count", _("số lượng")
        PERCENT = "percent", _("%")

    class Kind(models.TextChoices):
        # Annual: measured at 31/12 of its year (stock figures at that date, period figures over that
        # year). Cumulative: counted from 1 January of the plan's start year to D.
        ANNUAL = "annual", _("hằng năm")
        CUMULATIVE = "cumulative", _("cộng dồn")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="targets")
    area = models.ForeignKey(Area, models.PROTECT, related_name="targets", verbose_name=_("địa bàn"))
    indicator = models.CharField(_("chỉ tiêu"), max_length=50)
    kind = models.CharField(_("cách tính"), max_length=12, choices=Kind.choices, default=Kind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    track = models.CharField(_("nguồn thành lập"), max_length=20, choices=Track.choices, blank=True)
    value = models.PositiveIntegerField(_("giá trị"), null=True, blank=True)
    unit = models.CharField(_("đơn vị"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "indicator", "year", "track"]
        constraints = [
            # Two partial constraints rather than nulls_distinct=False, which SQLite does not support:
            # one row per (indicator, track, area) for a year, and one for the whole period.
            models.UniqueConstraint(
                fields=["plan", "area", "indicator", "year", "track"], condition=Q(year__isnull=False),
                name="target_unique_year",
            ),
            models.UniqueConstraint(
                fields=["plan", "area", "indicator", "track"], condition=Q(year__isnull=True),
                name="target_unique_period",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year or ''} {self.track}: {self.value if self.value is not None else '–'}"


class AnnualReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers see every report; district staff only reports on their own former district."""
        return self.filter(area__in=Area.objects.visible_to(user))


class AnnualReport(models.Model):
    """The officer's draft of a yearly report (or of the six-month review, sơ kết 6 tháng): header
    settings and narrative parts."""

    class Period(models.TextChoices):
        YEAR = "year", _("Cả năm (số liệu đến 31/12)")
        HALF = "half", _("Sơ kết 6 tháng đầu năm (số liệu đến 30/6)")

    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    period = models.CharField(_("kỳ báo cáo"), max_length=4, choices=Period.choices, default=Period.YEAR)
    area = models.ForeignKey(Area, models.PROTECT, related_name="reports", verbose_name=_("địa bàn"))
    plan = models.ForeignKey(Plan, models.PROTECT, null=True, blank=True, related_name="reports")
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=50, blank=True)
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=200, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200, default="HỘI NGƯỜI CAO TUỔI TỈNH LAI CHÂU")
    place = models.CharField(_("địa danh"), max_length=100, default="Lai Châu")
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    addressee = models.CharField(_("kính gửi"), max_length=200, default="Ủy ban nhân dân tỉnh Lai Châu")
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, default="TM. BAN THƯỜNG VỤ")
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, default="CHỦ TỊCH")
    signer_name = models.CharField(_("họ tên người ký"), max_length=100, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    assessment = models.TextField(_("đánh giá chung"), blank=True)
    shortcomings = models.TextField(_("tồn tại, hạn chế và nguyên nhân"), blank=True)
    directions = models.TextField(_("phương hướng, nhiệm vụ năm sau"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo năm")
        verbose_name_plural = _("báo cáo năm")
        ordering = ["-year", "-created_at"]

    def __str__(self):
        return f"{self.number_symbol or _('Báo cáo')} ({self.year})"


@deconstructible(path="reporting.models.PrivateReportStorage")
class PrivateReportStorage(FileSystemStorage):
    """Generated reports live outside MEDIA_ROOT: they are never served as public media, only
    through the download view that checks who is asking. REPORTS_ROOT overrides the place."""

    # Read the settings on every use (not cached) so a changed REPORTS_ROOT takes effect at once.
    @property
    def base_location(self):
        root = getattr(settings, "REPORTS_ROOT", None)
        return str(root) if root else os.path.join(os.path.dirname(os.path.abspath(settings.MEDIA_ROOT)), "private_reports")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def report_storage():
    """The storage of generated reports, STORAGES["reports"]: PrivateReportStorage on one server,
    a private prefix of the shared bucket with several (settings/base.py)."""
    return storages["reports"]


def _report_file_name(version, ext):
    return f"{version.report.year}/{version.report.area.code}/bao-cao-{version.report_id}-v{version.number}.{ext}"


def upload_pdf(version, filename):
    return _report_file_name(version, "pdf")


def upload_xlsx(version, filename):
    return _report_file_name(version, "xlsx")


class ReportVersion(models.Model):
    """One generated rendering of a report; generating again adds a version, never overwrites."""

    report = models.ForeignKey(AnnualReport, models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    data_date = models.DateField(_("ngày chốt số liệu"))
    pdf = models.FileField(_("PDF"), upload_to=upload_pdf, storage=report_storage, max_length=200)
    xlsx = models.FileField(_("Excel"), upload_to=upload_xlsx, storage=report_storage, blank=True, max_length=200)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique_number")]


class FigureDate(models.Model):
    """A date whose per-club figure rows are complete (reporting/figure_rows.py): today's date or a
    31 December, marked once every club's row of that date was built."""

    as_of = models.DateField(_("ngày số liệu"), unique=True)
    built_at = models.DateTimeField(_("lập lúc"))

    class Meta:
        verbose_name = _("ngày có số liệu lập sẵn")
        verbose_name_plural = _("ngày có số liệu lập sẵn")
        ordering = ["as_of"]


class ClubFigureRow(models.Model):
    """One club's figures (reporting.figures.ClubFigures) at one date, kept up to date after every
    committed write (reporting/figure_rows.py). Derived data, the one table reporting maintains besides
    its plans and reports: a row is rewritten or removed whenever its club is recomputed, never edited.
    A row exists for each club active at `as_of`; `stale` marks a club written since its row was built
    (a pending recomputation), whose figures the pages compute live meanwhile."""

    club = models.ForeignKey("clubs.Club", models.CASCADE, related_name="+")
    # The club's code when the row was written (a corrected code rewrites the row): the pages read the
    # rows in the order of the codes, as the live figures list the clubs, without joining the clubs.
    code = models.CharField(max_length=30, default="")
    as_of = models.DateField()
    # The columns the pages filter and add up in the database; every figure is in `data`.
    commune = models.ForeignKey(Area, models.CASCADE, related_name="+")
    district = models.ForeignKey(Area, models.CASCADE, related_name="+", null=True)
    track = models.CharField(max_length=20)
    founded_on = models.DateField()
    loans_disbursed_amount = models.BigIntegerField(default=0)
    outstanding_principal = models.BigIntegerField(default=0)
    data = models.JSONField(null=True)
    stale = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["as_of", "club"], name="clubfigurerow_unique_date_club")]
        # The two reads of every page (figure_rows.read), from the index alone on PostgreSQL: the rows of a
        # date in code order with their times, and the year-end sums of the charts. (SQLite builds
        # them without INCLUDE.)
        indexes = [
            models.Index(fields=["as_of", "district"]), models.Index(fields=["as_of", "commune"]),
            models.Index(fields=["as_of", "code"], include=["club", "computed_at", "stale", "district", "commune"],
                         name="clubfigurerow_date_code"),
            models.Index(fields=["as_of", "track"],
                         include=["stale", "founded_on", "loans_disbursed_amount", "outstanding_principal",
                                  "district", "commune", "id"], name="clubfigurerow_date_sums"),
        ]


from .scorecard_models import Criterion, Scorecard  # noqa: E402,F401
