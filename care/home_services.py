"""Writes to a club's home care (docs/indicators-care.md §2), as care.services: keyword-only and atomic,
every error of a submission collected at once (clubs.rules.Errors) with messages tests import, nothing
deleted (a care period is ended with a date, a visit entered by mistake is marked removed).

The `*_errors` functions save nothing: the forms, the month sheet and the workbook import call them."""
import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clubs import rules as club_rules
from clubs.activity_services import month_bounds
from clubs.models import Club
from clubs.rules import Errors
from clubs.services import clean_and_save, club_takes_new_rows, not_future

from .models import Care, Help, Visit

CARE_START_REQUIRED = _("Ghi ngày bắt đầu chăm sóc.")
CARE_BEFORE_FOUNDED = _("CLB thành lập ngày %(date)s, ngày bắt đầu chăm sóc không được trước ngày đó.")
CARE_AFTER_DISSOLVED = _("CLB đã giải thể ngày %(date)s, ngày bắt đầu chăm sóc không được sau ngày đó.")
CLUB_DISSOLVED_NO_CARE = _("CLB đã giải thể, không ghi thêm người được chăm sóc.")
# One wording for a recipient and a volunteer who is not a member that day.
NOT_ACTIVE_ON = _("%(name)s không phải thành viên đang sinh hoạt của CLB ngày %(date)s.")
CARE_RECIPIENT_NOT_ACTIVE = VOLUNTEER_NOT_ACTIVE = NOT_ACTIVE_ON
CARE_END_NOT_AFTER_START = _("Ngày thôi chăm sóc phải sau ngày bắt đầu (%(date)s).")
CARE_OVERLAP = _("%(name)s đã được chăm sóc từ ngày %(start)s%(end)s; hai thời gian chăm sóc không được trùng nhau.")
CARE_VISIT_OUTSIDE = _("Đã có lần thăm ngày %(date)s: thời gian chăm sóc phải bao gồm ngày đó.")
VOLUNTEER_NOT_FLAGGED = _("%(name)s chưa được đánh dấu là tình nguyện viên chăm sóc tại nhà.")
VOLUNTEER_OTHER_CLUB = _("%(name)s không thuộc CLB của người được chăm sóc.")
VOLUNTEER_IS_RECIPIENT = _("%(name)s không thể tự chăm sóc chính mình.")
VOLUNTEER_NOT_IN_PERIOD = _("%(name)s không sinh hoạt ở CLB trong thời gian chăm sóc này.")
VISIT_DATE_REQUIRED = _("Ghi ngày thăm.")
VISIT_OUTSIDE_CARE = _("Ngày thăm %(date)s nằm ngoài thời gian chăm sóc %(name)s (%(period)s).")
VISIT_BEFORE_FOUNDED = _("CLB thành lập ngày %(date)s, ngày thăm không được trước ngày đó.")
VISIT_AFTER_DISSOLVED = _("CLB đã giải thể ngày %(date)s, ngày thăm không được sau ngày đó.")
VISIT_KINDS_REQUIRED = _("Chọn ít nhất một việc đã giúp.")
VISIT_KIND_UNKNOWN = _("Việc “%(value)s” không có trong danh sách.")
VISIT_MINUTES_RANGE = _("Số phút phải từ 1 đến 1440.")
VISIT_TWICE = _("%(volunteer)s đã thăm %(name)s ngày %(date)s; mỗi ngày chỉ ghi một lần.")
MONTH_DAY_UNKNOWN = _("Ngày “%(value)s” không có trong tháng %(month)s/%(year)s.")

MINUTES_MAX = 24 * 60


def _until(care):
    """" đến trước 01/07/2025", or nothing while the care goes on: the end as the messages show it."""
    return _(" đến trước %(date)s") % {"date": club_rules.d(care.ended_on)} if care.ended_on else ""


def period_text(care):
    """"từ 05/03/2025" or "từ 05/03/2025 đến trước 01/07/2025": the period as the messages show it."""
    return (_("từ %(date)s") % {"date": club_rules.d(care.started_on)}) + _until(care)


def _volunteer_errors(errors, field, *, volunteer, recipient, club_id):
    name = volunteer.full_name
    if volunteer.pk == recipient.pk:
        errors.add(field, VOLUNTEER_IS_RECIPIENT, "is_recipient", name=name)
        return False
    if volunteer.club_id != club_id:
        errors.add(field, VOLUNTEER_OTHER_CLUB, "other_club", name=name)
        return False
    if not volunteer.is_homecare_volunteer:
        errors.add(field, VOLUNTEER_NOT_FLAGGED, "not_volunteer", name=name)
        return False
    return True


