"""Clubs, members, boards, activities and meetings: what district staff enter (areas and staff in
clubs/area_models.py, the reporting cycle in clubs/cycle_models.py)."""
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Concat, ExtractMonth
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .area_models import Area, AreaQuerySet, Staff, staff_of  # noqa: F401  (the frame every register hangs on)
from .search import Fold


# ---------------------------------------------------------------- clubs


class Track(models.TextChoices):
    """Establishment track (nguồn thành lập), indicators.md §2."""

    EXISTING = "existing", _("Duy trì 2017-2020")
    NEW_BUDGET = "new_budget", _("Mới - ngân sách")
    NEW_ROTATION = "new_rotation", _("Mới - luân chuyển vốn")
    OTHER = "other", _("Khác")


class ActivityArea(models.IntegerChoices):
    """The 8 activity areas, indicators.md §4. The value is the area number."""

    INCOME = 1, _("Tăng thu nhập")
    HEALTH = 2, _("Chăm sóc sức khỏe")
    HOMECARE = 3, _("Tình nguyện viên chăm sóc tại nhà")
    SELFHELP = 4, _("Tự giúp nhau, hỗ trợ cộng đồng")
    RIGHTS = 5, _("Bảo vệ quyền, lợi ích hợp pháp của người cao tuổi")
    COMMUNICATION = 6, _("Truyền thông")
    CULTURE = 7, _("Thể thao, văn hoá, văn nghệ")
    RESOURCES = 8, _("Vận động nguồn lực")

    @property
    def code(self):
        return self.name.lower()


class ClubQuerySet(models.QuerySet):
    def active(self, *, on):
        """Founded on or before `on` and not dissolved on or before it (indicators.md §1)."""
        return self.filter(founded_on__lte=on).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))

    def visible_to(self, user):
        staff = staff_of(user)
        if staff is None:
            return self.none()
        if staff.sees_all:
            return self
        return self.filter(commune__parent_id=staff.district_id)

    def in_area(self, area):
        return self.filter(area.club_filter())

    def with_composition(self, *, on):
        """Annotate n, women, older: active members at `on` counted in the database (indicators.md §1, §3).

        Correlated subqueries rather than a join and GROUP BY, so other annotations (areas_done) are not
        evaluated once per member row.
        """
        def count(extra=Q()):
            rows = (
                Member.objects.active(on=on).filter(extra, club=models.OuterRef("pk"))
                .order_by().values("club").annotate(c=models.Count("pk")).values("c")
            )
            return Coalesce(models.Subquery(rows, output_field=models.IntegerField()), 0)

        return self.annotate(
            n=count(), women=count(Q(gender=Member.Gender.FEMALE)), older=count(older_q(on)),
        )

    def listed(self, *, on):
        """The club list's columns (clubs.page_rows.ListedClub), in the order the SQL selects them: the
        club's own columns first, then the annotations in the order they are made."""
        return (
            self.with_composition(on=on).with_areas_done(on=on).order_by("code")
            .values_list("code", "name", "dissolved_on", "commune__name", "commune__parent__name", "track",
                         "founded_on", "n", "women", "older", "areas_done")
        )

    def with_areas_done(self, *, on):
        """Annotate areas_done: how many of the 8 areas have an activity dated 1 January..`on`."""
        done = (
            Activity.objects.counted_at(on).filter(club=models.OuterRef("pk"))
            .order_by()
            .values("club")
            .annotate(c=models.Count("area", distinct=True))
            .values("c")
        )
        return self.annotate(areas_done=Coalesce(models.Subquery(done, output_field=models.IntegerField()), 0))


OLDER_AGE = 60  # Law on the Elderly 2009, art. 2 (indicators.md §1)


