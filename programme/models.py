"""The plan's own activities (issue 14 point 4; docs/programme.md): trainings, communication, exchange
visits between clubs, supervision visits to a club and the plan's budget by year and source.

Every row but a supervision visit belongs to an area (the province, a former district or a commune): the
level it was organised at and the area whose figures count it. A supervision visit belongs to its club.
Nothing is deleted: a row entered by mistake is cancelled with a reason, kept in the history, counted
nowhere."""
import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clubs.models import Area, Club, staff_of

AREA_LEVELS = (Area.Level.PROVINCE, Area.Level.DISTRICT, Area.Level.COMMUNE)
# The level of an activity is the level of its area (tập huấn cấp tỉnh, huyện, xã).
LEVEL_LABELS = {Area.Level.PROVINCE: _("Tỉnh"), Area.Level.DISTRICT: _("Huyện"), Area.Level.COMMUNE: _("Xã")}


def area_q(area, prefix="area__"):
    """Rows of an area and of everything inside it: the province holds all, a district itself and its
    communes, a commune itself. `prefix` reaches the row's area ("area__", "club__commune__")."""
    if area.level == Area.Level.PROVINCE:
        return Q()
    if area.level == Area.Level.DISTRICT:
        return Q(**{f"{prefix}pk": area.pk}) | Q(**{f"{prefix}parent_id": area.pk})
    return Q(**{f"{prefix}pk": area.pk})


class EntryQuerySet(models.QuerySet):
    """Reads shared by every kind of row; `area_prefix` is how a row reaches the area it counts in."""

    area_prefix = "area__"

    def kept(self):
        return self.filter(cancelled=False)

    def in_area(self, area):
        return self.filter(area_q(area, self.area_prefix))

    def visible_to(self, user):
        """Officers see every row; district staff the rows of their former district and of its communes
        (province-level rows are not theirs: they count only in the province's figures); anyone else none."""
        staff = staff_of(user)
        if staff is None:
            return self.none()
        if staff.sees_all:
            return self
        return self.filter(area_q(Area(pk=staff.district_id, level=Area.Level.DISTRICT), self.area_prefix))

    def between(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


class Cancellable(models.Model):
    """Nothing is deleted: a row entered by mistake is cancelled with a reason (services.cancel)."""
    cancelled = models.BooleanField(_("đã hủy"), default=False)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)

    class Meta:
        abstract = True


class AreaEntry(Cancellable):
    area = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("địa bàn"),
                             limit_choices_to={"level__in": AREA_LEVELS})
    note = models.TextField(_("ghi chú"), blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def level_label(self):
        return LEVEL_LABELS.get(self.area.level, "")

    @property
    def lock_district_id(self):
        """The area clubs.locks asks about: a commune's former district, else the area itself (an approval
        of the province covers its own rows, one of a district its own and its communes')."""
        area = self.area
        return area.parent_id if area.level == Area.Level.COMMUNE else area.pk


class DatedAreaEntry(AreaEntry):
    """A row of one day (training, communication, exchange visit): newest first, read by date ranges."""
    date = models.DateField(_("ngày"))

    title_field = "title"  # what names the row after its date

    class Meta(AreaEntry.Meta):
        abstract = True
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {getattr(self, self.title_field)}"


# The groups a training counts its people in (the form's columns, the report's rows).
PARTICIPANT_KINDS = ("cadres", "board", "members", "others")


class Training(DatedAreaEntry):
    date = models.DateField(_("ngày tập huấn"))
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=200)
    topic = models.CharField(_("nội dung"), max_length=300)
    cadres = models.PositiveIntegerField(_("cán bộ Hội"), default=0)
    board = models.PositiveIntegerField(_("thành viên Ban chủ nhiệm CLB"), default=0)
    members = models.PositiveIntegerField(_("thành viên CLB"), default=0)
    others = models.PositiveIntegerField(_("đối tượng khác"), default=0)
    history = HistoricalRecords()

    title_field = "topic"

    class Meta(DatedAreaEntry.Meta):
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")

    @property
    def participants(self):
        return sum(getattr(self, kind) for kind in PARTICIPANT_KINDS)