def care_errors(*, member, started_on, ended_on=None, volunteers=(), care=None, others=None, visit_dates=None):
    """The rules of one care period, saving nothing: {field: [ValidationError]} on the fields started_on,
    ended_on, volunteers.

    `others` (the member's other care periods) and `visit_dates` (the days of `care`'s kept visits) are
    read from the database unless given: the workbook import holds them for a whole file at once."""
    errors = Errors()
    club = member.club
    if not started_on:
        errors.add("started_on", CARE_START_REQUIRED, "required")
        return errors
    not_future(errors, "started_on", started_on)
    club_rules.within_club_life(errors, "started_on", on=started_on, club=club, before=CARE_BEFORE_FOUNDED,
                                after=CARE_AFTER_DISSOLVED)
    if not club_rules.member_on(joined_on=member.joined_on, left_on=member.left_on, on=started_on):
        errors.add("started_on", CARE_RECIPIENT_NOT_ACTIVE, "not_member", name=member.full_name,
                   date=club_rules.d(started_on))
    if ended_on and ended_on <= started_on:
        errors.add("ended_on", CARE_END_NOT_AFTER_START, "end_not_after_start", date=club_rules.d(started_on))
        return errors
    if others is None:
        others = Care.objects.filter(member=member)
        if care is not None and care.pk:
            others = others.exclude(pk=care.pk)
    last = ended_on - datetime.timedelta(days=1) if ended_on else datetime.date.max
    if care is not None and care.pk:
        if visit_dates is None:
            visit_dates = care.visits.kept().values_list("date", flat=True)
        outside = min((t for t in visit_dates if t < started_on or (ended_on and t >= ended_on)), default=None)
        if outside:
            errors.add("ended_on" if outside >= started_on else "started_on", CARE_VISIT_OUTSIDE,
                       "visit_outside", date=club_rules.d(outside))
    other = min((o for o in others if o.overlaps(started_on, last)), key=lambda o: o.started_on, default=None)
    if other is not None:
        errors.add("started_on", CARE_OVERLAP, "overlap", name=member.full_name,
                   start=club_rules.d(other.started_on), end=_until(other))
    for volunteer in volunteers:
        if _volunteer_errors(errors, "volunteers", volunteer=volunteer, recipient=member, club_id=member.club_id):
            # Active on some day of the period: joined before it ends, not left before it starts.
            if not (volunteer.joined_on < (ended_on or datetime.date.max)
                    and (volunteer.left_on is None or volunteer.left_on > started_on)):
                errors.add("volunteers", VOLUNTEER_NOT_IN_PERIOD, "not_in_period", name=volunteer.full_name)
    return errors


@transaction.atomic
def care_save(*, user, member, started_on, ended_on=None, reason=Care.Reason.LIMITED_MOBILITY, note="",
              volunteers=(), care=None):
    """Start a care period of a member (care=None), correct one, or end it (give its ended_on)."""
    club = Club.objects.select_for_update().get(pk=member.club_id)
    volunteers = list(volunteers)
    if care is None:
        club_takes_new_rows(club, CLUB_DISSOLVED_NO_CARE)
    elif care.member_id != member.pk:
        raise Care.DoesNotExist
    care_errors(member=member, started_on=started_on, ended_on=ended_on, volunteers=volunteers,
                care=care).raise_if_any()
    care = care or Care(member=member)
    care.started_on, care.ended_on, care.reason, care.note = started_on, ended_on, reason, (note or "").strip()
    clean_and_save(care, user=user)
    if {v.pk for v in care.volunteers.all()} != {v.pk for v in volunteers}:
        care.volunteers.set(volunteers)  # the history row names clean_and_save's author
    return care


def visit_errors(*, care, volunteer, on, kinds=(Help.CHEER,), minutes=None, visit=None, check_twin=True):
    """The rules of one visit, saving nothing: errors on the fields date, volunteer, kinds, minutes.
    `check_twin=False` for callers that hold every visit of the day already (the month sheet);
    `volunteer=None` (a form where none was chosen) checks the rest, so the page shows every error."""
    errors = Errors()
    recipient = care.member
    if not on:
        errors.add("date", VISIT_DATE_REQUIRED, "required")
    else:
        not_future(errors, "date", on)
        club_rules.within_club_life(errors, "date", on=on, club=recipient.club, before=VISIT_BEFORE_FOUNDED,
                                    after=VISIT_AFTER_DISSOLVED)
        if not care.covers(on):
            errors.add("date", VISIT_OUTSIDE_CARE, "outside_care", date=club_rules.d(on),
                       name=recipient.full_name, period=period_text(care))
    if volunteer is not None and _volunteer_errors(errors, "volunteer", volunteer=volunteer, recipient=recipient,
                                                   club_id=recipient.club_id) and on:
        if not club_rules.member_on(joined_on=volunteer.joined_on, left_on=volunteer.left_on, on=on):
            errors.add("volunteer", VOLUNTEER_NOT_ACTIVE, "not_member", name=volunteer.full_name,
                       date=club_rules.d(on))
    kinds = list(kinds or ())
    if not kinds:
        errors.add("kinds", VISIT_KINDS_REQUIRED, "required")
    for kind in kinds:
        if kind not in Help.values:
            errors.add("kinds", VISIT_KIND_UNKNOWN, "unknown", value=kind)
    if minutes is not None and not 1 <= minutes <= MINUTES_MAX:
        errors.add("minutes", VISIT_MINUTES_RANGE, "range")
    if on and check_twin and volunteer is not None:
        twin = Visit.objects.kept().filter(care__member=recipient, volunteer=volunteer, date=on)
        if visit is not None and visit.pk:
            twin = twin.exclude(pk=visit.pk)
        if twin.exists():
            errors.add("date", VISIT_TWICE, "twice",
                       volunteer=volunteer.full_name, name=recipient.full_name, date=club_rules.d(on))
    return errors