def older_cutoff(on, age=OLDER_AGE):
    """Latest birth date of someone aged `age` or more at `on` (29 February falls back to 28)."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February in a year whose twin `age` years earlier is not a leap year
        return on.replace(year=on.year - age, day=28)


def older_q(on, prefix="", age=OLDER_AGE):
    """Members aged `age` (60: older persons) or more at `on`: completed years from the birth date,
    else on.year - birth_year (indicators.md §1). The age bands of the charts use other ages."""
    return Q(**{f"{prefix}birth_date__lte": older_cutoff(on, age)}) | Q(
        **{f"{prefix}birth_date__isnull": True, f"{prefix}birth_year__lte": on.year - age}
    )


class Club(models.Model):
    class MeetingFrequency(models.TextChoices):
        MONTHLY = "monthly", _("Hằng tháng")
        TWICE_QUARTERLY = "twice_quarterly", _("2 lần mỗi quý")

    code = models.CharField(_("mã CLB"), max_length=30, unique=True)
    name = models.CharField(_("tên CLB"), max_length=200)
    commune = models.ForeignKey(
        Area, models.PROTECT, related_name="clubs", verbose_name=_("xã/phường"),
        limit_choices_to={"level": Area.Level.COMMUNE},
    )
    village = models.CharField(_("thôn/bản"), max_length=100, blank=True)
    founded_on = models.DateField(_("ngày thành lập"))
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=50, blank=True)
    track = models.CharField(_("nguồn thành lập"), max_length=20, choices=Track.choices)
    source_club = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="rotated_clubs",
        verbose_name=_("CLB luân chuyển vốn"),
    )
    regulation_on = models.DateField(_("ngày ban hành quy chế"), null=True, blank=True)
    meeting_frequency = models.CharField(
        _("sinh hoạt định kỳ"), max_length=20, choices=MeetingFrequency.choices, default=MeetingFrequency.MONTHLY
    )
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    dissolution_reason = models.CharField(_("lý do giải thể"), max_length=300, blank=True)
    # From the club's regulation (quy chế); empty: the province's default (settings.FUNDS_MAX_LOAN,
    # settings.FUNDS_MAX_RATE_PERCENT_MONTH), applied by funds.rules.
    max_loan = models.PositiveBigIntegerField(
        _("mức vay tối đa mỗi khoản (đồng)"), null=True, blank=True,
        help_text=_("Theo quy chế CLB; để trống để dùng mức chung của tỉnh."),
    )
    max_rate_percent_month = models.DecimalField(
        _("lãi/phí tối đa (%/tháng)"), max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Theo quy chế CLB; để trống để dùng mức chung của tỉnh."),
    )
    # Written by the database itself, whatever path saved the row (see clubs/search.py).
    search_text = models.GeneratedField(
        expression=Fold(Concat("code", Value(" "), "name", Value(" "), "village")),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = ClubQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu lạc bộ")
        verbose_name_plural = _("câu lạc bộ")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=models.F("founded_on")),
                name="club_dissolved_after_founded",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def is_active(self, on):
        return self.founded_on <= on and (self.dissolved_on is None or self.dissolved_on > on)


# ---------------------------------------------------------------- members


class MemberQuerySet(models.QuerySet):
    def active(self, *, on):
        """Joined on or before `on`, not left on or before it, in a club active at `on` (indicators.md §1)."""
        return (
            self.filter(joined_on__lte=on)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
            .filter(club__founded_on__lte=on)
            .filter(Q(club__dissolved_on__isnull=True) | Q(club__dissolved_on__gt=on))
        )

    def visible_to(self, user):
        return self.filter(club__in=Club.objects.visible_to(user))


class Member(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    class Household(models.TextChoices):
        NONE = "", _("Không")
        POOR = "poor", _("Hộ nghèo")
        NEAR_POOR = "near_poor", _("Hộ cận nghèo")

    club = models.ForeignKey(Club, models.PROTECT, related_name="members", verbose_name=_("CLB"))
    code = models.CharField(_("mã thành viên"), max_length=30)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, blank=True)
    household = models.CharField(_("hoàn cảnh"), max_length=20, choices=Household.choices, blank=True, default="")
    village = models.CharField(_("thôn/bản"), max_length=100, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    is_homecare_volunteer = models.BooleanField(_("tình nguyện viên chăm sóc tại nhà"), default=False)
    joined_on = models.DateField(_("ngày tham gia"))
    left_on = models.DateField(_("ngày rời CLB"), null=True, blank=True)
    leave_reason = models.CharField(_("lý do rời CLB"), max_length=300, blank=True)
    search_text = models.GeneratedField(
        expression=Fold(models.F("full_name")),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        ordering = ["club", "code"]
        constraints = [
            models.UniqueConstraint(fields=["club", "code"], name="member_unique_code_in_club"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
            ),
        ]
        indexes = [
            models.Index(fields=["club", "joined_on", "left_on"]),
            # The indicators find the few members not active at a date (joined after it, or left).
            models.Index(fields=["joined_on"], name="member_joined_on"),
            models.Index(fields=["left_on"], condition=Q(left_on__isnull=False), name="member_left_on"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.birth_year})"

    def age_on(self, on: datetime.date) -> int:
        """Completed years at `on`; with only the year of birth known, on.year - birth_year (§1)."""
        if self.birth_date:
            b = self.birth_date
            return on.year - b.year - ((on.month, on.day) < (b.month, b.day))
        return on.year - self.birth_year

    def is_active(self, on):
        return self.joined_on <= on and (self.left_on is None or self.left_on > on)


class BoardMembership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ nhiệm")
        VICE_CHAIR = "vice_chair", _("Phó chủ nhiệm")
        SECRETARY = "secretary", _("Thư ký")
        TREASURER = "treasurer", _("Thủ quỹ")
        ACCOUNTANT = "accountant", _("Kế toán")
        OTHER = "other", _("Ủy viên")

    club = models.ForeignKey(Club, models.PROTECT, related_name="board", verbose_name=_("CLB"))
    member = models.ForeignKey(Member, models.PROTECT, related_name="board_roles", verbose_name=_("thành viên"))
    role = models.CharField(_("chức vụ"), max_length=20, choices=Role.choices)
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ban chủ nhiệm")
        verbose_name_plural = _("ban chủ nhiệm")
        ordering = ["club", "role", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="board_ended_after_started",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.member.full_name}"


# ---------------------------------------------------------------- activities and meetings


class ActivityQuerySet(models.QuerySet):
    def counted_at(self, on):
        """The activities that count towards the 8 areas at `on`: dated 1 January..`on` of its year."""
        return self.filter(date__gte=datetime.date(on.year, 1, 1), date__lte=on)

    def by_month_and_area(self, year):
        """(month, area, how many) of the year's activities, a row per month and area with one."""
        return (self.filter(date__year=year).annotate(month=ExtractMonth("date")).values_list("month", "area")
                .annotate(c=models.Count("id")).order_by())


