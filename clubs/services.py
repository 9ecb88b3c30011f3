"""Writes to clubs, members and boards (a club's activity sheet and meetings: clubs.activity_services).

Every function is keyword-only and atomic: it loads what the rules of clubs.rules need, runs them,
raises ValidationError keyed by form field name with their messages (tests import them, from here or
from clubs.rules), and saves nothing when any rule fails. Nothing is deleted: members leave, clubs
dissolve, board seats end. Every save bumps the figures' cache generation once the transaction commits.
"""
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import dependents, locks, rules, touched
from .formatting import fold
from .models import Area, BoardMembership, Club, Member
from .rules import (  # noqa: F401  (the messages stay importable from here)
    BOARD_ROLE_HELD, BOARD_ROLE_HELD_LATER, MEETING_BEFORE_FOUNDED, MEETING_NO_ATTENDEES, ACTIVITY_TOO_MANY_PARTICIPANTS, ALREADY_LEFT, BIRTH_DATE_YEAR_MISMATCH, BIRTH_YEAR_RANGE, CLUB_ALREADY_DISSOLVED,
    CLUB_CODE_TAKEN, CLUB_NOT_AVAILABLE, DATE_IN_FUTURE, DISSOLUTION_REASON_REQUIRED, DISSOLVED_BEFORE_FOUNDED,
    DISSOLVED_BEFORE_RECORDED, DUPLICATE_MEMBER, FOUNDED_AFTER_MEMBERS, FOUNDED_AFTER_RECORDED, JOINED_AFTER_RECORDED,
    JOINED_BEFORE_FOUNDED, LEFT_BEFORE_JOINED, LIKELY_DUPLICATE, LIKELY_DUPLICATE_ELSEWHERE, MAX_PARTICIPANTS,
    MEMBER_CODE_TAKEN, ROTATION_NEEDS_SOURCE, SOURCE_FOUNDED_LATER, SOURCE_IS_SELF, SOURCE_ONLY_FOR_ROTATION, Errors,
)

CLUB_DISSOLVED_NO_MEMBERS = _("CLB đã giải thể, không nhận thêm thành viên.")
COMMUNE_NOT_ALLOWED = _("Bạn chỉ được chọn xã/phường thuộc địa bàn của mình.")
BOARD_NOT_ACTIVE_MEMBER = _("Thành viên Ban chủ nhiệm phải là thành viên đang sinh hoạt của CLB này.")
BOARD_START_BEFORE_JOINED = _("Ngày nhận nhiệm vụ không được trước ngày tham gia CLB (%(date)s).")
BOARD_SEAT_TAKEN = _("Người này đang giữ chức vụ %(role)s.")
BOARD_END_BEFORE_START = _("Ngày thôi nhiệm vụ không được trước ngày nhận nhiệm vụ (%(date)s).")
BOARD_ALREADY_ENDED = _("Nhiệm vụ này đã kết thúc ngày %(date)s.")


class LikelyDuplicate(ValidationError):
    """A member that looks like someone already registered; the user may confirm and save anyway."""

    def __init__(self, warning):
        super().__init__(warning.message, code=warning.code, params=warning.params)


def today():
    return timezone.localdate()


_d = rules.d


def not_future(errors, field, value):
    rules.not_future(errors, field, value, today=today())


def raise_errors(errors):
    if errors:
        raise ValidationError(errors)


def _check_end(*, field, on, started_on, ended_on, already, before):
    """Closing something that has a start (a membership, a board seat): once, not in the future, not
    before it started. `already` and `before` are (message, code) pairs."""
    errors = {}
    if ended_on:
        message, code = already
        errors[NON_FIELD_ERRORS] = [ValidationError(message, code=code, params={"date": _d(ended_on)})]
    not_future(errors, field, on)
    if on and on < started_on:
        message, code = before
        errors.setdefault(field, []).append(ValidationError(message, code=code, params={"date": _d(started_on)}))
    raise_errors(errors)


def _author(user):
    return user if user is not None and user.is_authenticated else None


def clean_and_save(obj, *, user, exclude=()):
    # Model-level checks (required fields, lengths, choices, DB constraints) after ours.
    obj.full_clean(exclude=list(exclude))
    return save_checked(obj, user=user)


