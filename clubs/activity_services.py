"""Writes to a club's monthly activity sheet and its meetings, with the dry-run check of each sheet.

As clubs.services: keyword-only and atomic, the rules of clubs.rules, ValidationError keyed by form
field with messages tests import from here, nothing deleted, the figures' cache bumped on commit.
"""
import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Activity, Club, Meeting
from .rules import DATE_IN_FUTURE, Errors
from .services import clean_and_save, club_takes_new_rows, not_future, raise_errors, today

_d = rules.d

ACTIVITY_OUTSIDE_MONTH = _("Ngày phải thuộc tháng %(month)02d/%(year)d.")
ACTIVITY_BEFORE_FOUNDED = _("CLB thành lập ngày %(date)s, hoạt động không được trước ngày đó.")
ACTIVITY_DATE_REQUIRED = _("Nhập ngày hoạt động.")
ACTIVITY_CONTENT_REQUIRED = _("Nhập nội dung đã làm.")
ACTIVITY_CANNOT_CLEAR = _("Hoạt động đã ghi không xóa được; nếu ghi nhầm, hãy sửa lại nội dung.")
ACTIVITY_DUPLICATE = _("Hoạt động này (cùng ngày, mảng, nội dung) đã được ghi.")
MEETING_SAME_DAY = _("Đã có buổi sinh hoạt ngày %(date)s.")
ATTENDEE_NOT_MEMBER = _("%(name)s không phải thành viên đang sinh hoạt của CLB vào ngày đó.")
CLUB_DISSOLVED_NO_ACTIVITIES = _("CLB đã giải thể, không ghi thêm hoạt động.")
CLUB_DISSOLVED_NO_MEETINGS = _("CLB đã giải thể, không ghi thêm buổi sinh hoạt.")


# ---------------------------------------------------------------- activities


def month_bounds(year, month):
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


@transaction.atomic
def activity_sheet_save(*, user, club, year, month, rows):
    """Save one month's sheet. `rows` are dicts: id (None for a new row), area, date, content, participants.

    Blank new rows are skipped. Errors are keyed "<row index>.<field>" so the page can put each
    message next to its cell; if any row is wrong nothing is saved.
    Returns (created, updated) counts.
    """
    club = Club.objects.select_for_update().get(pk=club.pk)
    errors, to_save = _sheet_plan(club, year, month, rows)
    raise_errors(errors)
    created = updated = 0
    for _i, activity in to_save:
        created += activity.pk is None
        updated += activity.pk is not None
        clean_and_save(activity, user=user, exclude=["club"])
    return created, updated


def activity_sheet_check(*, club, year, month, rows):
    """The sheet's rules on the cells a form could read (see member_check), saving nothing. A row whose
    area is unreadable is passed as None and skipped, so the "<row index>" of the errors stays the form's."""
    indexed = [(i, row) for i, row in enumerate(rows) if row is not None]
    errors, _to_save = _sheet_plan(club, year, month, [row for _i, row in indexed])
    renumbered = {}
    for key, found in errors.items():
        index, field = key.split(".", 1)
        renumbered[f"{indexed[int(index)][0]}.{field}"] = found
    raise_errors(renumbered)


