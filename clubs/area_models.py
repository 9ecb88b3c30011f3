"""Where and who: the province's administrative units (current communes, former districts) and the
staff who work on them, with their roles. Models of the clubs app (clubs.models imports them), apart
because they are the frame every register hangs on, not what a club is."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


# ---------------------------------------------------------------- areas

# A code of a commune merged on 1/7/2025, typed where a current commune is asked for (the workbook, the
# `indicators` command, the API): refused, naming the commune that replaced it when it may be shown.
LEGACY_COMMUNE = _("Mã %(code)s là mã xã cũ (trước 1/7/2025); hãy dùng mã xã/phường hiện hành.")
LEGACY_COMMUNE_REPLACED = _(
    "Mã %(code)s là xã cũ %(name)s (trước 1/7/2025); nay thuộc %(successor)s, mã %(successor_code)s. "
    "Dùng mã xã/phường hiện hành."
)


def legacy_commune_refusal(legacy, *, successor_shown=True):
    """(message, params) refusing the code of the legacy commune `legacy`."""
    if legacy.successor is None or not successor_shown:
        return LEGACY_COMMUNE, {"code": legacy.code}
    return LEGACY_COMMUNE_REPLACED, {"code": legacy.code, "name": legacy.name, "successor": legacy.successor.name,
                                     "successor_code": legacy.successor.code}


class AreaQuerySet(models.QuerySet):
    def districts(self):
        return self.filter(level=Area.Level.DISTRICT)

    def communes(self):
        return self.filter(level=Area.Level.COMMUNE)

    def resolve(self, *, district=None, commune=None):
        """The province, a former district or a current commune by code (a 5-digit code needs its level)."""
        if district:
            return self.get(level=Area.Level.DISTRICT, code=district)
        if commune:
            return self.get(level=Area.Level.COMMUNE, code=commune)
        return self.get(level=Area.Level.PROVINCE)

    def legacy_commune_hint(self, code):
        """For the code of a commune merged on 1/7/2025, the text refusing it, naming the commune that
        replaced it when that commune is among these areas; None when no commune of before the merger had
        the code. Callers ask after finding no current commune of that code (a current one may reuse it)."""
        legacy = Area.objects.filter(level=Area.Level.LEGACY_COMMUNE, code=code).select_related("successor").first()
        if legacy is None:
            return None
        message, params = legacy_commune_refusal(legacy, successor_shown=self.filter(pk=legacy.successor_id).exists())
        return str(message % params)

    def visible_to(self, user):
        """Current communes (and their former district) the user may work with."""
        staff = staff_of(user)
        if staff is None:
            return self.none()
        if staff.sees_all:
            return self
        return self.filter(Q(pk=staff.district_id) | Q(parent_id=staff.district_id))


class Area(models.Model):
    """One administrative unit. A 5-digit code means something only together with its level."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        DISTRICT = "district", _("Huyện cũ")
        COMMUNE = "commune", _("Xã/phường")
        LEGACY_COMMUNE = "legacy_commune", _("Xã cũ (trước 1/7/2025)")

    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    code = models.CharField(_("mã"), max_length=5)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=20, blank=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    successor = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="predecessors",
        help_text=_("Xã/phường hiện hành đã thay thế xã cũ này."),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="area_unique_level_code")]

    def __str__(self):
        return self.name

    @property
    def district(self):
        """The former district this unit belongs to (itself for a district)."""
        if self.level == self.Level.DISTRICT:
            return self
        return self.parent if self.parent and self.parent.level == self.Level.DISTRICT else None

    def lineage_ids(self):
        """This unit's key and those of the units it lies in (its district, the province)."""
        ids = [self.pk]
        if self.parent_id:
            ids.append(self.parent_id)
            if self.parent.parent_id:
                ids.append(self.parent.parent_id)
        return ids

    def contains(self, other):
        """Whether `other` is this unit or lies inside it."""
        return other is not None and self.pk in other.lineage_ids()

    def club_filter(self, prefix=""):
        """A Q selecting clubs whose commune lies in this area; prefix reaches the club from another model."""
        if self.level == self.Level.PROVINCE:
            return Q()
        if self.level == self.Level.DISTRICT:
            return Q(**{f"{prefix}commune__parent_id": self.pk})
        return Q(**{f"{prefix}commune_id": self.pk})


# ---------------------------------------------------------------- staff


class Staff(models.Model):
    class Role(models.TextChoices):
        OFFICER = "officer", _("Cán bộ tỉnh")
        DISTRICT = "district", _("Cán bộ huyện")
        ADMIN = "admin", _("Quản trị")

        @property
        def sees_all(self):
            return self in (Staff.Role.OFFICER, Staff.Role.ADMIN)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="staff")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    district = models.ForeignKey(
        Area, models.PROTECT, null=True, blank=True, related_name="staff",
        limit_choices_to={"level": Area.Level.DISTRICT}, verbose_name=_("huyện cũ"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="district") | Q(district__isnull=False),
                name="staff_district_role_has_district",
            )
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"

    @property
    def sees_all(self):
        return self.Role(self.role).sees_all

    @property
    def area(self):
        """The area this person works on: their former district, or the whole province."""
        if self.sees_all:
            return Area.objects.get(level=Area.Level.PROVINCE)
        return self.district


def staff_of(user):
    """The Staff record of a logged-in user, or None (anonymous users and accounts without a role)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None