def save_checked(obj, *, user):
    """The write of every service (clubs' and funds'), once its row is clean: refused in an approved
    year, saved with its author, then the one after-write hook (clubs/touched.py)."""
    locks.check_write(obj)
    # Always the caller's user, never simple_history's request middleware: a command, a shell or the
    # rotation service saves outside any request, and the history must still say who.
    obj._history_user = _author(user)
    obj.save()
    touched.touch(obj)
    return obj


# ---------------------------------------------------------------- clubs

CLUB_FIELDS = (
    "code", "name", "commune", "village", "founded_on", "decision_number", "track", "source_club",
    "regulation_on", "meeting_frequency", "max_loan", "max_rate_percent_month",
)


def _check_club(club, *, user, stored_founded_on=None, stored_source_id=None):
    errors = Errors()
    club.code = (club.code or "").strip()
    club.name = rules.normal_name(club.name)
    taken = Club.objects.exclude(pk=club.pk).filter(code__iexact=club.code) if club.code else Club.objects.none()
    rules.club_code(errors, code=club.code, taken={rules.code_key(c) for c in taken.values_list("code", flat=True)})
    if club.commune_id and not Area.objects.communes().visible_to(user).filter(pk=club.commune_id).exists():
        errors.add("commune", COMMUNE_NOT_ALLOWED, "commune_not_allowed")
    first_joined = None
    if club.pk:
        first_joined = club.members.order_by("joined_on").values_list("joined_on", flat=True).first()
    rules.club_dates(errors, founded_on=club.founded_on, regulation_on=club.regulation_on, today=today(),
                     first_joined=first_joined)
    if club.pk and club.founded_on != stored_founded_on:
        # Only a moved date is checked: a club is never blocked for a date nobody touched.
        rules.club_dated_dependents(errors, founded_on=club.founded_on,
                                    first=dependents.first("club", [club.pk]).get(club.pk))
    source = club.source_club if club.source_club_id else None
    rules.rotation_source(
        errors, track=club.track, has_source=source is not None, is_self=bool(club.pk and source and source.pk == club.pk),
        founded_on=club.founded_on, source_founded_on=source.founded_on if source else None,
        source_code=source.code if source else "",
        source_allowed=source is None or source.pk == stored_source_id
        or Club.objects.visible_to(user).filter(pk=source.pk).exists(),
    )
    errors.raise_if_any()


@transaction.atomic
def club_create(*, user, code, name, commune, founded_on, track, village="", decision_number="",
                source_club=None, regulation_on=None, meeting_frequency=Club.MeetingFrequency.MONTHLY,
                max_loan=None, max_rate_percent_month=None):
    club = Club(
        code=code, name=name, commune=commune, village=village or "", founded_on=founded_on,
        decision_number=decision_number or "", track=track, source_club=source_club,
        regulation_on=regulation_on, meeting_frequency=meeting_frequency or Club.MeetingFrequency.MONTHLY,
        max_loan=max_loan, max_rate_percent_month=max_rate_percent_month,
    )
    _check_club(club, user=user)
    return clean_and_save(club, user=user)


@transaction.atomic
def club_update(*, user, club, **changes):
    club = Club.objects.select_for_update().get(pk=club.pk)
    stored_founded_on, stored_source_id = club.founded_on, club.source_club_id
    for field, value in changes.items():
        if field not in CLUB_FIELDS:
            raise TypeError(f"club_update() cannot change {field}")
        setattr(club, field, "" if value is None and field in ("village", "decision_number") else value)
    _check_club(club, user=user, stored_founded_on=stored_founded_on, stored_source_id=stored_source_id)
    return clean_and_save(club, user=user)


def club_check(*, user, club=None, **values):
    """The club rules on what a form could read so far, saving nothing (see member_check)."""
    if club is not None:
        candidate = Club.objects.get(pk=club.pk)
        stored = {"stored_founded_on": candidate.founded_on, "stored_source_id": candidate.source_club_id}
    else:
        candidate, stored = Club(), {}
    for field, value in values.items():
        if field in CLUB_FIELDS:
            setattr(candidate, field, value)
    _check_club(candidate, user=user, **stored)


@transaction.atomic
def club_dissolve(*, user, club, dissolved_on, reason):
    club = Club.objects.select_for_update().get(pk=club.pk)
    errors = Errors()
    rules.dissolution(errors, founded_on=club.founded_on, dissolved_on=dissolved_on, reason=reason, today=today(),
                      already_on=club.dissolved_on)
    rules.club_dated_dependents(errors, dissolved_on=dissolved_on, last=dependents.last("club", [club.pk]).get(club.pk))
    errors.raise_if_any()
    club.dissolved_on = dissolved_on
    club.dissolution_reason = reason.strip()
    return clean_and_save(club, user=user)


