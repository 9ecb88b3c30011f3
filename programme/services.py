"""Writes to the plan's activities (docs/programme.md), as clubs.services: keyword-only and atomic, every
error of a submission collected at once (clubs.rules.Errors) keyed by form field, with messages tests
import; nothing deleted (a row entered by mistake is cancelled with a reason). The `*_check` functions
save nothing: the forms run them on whatever they could read, so one submission shows every error.

Who may write where: an officer anywhere, district staff in their former district and its communes
(not the province's own rows, which they do not see). The views reach rows through visible_to(); the
services check the area or club a submission names."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clubs import rules as club_rules
from clubs.fields import amount_error
from clubs.models import Area, Club
from clubs.rules import CLUB_NOT_AVAILABLE, Errors
from clubs.services import clean_and_save, not_future, today

from .models import (
    AREA_LEVELS, PARTICIPANT_KINDS, BudgetLine, Communication, ExchangeVisit, Source, SupervisionVisit, Training,
)

FIRST_YEAR = 2017
MAX_COUNT = 1_000_000  # people or copies in one row: far above any real event, below any typing slip

AREA_REQUIRED = _("Chọn địa bàn.")
AREA_NOT_ALLOWED = _("Chỉ chọn địa bàn thuộc phạm vi anh/chị phụ trách.")
DATE_REQUIRED = _("Ghi ngày.")
COUNT_TOO_BIG = _("%(label)s tối đa là 1.000.000.")
TRAINING_NO_PARTICIPANTS = _("Ghi số người tham gia của ít nhất một nhóm.")
EXCHANGE_NO_CLUBS = _("Chọn ít nhất một CLB tham gia.")
EXCHANGE_CLUB_OUTSIDE_AREA = _("CLB %(code)s không thuộc địa bàn %(area)s.")
EXCHANGE_CLUB_NOT_ACTIVE = _("CLB %(code)s không hoạt động ngày %(date)s.")
EXCHANGE_DESTINATION_REQUIRED = _("Ghi nơi đến của chuyến đi ngoài tỉnh.")
SUPERVISION_BEFORE_FOUNDED = _("CLB thành lập ngày %(date)s, ngày kiểm tra, giám sát không được trước ngày đó.")
SUPERVISION_AFTER_DISSOLVED = _("CLB đã giải thể ngày %(date)s, ngày kiểm tra, giám sát không được sau ngày đó.")
FOLLOW_UP_NOTHING_TO_DO = _("Chưa ghi kiến nghị nên không đánh dấu đã thực hiện.")
FOLLOW_UP_DATE_REQUIRED = _("Ghi ngày thực hiện xong kiến nghị.")
FOLLOW_UP_DATE_BEFORE_VISIT = _("Ngày thực hiện xong không được trước ngày kiểm tra, giám sát (%(date)s).")
FOLLOW_UP_DATE_NOT_DONE = _("Chỉ ghi ngày thực hiện xong khi đã đánh dấu “Đã thực hiện kiến nghị”.")
BUDGET_YEAR_RANGE = _("Năm phải từ %(min)d đến %(max)d.")
BUDGET_SOURCE_UNKNOWN = _("Chọn nguồn kinh phí trong danh sách.")
BUDGET_DUPLICATE = _("Đã có dòng kinh phí “%(source)s” năm %(year)d của %(area)s: sửa dòng đó thay vì thêm dòng mới.")
CANCEL_REASON_REQUIRED = _("Ghi lý do hủy.")
ALREADY_CANCELLED = _("Dòng này đã hủy, không sửa được nữa.")


def allowed_areas(user):
    """The areas a user may file an activity under: an officer's whole province, district staff's own
    former district and its communes."""
    areas = Area.objects.filter(level__in=AREA_LEVELS).visible_to(user)
    return areas


def _area(errors, *, user, area):
    if area is None:
        errors.add("area", AREA_REQUIRED, "required")
    elif not allowed_areas(user).filter(pk=area.pk).exists():
        errors.add("area", AREA_NOT_ALLOWED, "area_not_allowed")


def _date(errors, field, value):
    if not value:
        errors.add(field, DATE_REQUIRED, "required")
    else:
        not_future(errors, field, value)


def _counts(errors, model, values, names):
    for name in names:
        value = values.get(name)
        if value is not None and value > MAX_COUNT:
            label = str(model._meta.get_field(name).verbose_name)
            errors.add(name, COUNT_TOO_BIG, "too_big", label=label[:1].upper() + label[1:])


def _not_cancelled(obj):
    if obj is not None and obj.cancelled:
        errors = Errors()
        errors.add("__all__", ALREADY_CANCELLED, "cancelled")
        errors.raise_if_any()


def _write(obj, *, user, values, m2m=None):
    _not_cancelled(obj if obj.pk else None)
    for name, value in values.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    clean_and_save(obj, user=user)
    if m2m is not None:
        name, wanted = m2m
        related = getattr(obj, name)
        if {o.pk for o in related.all()} != {o.pk for o in wanted}:
            related.set(wanted)
    return obj


# ---------------------------------------------------------------- trainings

TRAINING_FIELDS = ("area", "date", "organiser", "topic", "cadres", "board", "members", "others", "note")


def training_errors(*, user, area=None, date=None, training=None, **values):
    errors = Errors()
    _area(errors, user=user, area=area)
    _date(errors, "date", date)
    _counts(errors, Training, values, PARTICIPANT_KINDS)
    counts = [values.get(name) for name in PARTICIPANT_KINDS]
    if all(c is not None for c in counts) and not any(counts):
        errors.add("cadres", TRAINING_NO_PARTICIPANTS, "no_participants")
    return errors


def training_check(**values):
    training_errors(**values).raise_if_any()


@transaction.atomic
def training_save(*, user, training=None, **values):
    """Record a training (training=None) or correct one."""
    values = {name: values.get(name) for name in TRAINING_FIELDS}
    for name in PARTICIPANT_KINDS:
        values[name] = values[name] or 0
    values["note"] = values["note"] or ""
    training_errors(user=user, training=training, **values).raise_if_any()
    return _write(training or Training(), user=user, values=values)


# ---------------------------------------------------------------- communication

COMMUNICATION_FIELDS = ("area", "kind", "date", "title", "quantity", "audience", "note")


def communication_errors(*, user, area=None, date=None, communication=None, **values):
    errors = Errors()
    _area(errors, user=user, area=area)
    _date(errors, "date", date)
    _counts(errors, Communication, values, ("quantity", "audience"))
    return errors


def communication_check(**values):
    communication_errors(**values).raise_if_any()


@transaction.atomic
def communication_save(*, user, communication=None, **values):
    values = {name: values.get(name) for name in COMMUNICATION_FIELDS}
    values["note"] = values["note"] or ""
    communication_errors(user=user, communication=communication, **values).raise_if_any()
    return _write(communication or Communication(), user=user, values=values)


# ---------------------------------------------------------------- exchange visits

EXCHANGE_FIELDS = ("area", "date", "title", "outside_province", "destination", "participants", "note")


def exchange_errors(*, user, area=None, date=None, clubs=(), outside_province=False, destination="",
                    exchange=None, **values):
    """The clubs of a visit lie in its area (a visit between clubs of two districts is the province's)
    and are active on its date."""
    errors = Errors()
    _area(errors, user=user, area=area)
    _date(errors, "date", date)
    _counts(errors, ExchangeVisit, values, ("participants",))
    clubs = list(clubs or ())
    if not clubs:
        errors.add("clubs", EXCHANGE_NO_CLUBS, "required")
    stored = set(exchange.clubs.values_list("pk", flat=True)) if exchange is not None and exchange.pk else set()
    visible = set(Club.objects.visible_to(user).filter(pk__in=[c.pk for c in clubs]).values_list("pk", flat=True))
    for club in clubs:
        if club.pk not in visible and club.pk not in stored:
            errors.add("clubs", CLUB_NOT_AVAILABLE, "club_not_available", code=club.code)
            continue
        if area is not None and not area.contains(club.commune):
            errors.add("clubs", EXCHANGE_CLUB_OUTSIDE_AREA, "outside_area", code=club.code, area=area.name)
        if date and not club.is_active(date):
            errors.add("clubs", EXCHANGE_CLUB_NOT_ACTIVE, "not_active", code=club.code, date=club_rules.d(date))
    if outside_province and not (destination or "").strip():
        errors.add("destination", EXCHANGE_DESTINATION_REQUIRED, "required")
    return errors


def exchange_check(**values):
    exchange_errors(**values).raise_if_any()


@transaction.atomic
def exchange_save(*, user, exchange=None, clubs=(), **values):
    clubs = list(clubs or ())
    values = {name: values.get(name) for name in EXCHANGE_FIELDS}
    values["participants"] = values["participants"] or 0
    values["outside_province"] = bool(values["outside_province"])
    values["destination"], values["note"] = values["destination"] or "", values["note"] or ""
    exchange_errors(user=user, exchange=exchange, clubs=clubs, **values).raise_if_any()
    return _write(exchange or ExchangeVisit(), user=user, values=values, m2m=("clubs", clubs))


# ---------------------------------------------------------------- supervision visits

SUPERVISION_FIELDS = ("club", "date", "by_whom", "findings", "follow_up", "follow_up_done", "follow_up_done_on")


def supervision_errors(*, user, club=None, date=None, follow_up="", follow_up_done=False, follow_up_done_on=None,
                       visit=None, **values):
    errors = Errors()
    if club is not None and (visit is None or visit.club_id != club.pk) and not Club.objects.visible_to(
            user).filter(pk=club.pk).exists():
        errors.add("club", CLUB_NOT_AVAILABLE, "club_not_available", code=club.code)
        club = None
    _date(errors, "date", date)
    if club is not None and date:
        club_rules.within_club_life(errors, "date", on=date, club=club, before=SUPERVISION_BEFORE_FOUNDED,
                                    after=SUPERVISION_AFTER_DISSOLVED)
    if follow_up_done and not (follow_up or "").strip():
        errors.add("follow_up_done", FOLLOW_UP_NOTHING_TO_DO, "nothing_to_do")
    if follow_up_done and not follow_up_done_on:
        errors.add("follow_up_done_on", FOLLOW_UP_DATE_REQUIRED, "required")
    if follow_up_done_on and not follow_up_done:
        errors.add("follow_up_done_on", FOLLOW_UP_DATE_NOT_DONE, "not_done")
    if follow_up_done_on:
        not_future(errors, "follow_up_done_on", follow_up_done_on)
        if date and follow_up_done_on < date:
            errors.add("follow_up_done_on", FOLLOW_UP_DATE_BEFORE_VISIT, "before_visit", date=club_rules.d(date))
    return errors


def supervision_check(**values):
    supervision_errors(**values).raise_if_any()


@transaction.atomic
def supervision_save(*, user, visit=None, **values):
    """Record a supervision visit to a club (visit=None), correct one, or mark its follow-up done."""
    values = {name: values.get(name) for name in SUPERVISION_FIELDS}
    values["follow_up"] = values["follow_up"] or ""
    values["follow_up_done"] = bool(values["follow_up_done"])
    supervision_errors(user=user, visit=visit, **values).raise_if_any()
    return _write(visit or SupervisionVisit(), user=user, values=values)


# ---------------------------------------------------------------- budget

BUDGET_FIELDS = ("area", "year", "source", "estimate", "actual", "note")


def budget_errors(*, user, area=None, year=None, source=None, estimate=0, actual=0, line=None, **values):
    errors = Errors()
    _area(errors, user=user, area=area)
    last = today().year + 1  # next year's estimate is written before the year begins
    if year is not None and not FIRST_YEAR <= year <= last:
        errors.add("year", BUDGET_YEAR_RANGE, "range", min=FIRST_YEAR, max=last)
    if source is not None and source not in Source.values:
        errors.add("source", BUDGET_SOURCE_UNKNOWN, "unknown")
    for name, value in (("estimate", estimate), ("actual", actual)):
        message = amount_error(value)
        if message:
            errors.add(name, message, "max_value")
    if area is not None and year is not None and source in Source.values:
        twin = BudgetLine.objects.kept().filter(area=area, year=year, source=source)
        if line is not None and line.pk:
            twin = twin.exclude(pk=line.pk)
        if twin.exists():
            errors.add("source", BUDGET_DUPLICATE, "duplicate", source=Source(source).label, year=year, area=area.name)
    return errors


def budget_check(**values):
    budget_errors(**values).raise_if_any()


@transaction.atomic
def budget_save(*, user, line=None, **values):
    """One line of the plan's budget: an area's estimate and actual for a year from one source."""
    values = {name: values.get(name) for name in BUDGET_FIELDS}
    values["estimate"], values["actual"] = values["estimate"] or 0, values["actual"] or 0
    values["note"] = values["note"] or ""
    budget_errors(user=user, line=line, **values).raise_if_any()
    return _write(line or BudgetLine(), user=user, values=values)


# ---------------------------------------------------------------- cancelling


@transaction.atomic
def cancel(*, user, obj, reason):
    """A row entered by mistake: kept with its reason in the history, counted nowhere, never edited again."""
    errors = Errors()
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", CANCEL_REASON_REQUIRED, "required")
    if obj.cancelled:
        errors.add("__all__", ALREADY_CANCELLED, "cancelled")
    errors.raise_if_any()
    obj.cancelled, obj.cancel_reason = True, reason[:300]
    try:
        return clean_and_save(obj, user=user)
    except ValidationError:
        obj.cancelled, obj.cancel_reason = False, ""  # refused (an approved year): the row in hand stays as stored
        raise