class Activity(models.Model):
    club = models.ForeignKey(Club, models.PROTECT, related_name="activities", verbose_name=_("CLB"))
    date = models.DateField(_("ngày"))
    area = models.PositiveSmallIntegerField(_("mảng hoạt động"), choices=ActivityArea.choices)
    content = models.CharField(_("nội dung"), max_length=500)
    participants = models.PositiveIntegerField(_("số người tham gia"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["club", "date", "area"]
        constraints = [
            models.UniqueConstraint(fields=["club", "date", "area", "content"], name="activity_natural_key"),
            models.CheckConstraint(condition=Q(area__gte=1, area__lte=8), name="activity_area_1_to_8"),
        ]
        indexes = [
            models.Index(fields=["club", "area", "date"]),
            # The indicators read the areas worked in per club over a period, from the index alone.
            models.Index(fields=["date", "club", "area"], name="activity_date_club_area"),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.get_area_display()}"


class Meeting(models.Model):
    club = models.ForeignKey(Club, models.PROTECT, related_name="meetings", verbose_name=_("CLB"))
    held_on = models.DateField(_("ngày sinh hoạt"))
    attendees = models.ManyToManyField(Member, related_name="meetings_attended", blank=True, verbose_name=_("có mặt"))
    notes = models.TextField(_("nội dung"), blank=True)
    # The workbook's `Sinh hoạt` sheet carries how many came, not who (workbook.md): kept here for a
    # meeting without a list of names. With names, the count is the list's length.
    attendee_count = models.PositiveIntegerField(_("số người dự"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("buổi sinh hoạt")
        verbose_name_plural = _("buổi sinh hoạt")
        ordering = ["club", "held_on"]
        constraints = [models.UniqueConstraint(fields=["club", "held_on"], name="meeting_one_per_day")]

    def __str__(self):
        return f"{self.club.code} {self.held_on:%d/%m/%Y}"


# ---------------------------------------------------------------- cache generation


class DataGeneration(models.Model):
    """One row counting committed writes, read by every worker process (see clubs/cache.py)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("thế hệ dữ liệu")


class ClubStamp(models.Model):
    """A token drawn anew after each committed write to one club: a cached page of that club is keyed on
    it and on the wide generation (clubs/cache.py), so a write to one club leaves the other clubs' pages
    cached. No row: the club has not been written since the stamps began."""

    club = models.OneToOneField(Club, models.CASCADE, primary_key=True, related_name="+")
    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("dấu ghi của CLB")


class MemberDataExport(models.Model):
    """One subject-access export of everything held about a member: who took it and when. Kept for
    good, and listed in the member's and the club's history."""

    member = models.ForeignKey(Member, models.PROTECT, related_name="data_exports", verbose_name=_("thành viên"))
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người xuất"))
    exported_at = models.DateTimeField(_("xuất lúc"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lần xuất dữ liệu cá nhân")
        verbose_name_plural = _("lần xuất dữ liệu cá nhân")
        ordering = ["-exported_at"]

    def __str__(self):
        return f"{self.member} {self.exported_at:%d/%m/%Y %H:%M}"


from .records import DemoRecord, SubmissionToken  # noqa: E402,F401  (registered with the clubs app)


# The reporting cycle's records (a month marked reported, a year approved) live in their own module.
from .cycle_models import MonthReport, YearApproval  # noqa: E402,F401