# ---------------------------------------------------------------- members

MEMBER_FIELDS = (
    "code", "full_name", "gender", "birth_year", "birth_date", "ethnicity", "household", "village",
    "phone", "is_homecare_volunteer", "joined_on",
)


def _check_member(member, *, user, confirm_duplicate):
    errors = Errors()
    club = member.club
    member.code = (member.code or "").strip()
    member.full_name = rules.normal_name(member.full_name)
    rules.member_dates(errors, birth_year=member.birth_year, birth_date=member.birth_date, joined_on=member.joined_on,
                       founded_on=club.founded_on, today=today())
    if member.left_on and member.joined_on and member.left_on < member.joined_on:
        # The form edits the joining date, not the leaving one: the message goes next to it.
        errors.add("joined_on", LEFT_BEFORE_JOINED, "left_before_joined", date=_d(member.joined_on))
    others = Member.objects.filter(club=club).exclude(pk=member.pk)
    taken = others.filter(code__iexact=member.code).values_list("code", flat=True) if member.code else ()
    rules.member_code(errors, code=member.code, taken={rules.code_key(c) for c in taken})
    errors.raise_if_any()
    if confirm_duplicate:
        return
    if member.left_on is None:
        # Same club, same name, sex and year: a warning as for a namesake elsewhere, said first.
        same = others.filter(search_text=fold(member.full_name), birth_year=member.birth_year, left_on__isnull=True)
        warning = rules.duplicate_member(
            errors, full_name=member.full_name, gender=member.gender, birth_year=member.birth_year,
            active_in_club={rules.person_key(*row) for row in same.values_list("full_name", "gender", "birth_year")},
        )
        if warning is not None:
            raise LikelyDuplicate(warning)
    if member.full_name and member.birth_year:
        likely = Member.objects.exclude(pk=member.pk).filter(
            search_text=fold(member.full_name), birth_year=member.birth_year, left_on__isnull=True)
        # Where the user may open the club, name it; elsewhere only say that such a person exists.
        visible = Club.objects.visible_to(user).values("pk")
        people = {}
        key = rules.likely_key(member.full_name, member.birth_year)
        for full_name, birth_year, club_code, commune_name in (
            likely.filter(club__in=visible).values_list("full_name", "birth_year", "club__code", "club__commune__name")
            .order_by("club__code", "code")[:5]
        ):
            people.setdefault(key, []).append(rules.describe_match(
                full_name=full_name, birth_year=birth_year, club_code=club_code, commune_name=commune_name))
        if likely.exclude(club__in=visible).exists():
            people.setdefault(key, []).append(
                rules.describe_elsewhere(full_name=member.full_name, birth_year=member.birth_year))
        warning = rules.likely_duplicate(full_name=member.full_name, birth_year=member.birth_year, active_people=people)
        if warning is not None:
            raise LikelyDuplicate(warning)


def member_check(*, user, club, member=None, **values):
    """The member rules on what a form could read so far (a field it refused is simply missing), saving
    nothing: the form shows them with its own errors, so a submission gets every message at once."""
    if member is not None:
        candidate = Member.objects.select_related("club").get(pk=member.pk)
    else:
        candidate = Member(club=club)
    for field, value in values.items():
        if field in MEMBER_FIELDS:
            setattr(candidate, field, value)
    _check_member(candidate, user=user, confirm_duplicate=True)


def club_takes_new_rows(club, message):
    if club.dissolved_on is not None:
        raise ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code="club_dissolved")]})


@transaction.atomic
def member_add(*, user, club, code, full_name, gender, birth_year, joined_on, birth_date=None, ethnicity="",
               household="", village="", phone="", is_homecare_volunteer=False, confirm_duplicate=False):
    club = Club.objects.select_for_update().get(pk=club.pk)
    club_takes_new_rows(club, CLUB_DISSOLVED_NO_MEMBERS)
    member = Member(
        club=club, code=code, full_name=full_name, gender=gender, birth_year=birth_year, birth_date=birth_date,
        ethnicity=(ethnicity or "").strip(), household=household or "", village=(village or "").strip(),
        phone=(phone or "").strip(), is_homecare_volunteer=bool(is_homecare_volunteer), joined_on=joined_on,
    )
    _check_member(member, user=user, confirm_duplicate=confirm_duplicate)
    return clean_and_save(member, user=user)