def _sheet_plan(club, year, month, rows):
    """(errors keyed "<row index>.<field>", [(row index, Activity to save)])."""
    first, last = month_bounds(year, month)
    existing = {a.pk: a for a in club.activities.filter(date__range=(first, last))}
    errors = {}
    seen = set()
    to_save = []

    def err(i, field, message, code, **params):
        errors.setdefault(f"{i}.{field}", []).append(ValidationError(message, code=code, params=params or None))

    for i, row in enumerate(rows):
        pk, date = row.get("id"), row.get("date")
        content = " ".join((row.get("content") or "").split())
        participants = row.get("participants")
        area = int(row["area"])
        activity = existing.get(pk) if pk else None
        if pk and activity is None:
            continue  # not this club's or not this month's: never touched from here
        if activity is None and not date and not content and participants in (None, ""):
            continue
        if activity is not None and not content and not date:
            err(i, "content", ACTIVITY_CANNOT_CLEAR, "cannot_clear")
            continue
        if activity is None and club.dissolved_on is not None:
            err(i, "date", CLUB_DISSOLVED_NO_ACTIVITIES, "club_dissolved")
            continue
        if not date:
            err(i, "date", ACTIVITY_DATE_REQUIRED, "required")
        elif not first <= date <= last:
            err(i, "date", ACTIVITY_OUTSIDE_MONTH, "outside_month", month=month, year=year)
        elif date > today():
            err(i, "date", DATE_IN_FUTURE, "future", today=_d(today()))
        elif date < club.founded_on:
            err(i, "date", ACTIVITY_BEFORE_FOUNDED, "before_founded", date=_d(club.founded_on))
        if not content:
            err(i, "content", ACTIVITY_CONTENT_REQUIRED, "required")
        row_errors = Errors()
        rules.participants(row_errors, participants=participants)
        for field, found in row_errors.items():
            errors.setdefault(f"{i}.{field}", []).extend(found)
        if any(key.startswith(f"{i}.") for key in errors):
            continue
        key = rules.activity_key(date, area, content)
        if key in seen:
            err(i, "content", ACTIVITY_DUPLICATE, "duplicate")
            continue
        seen.add(key)
        if activity is None:
            activity = Activity(club=club, area=area)
        elif (activity.date, activity.content, activity.participants) == (date, content, participants):
            continue
        activity.date, activity.content, activity.participants = date, content, participants
        to_save.append((i, activity))
    # Duplicates against rows already saved on other days of the month or outside this sheet.
    for i, activity in to_save:
        clash = club.activities.filter(date=activity.date, area=activity.area)
        if activity.pk:
            clash = clash.exclude(pk=activity.pk)
        clash = clash.exclude(pk__in=[a.pk for _, a in to_save if a.pk]).values_list("content", flat=True)
        if any(rules.activity_key(activity.date, activity.area, text) == rules.activity_key(
                activity.date, activity.area, activity.content) for text in clash):
            err(i, "content", ACTIVITY_DUPLICATE, "duplicate")
    return errors, to_save


# ---------------------------------------------------------------- meetings


@transaction.atomic
def meeting_record(*, user, club, held_on, attendees, notes="", meeting=None, confirm_no_attendees=False):
    """Create a meeting (meeting=None) or correct one; attendees are members present that day. A meeting
    with nobody present is saved only with `confirm_no_attendees` (the user said so)."""
    club = Club.objects.select_for_update().get(pk=club.pk)
    if meeting is None:
        club_takes_new_rows(club, CLUB_DISSOLVED_NO_MEETINGS)
    errors = {}
    not_future(errors, "held_on", held_on)
    founding = Errors()
    rules.meeting_date(founding, held_on=held_on, founded_on=club.founded_on)
    for field, found in founding.items():
        errors.setdefault(field, []).extend(found)
    same_day = club.meetings.filter(held_on=held_on)
    if meeting is not None:
        same_day = same_day.exclude(pk=meeting.pk)
    if held_on and same_day.exists():
        errors.setdefault("held_on", []).append(
            ValidationError(MEETING_SAME_DAY, code="same_day", params={"date": _d(held_on)})
        )
    attendees = list(attendees)
    no_one = Errors()
    rules.meeting_attendance(no_one, attendee_count=len(attendees), confirmed=confirm_no_attendees)
    for field, found in no_one.items():
        errors.setdefault(field, []).extend(found)
    if held_on:
        for person in attendees:
            if person.club_id != club.pk or not person.is_active(held_on):
                errors.setdefault("attendees", []).append(
                    ValidationError(ATTENDEE_NOT_MEMBER, code="not_member", params={"name": person.full_name})
                )
    raise_errors(errors)
    if meeting is None:
        meeting = Meeting(club=club)
    meeting.held_on, meeting.notes = held_on, (notes or "").strip()
    clean_and_save(meeting, user=user)
    meeting.attendees.set(attendees)
    return meeting

