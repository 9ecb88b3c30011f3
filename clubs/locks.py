"""Approved years (issue 15): while year Y stands approved for an area, no write dated in Y inside it.

Every app declares its dated rows here once (AppConfig.ready, as clubs.dependents), and every write path
asks the same question through this module: the services (clubs.services.clean_and_save and funds'
save), the workbook import (Approvals.load() once, then in memory for each row it would create or
change). The admin writes none of these rows (clubs/admin.py), so it needs no check of its own.

Which dates a write touches:
- an **event** row (a ledger line, a loan, a repayment, an activity, a meeting, a health check, a visit)
  is a figure of its year as a whole: creating it, or changing anything of it, touches its date(s)
  before and after the change;
- a **span** row (a club, a member, a board seat, a care period) lasts over years: creating it touches its
  dates, changing it touches only the dates that change (a typo in a name is not a change of 2025's
  figures; a joining date moved into or out of 2025 is).
A correction dated in a later year (a reversal, a repayment, a leaving date) is allowed, as always.
"""
import datetime
import operator
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

YEAR_LOCKED = _("Năm %(year)s đã được phê duyệt số liệu (%(area)s); không ghi hoặc sửa số liệu ghi ngày trong năm "
                "đó. Điều chỉnh ghi vào năm sau, hoặc đề nghị cán bộ tỉnh mở lại năm %(year)s.")


@dataclass(frozen=True)
class Dated:
    district: str  # attribute path from the row to its club's former district: "club.commune.parent_id"
    dates: tuple  # attribute paths of the row's dates: ("date",), ("session.date",)
    event: bool = True


_REGISTRY = {}


def register(model, dated):
    _REGISTRY[model] = dated


def _get(obj, path):
    try:
        return operator.attrgetter(path)(obj)
    except AttributeError:
        return None


def touched_dates(obj, stored=None):
    """{date path: [dates]} the write of `obj` touches (see the module's rules); `stored`: the row as saved."""
    spec = _REGISTRY.get(type(obj))
    if spec is None:
        return {}
    touched = {}
    for path in spec.dates:
        new = _get(obj, path)
        old = _get(stored, path) if stored is not None else None
        if stored is None or spec.event:
            found = {d for d in (new, old) if isinstance(d, datetime.date)}
        else:
            found = {d for d in (new, old) if isinstance(d, datetime.date)} if new != old else set()
        if found:
            touched[path] = sorted(found)
    return touched


class Approvals:
    """The approvals standing now, held in memory: one query for them and one for the areas' parents."""

    def __init__(self, standing, parents, names):
        self.standing = standing  # {(area id, year)}
        self.parents = parents  # district id -> province id
        self.names = names  # area id -> name

    @classmethod
    def load(cls):
        from .models import Area, YearApproval

        standing = {}
        for area_id, year, name in YearApproval.objects.standing().values_list("area_id", "year", "area__name"):
            standing[(area_id, year)] = name
        parents = dict(Area.objects.filter(level=Area.Level.DISTRICT).values_list("pk", "parent_id")) if standing else {}
        return cls(standing, parents, {a: n for (a, _y), n in standing.items()})

    def locked(self, district_id, year):
        """The name of the area whose approval of `year` covers a club of that district, or None."""
        for area_id in (district_id, self.parents.get(district_id)):
            if area_id is not None and (area_id, year) in self.standing:
                return self.standing[(area_id, year)]
        return None

    def refusal(self, district_id, dates):
        """The error for the first of `dates` in an approved year, or None."""
        for on in sorted(dates):
            area = self.locked(district_id, on.year)
            if area is not None:
                return ValidationError(YEAR_LOCKED, code="year_locked", params={"year": on.year, "area": area})
        return None


def club_of(obj):
    """The id of the club a declared row belongs to (the club itself for a club), or None: the district
    path of its declaration, read up to the club."""
    spec = _REGISTRY.get(type(obj))
    if spec is None:
        return None
    path = spec.district.removesuffix("commune.parent_id").rstrip(".")
    if not path:
        return obj.pk
    parent, _sep, last = path.rpartition(".")
    holder = _get(obj, parent) if parent else obj
    return getattr(holder, f"{last}_id", None) if holder is not None else None


def check_write(obj):
    """Raise ValidationError when saving `obj` would write into an approved year (no query when no year
    is approved; else two, plus one for the stored row and those reaching the club's district)."""
    spec = _REGISTRY.get(type(obj))
    if spec is None:
        return
    approvals = Approvals.load()
    if not approvals.standing:
        return
    stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    touched = touched_dates(obj, stored)
    if not touched:
        return
    district = _get(obj, spec.district)
    for path, dates in touched.items():
        error = approvals.refusal(district, dates)
        if error is not None:
            field = path if "." not in path else NON_FIELD_ERRORS
            raise ValidationError({field: [error]})


def register_clubs_rows():
    """The clubs app's own dated rows (ClubsConfig.ready)."""
    from .models import Activity, BoardMembership, Club, Meeting, Member

    club = "club.commune.parent_id"
    register(Club, Dated(district="commune.parent_id", dates=("founded_on", "dissolved_on"), event=False))
    register(Member, Dated(district=club, dates=("joined_on", "left_on"), event=False))
    register(BoardMembership, Dated(district=club, dates=("started_on", "ended_on"), event=False))
    register(Activity, Dated(district=club, dates=("date",)))
    register(Meeting, Dated(district=club, dates=("held_on",)))