@transaction.atomic
def member_update(*, user, member, confirm_duplicate=False, **changes):
    member = Member.objects.select_for_update().select_related("club").get(pk=member.pk)
    before = (member.full_name, member.birth_year)
    stored_joined_on = member.joined_on
    for field, value in changes.items():
        if field not in MEMBER_FIELDS:
            raise TypeError(f"member_update() cannot change {field}")
        setattr(member, field, "" if value is None and field not in ("birth_date", "birth_year", "joined_on") else value)
    # Someone already warned about when they were added is not flagged again on every correction.
    unchanged = (rules.normal_name(member.full_name), member.birth_year) == before
    if member.joined_on != stored_joined_on:
        errors = Errors()
        rules.member_dated_dependents(errors, joined_on=member.joined_on,
                                      first=dependents.first("member", [member.pk]).get(member.pk))
        errors.raise_if_any()
    _check_member(member, user=user, confirm_duplicate=confirm_duplicate or unchanged)
    return clean_and_save(member, user=user)


@transaction.atomic
def member_leave(*, user, member, left_on, reason=""):
    member = Member.objects.select_for_update().get(pk=member.pk)
    errors = Errors()
    rules.leaving(errors, left_on=left_on, joined_on=member.joined_on, today=today(), already_on=member.left_on)
    errors.raise_if_any()
    member.left_on = left_on
    member.leave_reason = (reason or "").strip()
    clean_and_save(member, user=user)
    # A person who leaves the club leaves its board too, on the same day.
    for seat in member.board_roles.filter(ended_on__isnull=True):
        seat.ended_on = max(left_on, seat.started_on)
        clean_and_save(seat, user=user)
    return member


# ---------------------------------------------------------------- board


def _board_errors(*, club, member, role, started_on, end_current=False):
    errors = Errors()
    not_future(errors, "started_on", started_on)
    if member is not None:
        if member.club_id != club.pk or member.left_on is not None or club.dissolved_on is not None:
            errors.add("member", BOARD_NOT_ACTIVE_MEMBER, "not_active_member")
        elif started_on and started_on < member.joined_on:
            errors.add("started_on", BOARD_START_BEFORE_JOINED, "start_before_joined", date=_d(member.joined_on))
        elif role and BoardMembership.objects.filter(member=member, role=role, ended_on__isnull=True).exists():
            errors.add("role", BOARD_SEAT_TAKEN, "seat_taken", role=BoardMembership.Role(role).label)
    to_end = []
    if role:
        seats = club.board.filter(role=role).select_related("member")
        if member is not None:
            seats = seats.exclude(member=member)
        to_end = rules.one_holder(
            errors, role=role, started_on=started_on, end_current=end_current,
            seats=[(seat.pk, seat.member.full_name, seat.started_on, seat.ended_on) for seat in seats],
        )
    return errors, to_end


def board_check(*, club, member=None, role=None, started_on=None, end_current=False):
    """The board rules on what a form could read so far, saving nothing (see member_check)."""
    errors, _to_end = _board_errors(club=club, member=member, role=role, started_on=started_on, end_current=end_current)
    errors.raise_if_any()


@transaction.atomic
def board_assign(*, user, club, member, role, started_on, end_current=False):
    """A seat on the board. A single-holder role (rules.SINGLE_HOLDER_ROLES) already held is refused,
    unless `end_current` (the user confirmed): the holder's seat then ends the day the new one starts."""
    club = Club.objects.select_for_update().get(pk=club.pk)
    errors, to_end = _board_errors(club=club, member=member, role=role, started_on=started_on, end_current=end_current)
    errors.raise_if_any()
    for seat in BoardMembership.objects.select_for_update().filter(pk__in=to_end):
        seat.ended_on = started_on
        clean_and_save(seat, user=user)
    return clean_and_save(BoardMembership(club=club, member=member, role=role, started_on=started_on), user=user)


@transaction.atomic
def board_end(*, user, seat, ended_on):
    seat = BoardMembership.objects.select_for_update().get(pk=seat.pk)
    _check_end(
        field="ended_on", on=ended_on, started_on=seat.started_on, ended_on=seat.ended_on,
        already=(BOARD_ALREADY_ENDED, "already_ended"), before=(BOARD_END_BEFORE_START, "end_before_start"),
    )
    seat.ended_on = ended_on
    return clean_and_save(seat, user=user)