class Communication(DatedAreaEntry):
    class Kind(models.TextChoices):
        EVENT = "event", _("Sự kiện, hội nghị, buổi nói chuyện")
        PRESS = "press", _("Tin, bài, phóng sự trên báo, đài, mạng")
        PRINTED = "printed", _("Tài liệu, tờ rơi, sổ tay, áp phích")
        BANNER = "banner", _("Pa nô, băng rôn, khẩu hiệu")
        OTHER = "other", _("Khác")

    EVENTS = frozenset({Kind.EVENT})  # the rest are materials (sản phẩm truyền thông)

    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices, default=Kind.EVENT)
    title = models.CharField(_("tên, nội dung"), max_length=300)
    quantity = models.PositiveIntegerField(_("số lượng (bản, tin bài, sản phẩm)"), null=True, blank=True)
    audience = models.PositiveIntegerField(_("số người tham dự, tiếp cận"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta(DatedAreaEntry.Meta):
        verbose_name = _("hoạt động truyền thông")
        verbose_name_plural = _("hoạt động truyền thông")

    @property
    def is_event(self):
        return self.kind in self.EVENTS


class ExchangeVisit(DatedAreaEntry):
    """Giao lưu, học tập kinh nghiệm: clubs of the area visit each other, or go outside the province."""
    title = models.CharField(_("nội dung"), max_length=300)
    clubs = models.ManyToManyField(Club, related_name="exchange_visits", verbose_name=_("các CLB tham gia"))
    outside_province = models.BooleanField(_("ngoài tỉnh"), default=False)
    destination = models.CharField(_("nơi đến"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("số người tham gia"), default=0)
    history = HistoricalRecords(m2m_fields=[clubs])

    class Meta(DatedAreaEntry.Meta):
        verbose_name = _("chuyến giao lưu, học tập kinh nghiệm")
        verbose_name_plural = _("chuyến giao lưu, học tập kinh nghiệm")


class SupervisionQuerySet(EntryQuerySet):
    area_prefix = "club__commune__"

    def open_follow_up(self, on=None):
        """Visits that asked for a follow-up not yet done; with `on`, as they stood that day (visited by
        then, not done by then)."""
        asked = self.exclude(follow_up="")
        if on is None:
            return asked.filter(follow_up_done=False)
        return asked.filter(Q(follow_up_done=False) | Q(follow_up_done_on__gt=on), date__lte=on)


class SupervisionVisit(Cancellable):
    """Kiểm tra, giám sát, hỗ trợ: a visit to one club, what was found and what it asked for."""
    club = models.ForeignKey(Club, models.PROTECT, related_name="supervision_visits", verbose_name=_("CLB"))
    date = models.DateField(_("ngày kiểm tra, giám sát"))
    by_whom = models.CharField(_("đơn vị, người thực hiện"), max_length=200)
    findings = models.TextField(_("kết quả, nhận xét"))
    follow_up = models.TextField(_("kiến nghị, việc cần làm tiếp"), blank=True)
    follow_up_done = models.BooleanField(_("đã thực hiện kiến nghị"), default=False)
    follow_up_done_on = models.DateField(_("ngày thực hiện xong"), null=True, blank=True)
    history = HistoricalRecords()

    objects = SupervisionQuerySet.as_manager()

    class Meta(Cancellable.Meta):
        verbose_name = _("lần kiểm tra, giám sát")
        verbose_name_plural = _("lần kiểm tra, giám sát")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["club", "date"]), models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.club}"

    @property
    def follow_up_open(self):
        return bool(self.follow_up) and not self.follow_up_done

    @property
    def counted_on(self):
        """The day the visit counts on, none once cancelled: clubs.locks sees a cancellation as a change
        of that day's figures, and a follow-up done later as a change of the later day only."""
        return None if self.cancelled else self.date

    @property
    def lock_district_id(self):
        return self.club.commune.parent_id


class Source(models.TextChoices):
    """Where the plan's money comes from (Đề án: ngân sách nhà nước các cấp, xã hội hóa, …)."""
    CENTRAL = "central", _("Ngân sách trung ương")
    PROVINCE = "province", _("Ngân sách tỉnh")
    DISTRICT = "district", _("Ngân sách huyện")
    COMMUNE = "commune", _("Ngân sách xã")
    SOCIAL = "social", _("Xã hội hóa")
    LOCAL = "local", _("Địa phương, quỹ Hội")
    INTERNATIONAL = "international", _("Viện trợ quốc tế")
    OTHER = "other", _("Khác")


class BudgetLine(AreaEntry):
    """The plan's budget of one area for one year from one source: estimate (dự toán) and actual (thực hiện)."""
    year = models.PositiveSmallIntegerField(_("năm"))
    source = models.CharField(_("nguồn kinh phí"), max_length=20, choices=Source.choices)
    estimate = models.PositiveBigIntegerField(_("dự toán (đồng)"), default=0)
    actual = models.PositiveBigIntegerField(_("thực hiện (đồng)"), default=0)
    history = HistoricalRecords()

    class Meta(AreaEntry.Meta):
        verbose_name = _("kinh phí Đề án")
        verbose_name_plural = _("kinh phí Đề án")
        ordering = ["-year", "area__code", "source"]
        constraints = [models.UniqueConstraint(fields=["year", "area", "source"], condition=Q(cancelled=False),
                                               name="budget_one_per_year_area_source")]

    def __str__(self):
        return f"{self.year} – {self.area} – {self.get_source_display()}"

    @property
    def year_start(self):
        """A budget line is a figure of its year (clubs.locks reads dates)."""
        return datetime.date(self.year, 1, 1) if self.year else None
