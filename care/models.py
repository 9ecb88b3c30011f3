"""Health sessions of a club and the readings taken there (docs/indicators-care.md §1)."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clubs.models import Club, Member

from .rules import DIASTOLIC_HIGH, SYSTOLIC_HIGH, is_high


class HealthSession(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Đo tại buổi sinh hoạt hằng tháng")
        COMMUNE_STATION = "commune_station", _("Khám định kỳ với trạm y tế")
        SCREENING = "screening", _("Khám sàng lọc")

    club = models.ForeignKey(Club, models.PROTECT, related_name="health_sessions", verbose_name=_("CLB"))
    date = models.DateField(_("ngày khám/đo"))
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices, default=Kind.MONTHLY)
    organiser = models.CharField(_("người/đơn vị thực hiện"), max_length=150, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("buổi khám/đo sức khỏe")
        verbose_name_plural = _("buổi khám/đo sức khỏe")
        ordering = ["club", "-date", "-pk"]
        indexes = [models.Index(fields=["club", "date"])]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"


class HealthCheckQuerySet(models.QuerySet):
    def kept(self):
        """Checks not removed: a check entered by mistake is unticked, kept in the history, counted nowhere."""
        return self.filter(removed=False)

    def high(self):
        """The readings rules.is_high() calls high, in the database."""
        return self.filter(Q(systolic__gte=SYSTOLIC_HIGH) | Q(diastolic__gte=DIASTOLIC_HIGH))


class HealthCheck(models.Model):
    session = models.ForeignKey(HealthSession, models.PROTECT, related_name="checks", verbose_name=_("buổi khám/đo"))
    member = models.ForeignKey(Member, models.PROTECT, related_name="health_checks", verbose_name=_("thành viên"))
    systolic = models.PositiveSmallIntegerField(_("huyết áp tâm thu"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("huyết áp tâm trương"), null=True, blank=True)
    weight = models.DecimalField(_("cân nặng (kg)"), max_digits=5, decimal_places=1, null=True, blank=True)
    removed = models.BooleanField(_("đã bỏ khỏi buổi"), default=False)
    history = HistoricalRecords()

    objects = HealthCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả khám/đo")
        verbose_name_plural = _("kết quả khám/đo")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="health_check_one_per_member")]
        indexes = [models.Index(fields=["member", "session"])]

    def __str__(self):
        return f"{self.member} – {self.session}"

    @property
    def is_high(self):
        return is_high(self.systolic, self.diastolic)

    @property
    def blood_pressure(self):
        return f"{self.systolic}/{self.diastolic}" if self.systolic is not None else ""