@transaction.atomic
def visit_save(*, user, care, volunteer, on, kinds=(Help.CHEER,), minutes=None, note="", visit=None):
    """Record a visit (visit=None) or correct one."""
    Club.objects.select_for_update().get(pk=care.member.club_id)
    if visit is not None and visit.care.member_id != care.member_id:
        raise Visit.DoesNotExist
    visit_errors(care=care, volunteer=volunteer, on=on, kinds=kinds, minutes=minutes, visit=visit).raise_if_any()
    kinds = Help.ordered(kinds)
    visit = visit or Visit()
    visit.care, visit.volunteer, visit.date = care, volunteer, on
    visit.kinds, visit.minutes, visit.note = kinds, minutes, (note or "").strip()
    return clean_and_save(visit, user=user)


@transaction.atomic
def visit_remove(*, user, visit):
    """A visit entered by mistake: kept in the history, counted nowhere."""
    if not visit.removed:
        visit.removed = True
        clean_and_save(visit, user=user)
    return visit


def parse_days(text, *, year, month):
    """"3, 17 24" -> [3, 17, 24] (the days of the month of the month sheet's cells); an unknown day raises
    ValueError with the text."""
    last = month_bounds(year, month)[1].day
    days = []
    for part in (text or "").replace(";", ",").replace(",", " ").split():
        if not part.isdigit() or not 1 <= int(part) <= last:
            raise ValueError(part)
        days.append(int(part))
    return sorted(set(days))


def _kept_in_month(year, month, cares):
    """{(volunteer id, care id): {date: visit}} the kept visits of the month to these care periods."""
    first, last = month_bounds(year, month)
    found = {}
    for visit in Visit.objects.kept().between(first, last).filter(care__in=cares):
        found.setdefault((visit.volunteer_id, visit.care_id), {})[visit.date] = visit
    return found


def month_sheet_errors(*, club, year, month, cells, kinds, existing=None):
    """`cells`: {(volunteer, care): [day, …]} the days each volunteer visited each recipient that month.
    Errors keyed "<volunteer pk>.<care pk>" (one cell), or "kinds". Only the days a cell adds are judged:
    a visit already saved stays as it was, even if its volunteer has since been unflagged."""
    errors = Errors()
    kinds = list(kinds or ())
    if not kinds:
        errors.add("kinds", VISIT_KINDS_REQUIRED, "required")
    if existing is None:
        existing = _kept_in_month(year, month, [care for _volunteer, care in cells])
    for (volunteer, care), days in cells.items():
        if care.member.club_id != club.pk:
            raise Care.DoesNotExist
        saved = existing.get((volunteer.pk, care.pk), {})
        messages = []
        for day in days:
            on = datetime.date(year, month, day)
            if on in saved:
                continue
            found = visit_errors(care=care, volunteer=volunteer, on=on, kinds=kinds or [Help.CHEER], check_twin=False)
            for listed in found.values():
                # One cell, many days: a volunteer's problem is said once, not once per day.
                messages.extend(m for m in listed if m.messages not in [e.messages for e in messages])
        if messages:
            errors[f"{volunteer.pk}.{care.pk}"] = messages
    return errors


@transaction.atomic
def month_sheet_save(*, user, club, year, month, cells, kinds=(Help.CHEER,)):
    """Save the month sheet: each cell's days become that volunteer's visits to that recipient in the month.
    A day added makes a visit with `kinds`; a day taken out of a cell removes that visit (kept in the
    history); visits already there keep their kinds, minutes and note. Returns (added, removed)."""
    club = Club.objects.select_for_update().get(pk=club.pk)
    existing = _kept_in_month(year, month, [care for _volunteer, care in cells])
    month_sheet_errors(club=club, year=year, month=month, cells=cells, kinds=kinds, existing=existing).raise_if_any()
    kinds = Help.ordered(kinds)
    added = removed = 0
    for (volunteer, care), days in cells.items():
        wanted = {datetime.date(year, month, day) for day in days}
        saved = existing.get((volunteer.pk, care.pk), {})
        for on in sorted(wanted - set(saved)):
            clean_and_save(Visit(care=care, volunteer=volunteer, date=on, kinds=kinds), user=user)
            added += 1
        for on, visit in saved.items():
            if on not in wanted:
                visit.removed = True
                clean_and_save(visit, user=user)
                removed += 1
    return added, removed
