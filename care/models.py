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


# ---------------------------------------------------------------- home care (docs/indicators-care.md §2)


def covering_q(on, prefix=""):
    """Care periods covering day `on`: started on or before it, not ended by then (end = first day without);
    `prefix` reaches them from another model ("care_assignments__")."""
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on}))


class CareQuerySet(models.QuerySet):
    def covering(self, on):
        return self.filter(covering_q(on))

    def overlapping(self, start, end):
        """Care periods covering at least one day of [start, end] (both included)."""
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start), started_on__lte=end)

    def of_club(self, club):
        return self.filter(member__club=club)


class Care(models.Model):
    """One period of home care of a member: the member is a care recipient (người được chăm sóc) while a
    period covers the day. A period is ended with an end date, never deleted."""

    class Reason(models.TextChoices):
        LIMITED_MOBILITY = "limited_mobility", _("Hạn chế vận động")
        LIVING_ALONE = "living_alone", _("Sống một mình")
        ILLNESS = "illness", _("Ốm đau, bệnh tật")
        DISABILITY = "disability", _("Khuyết tật")
        OTHER = "other", _("Khác")

    member = models.ForeignKey(Member, models.PROTECT, related_name="care_periods",
                               verbose_name=_("người được chăm sóc"))
    started_on = models.DateField(_("chăm sóc từ ngày"))
    ended_on = models.DateField(_("thôi chăm sóc từ ngày"), null=True, blank=True,
                                help_text=_("Ngày đầu tiên không còn chăm sóc."))
    reason = models.CharField(_("lý do"), max_length=20, choices=Reason.choices, default=Reason.LIMITED_MOBILITY)
    note = models.TextField(_("ghi chú"), blank=True)
    volunteers = models.ManyToManyField(Member, related_name="care_assignments", blank=True,
                                        verbose_name=_("tình nguyện viên phụ trách"))
    history = HistoricalRecords(m2m_fields=[volunteers])

    objects = CareQuerySet.as_manager()

    class Meta:
        verbose_name = _("người được chăm sóc tại nhà")
        verbose_name_plural = _("người được chăm sóc tại nhà")
        ordering = ["member__full_name", "-started_on", "pk"]
        indexes = [models.Index(fields=["member", "started_on"])]
        constraints = [models.CheckConstraint(
            condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
            name="care_ends_after_start")]

    def __str__(self):
        return f"{self.member} – {self.started_on:%d/%m/%Y}"

    def covers(self, on):
        return self.started_on <= on and (self.ended_on is None or self.ended_on > on)

    def overlaps(self, start, end):
        """CareQuerySet.overlapping for one period in hand: it covers at least one day of [start, end]."""
        return self.started_on <= end and (self.ended_on is None or self.ended_on > start)


class Help(models.TextChoices):
    """The kinds of help a visit gives (issue 14's fixed list)."""
    MEALS = "meals", _("Bữa ăn")
    CLEANING = "cleaning", _("Dọn dẹp")
    MEDICINE = "medicine", _("Mua thuốc")
    REMINDERS = "reminders", _("Nhắc uống thuốc")
    PERSONAL = "personal", _("Chăm sóc cá nhân")
    FARM = "farm", _("Giúp sản xuất")
    CHEER = "cheer", _("Thăm hỏi động viên")
    OTHER = "other", _("Khác")

    @classmethod
    def ordered(cls, kinds):
        """The kinds given, once each, in the list's order (how a visit stores them)."""
        given = set(kinds or ())
        return [kind for kind in cls.values if kind in given]


class VisitQuerySet(models.QuerySet):
    def kept(self):
        """Visits not removed: a visit entered by mistake is removed, kept in the history, counted nowhere."""
        return self.filter(removed=False)

    def between(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


class Visit(models.Model):
    """A volunteer's visit to a care recipient, dated within one of the recipient's care periods."""
    care = models.ForeignKey(Care, models.PROTECT, related_name="visits", verbose_name=_("người được chăm sóc"))
    volunteer = models.ForeignKey(Member, models.PROTECT, related_name="care_visits",
                                  verbose_name=_("tình nguyện viên"))
    date = models.DateField(_("ngày thăm"))
    kinds = models.JSONField(_("việc đã giúp"), default=list, blank=True)
    minutes = models.PositiveSmallIntegerField(_("số phút"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    removed = models.BooleanField(_("đã bỏ"), default=False)
    history = HistoricalRecords()

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần thăm chăm sóc")
        verbose_name_plural = _("lần thăm chăm sóc")
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["care", "date"]), models.Index(fields=["volunteer", "date"])]
        constraints = [models.UniqueConstraint(fields=["care", "volunteer", "date"], condition=Q(removed=False),
                                               name="visit_one_per_volunteer_day")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.volunteer} → {self.care.member}"

    @property
    def kinds_display(self):
        labels = dict(Help.choices)
        return ", ".join(str(labels[k]) for k in self.kinds if k in labels)
