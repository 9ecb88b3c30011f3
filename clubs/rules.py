"""The rules of the club register, written once for every way in: forms (through clubs.services), the
workbook import, the fund rotation and the admin.

Each rule works on plain values and on lookups its caller loaded beforehand (a set of codes already
taken, the people already in a club...), never on the database itself: a form loads the few rows one
record needs, the importer loads them once per table for 30,000 rows, and both run the same code.
A rule reports what breaks to an `Errors` collector keyed by field name, with the message constants
below (tests import them); `Errors.raise_if_any()` turns them into the ValidationError services raise.

New rules go here as one more function of the same shape (errors first, then keyword-only values).
"""
import unicodedata

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .formatting import fold
from .models import BoardMembership, Member, Track

DATE_IN_FUTURE = _("Ngày không được sau hôm nay (%(today)s).")
BIRTH_YEAR_RANGE = _("Năm sinh phải từ 1900 đến %(year)s.")
BIRTH_DATE_YEAR_MISMATCH = _("Ngày sinh phải thuộc năm sinh %(year)s.")
JOINED_BEFORE_FOUNDED = _("Ngày tham gia không được trước ngày thành lập CLB (%(date)s).")
LEFT_BEFORE_JOINED = _("Ngày rời CLB không được trước ngày tham gia (%(date)s).")
ALREADY_LEFT = _("Thành viên này đã rời CLB ngày %(date)s.")
CLUB_CODE_TAKEN = _("Mã CLB %(code)s đã được dùng trong tỉnh.")
MEMBER_CODE_TAKEN = _("Mã thành viên %(code)s đã có trong CLB này.")
CLUB_ALREADY_DISSOLVED = _("CLB đã giải thể ngày %(date)s.")
DISSOLVED_BEFORE_FOUNDED = _("Ngày giải thể không được trước ngày thành lập (%(date)s).")
DISSOLUTION_REASON_REQUIRED = _("Ghi lý do giải thể.")
FOUNDED_AFTER_MEMBERS = _("Đã có thành viên tham gia từ %(date)s, ngày thành lập không được sau ngày đó.")
DUPLICATE_MEMBER = _("%(name)s (%(gender)s, sinh năm %(year)s) đã có trong CLB này. Nếu đúng là người khác (trùng họ tên), "
                     "đánh dấu xác nhận rồi lưu lại.")
LIKELY_DUPLICATE = _("Có thể trùng người đã có: %(who)s. Nếu đúng là người khác, đánh dấu xác nhận rồi lưu lại.")
# A namesake in a club the user may not open: neither the club, the commune nor the district is named.
LIKELY_DUPLICATE_ELSEWHERE = _("%(name)s (%(year)s) – có người cùng họ tên và năm sinh ở địa bàn huyện cũ khác")
# Dates edited after the fact, naming the first row in the way ("khoản vay KV-2024-003 ngày 05/03/2024").
FOUNDED_AFTER_RECORDED = _("Đã có %(row)s ngày %(date)s: ngày thành lập không được sau ngày đó.")
DISSOLVED_BEFORE_RECORDED = _("Đã có %(row)s ngày %(date)s: ngày giải thể không được trước ngày đó.")
JOINED_AFTER_RECORDED = _("Đã có %(row)s ngày %(date)s: ngày tham gia không được sau ngày đó.")
ROTATION_NEEDS_SOURCE = _("CLB luân chuyển vốn phải ghi CLB đã chuyển vốn cho mình.")
SOURCE_ONLY_FOR_ROTATION = _("Chỉ CLB thuộc nguồn “Mới - luân chuyển vốn” mới ghi CLB chuyển vốn.")
SOURCE_IS_SELF = _("CLB không thể tự chuyển vốn cho chính mình.")
SOURCE_FOUNDED_LATER = _("CLB chuyển vốn phải thành lập trước CLB này (thành lập %(date)s).")
ACTIVITY_TOO_MANY_PARTICIPANTS = _("Số người tham gia không hợp lý (tối đa %(max)d).")

BOARD_ROLE_HELD = _("%(name)s đang giữ chức vụ %(role)s từ ngày %(date)s; mỗi chức vụ chỉ một người giữ một lúc. "
                    "Ghi thôi nhiệm vụ cho người đó trước, hoặc đánh dấu “Kết thúc nhiệm vụ của người đang giữ "
                    "chức vụ này” rồi lưu lại.")
BOARD_ROLE_HELD_LATER = _("%(name)s giữ chức vụ %(role)s từ ngày %(date)s; mỗi chức vụ chỉ một người giữ một lúc.")
MEETING_BEFORE_FOUNDED = _("CLB thành lập ngày %(date)s, buổi sinh hoạt không được trước ngày đó.")
MEETING_TOO_MANY_PRESENT = _("Số người dự (%(count)s) nhiều hơn số thành viên đang sinh hoạt của CLB ngày %(date)s "
                             "(%(active)s người).")
MEETING_NO_ATTENDEES = _("Chưa chọn ai có mặt. Nếu buổi sinh hoạt đúng là không có ai dự, đánh dấu xác nhận "
                         "rồi lưu lại.")

MAX_PARTICIPANTS = 1000
# A club has one Chủ nhiệm, one Thư ký, one Thủ quỹ and one Kế toán at a time; Phó chủ nhiệm and Ủy
# viên are often two or more (Hướng dẫn thành lập CLB: "1 chủ nhiệm, 1-2 phó chủ nhiệm").
SINGLE_HOLDER_ROLES = frozenset({
    BoardMembership.Role.CHAIR, BoardMembership.Role.SECRETARY, BoardMembership.Role.TREASURER,
    BoardMembership.Role.ACCOUNTANT,
})

# One answer for a club code that is not there and for one the user may not work with, so that neither
# a form nor an import tells whether a code exists in another district (nor anything about that club).
CLUB_NOT_AVAILABLE = _("Không có CLB mã %(code)s trong địa bàn bạn được phép nhập.")


class Errors(dict):
    """field name -> [ValidationError], in the shape ValidationError(dict) takes."""

    def add(self, field, message, code, /, **params):
        self.setdefault(field, []).append(ValidationError(message, code=code, params=params or None))

    def raise_if_any(self):
        if self:
            raise ValidationError(dict(self))

    def reasons(self):
        """(field, reason text) pairs, for the importer's list of problems."""
        return [(field, text) for field, errors in self.items() for e in errors for text in e.messages]


def d(date):
    return date.strftime("%d/%m/%Y")


def normal_name(name):
    """Names compare after Unicode NFC and with single spaces (keyboards differ on both)."""
    return " ".join(unicodedata.normalize("NFC", name or "").split())


# ---------------------------------------------------------------- dates


def not_future(errors, field, value, *, today):
    if value and value > today:
        errors.add(field, DATE_IN_FUTURE, "future", today=d(today))


# ---------------------------------------------------------------- clubs


def code_key(code):
    """Codes are unique ignoring case: CLB-105-01 and clb-105-01 are one code."""
    return (code or "").strip().casefold()


def club_code(errors, *, code, taken):
    """`taken`: code_key() of every other club's code (all of them, or those that could match)."""
    if code and code_key(code) in taken:
        errors.add("code", CLUB_CODE_TAKEN, "code_taken", code=code)


def club_dates(errors, *, founded_on, regulation_on, today, first_joined=None):
    """`first_joined`: the earliest joining date of the club's members already saved (None for a new club)."""
    not_future(errors, "founded_on", founded_on, today=today)
    not_future(errors, "regulation_on", regulation_on, today=today)
    founded_after_members(errors, founded_on=founded_on, first_joined=first_joined)


def founded_after_members(errors, *, founded_on, first_joined):
    if first_joined and founded_on and first_joined < founded_on:
        errors.add("founded_on", FOUNDED_AFTER_MEMBERS, "founded_after_members", date=d(first_joined))


def club_dated_dependents(errors, *, founded_on=None, dissolved_on=None, first=None, last=None):
    """A club's life must still hold every row dated in it. `first`/`last`: the club's earliest and latest
    dependent rows (clubs.dependents.first/last: Dated or None). Rows on the founding or dissolution day
    itself are inside the club's life, as the ledger rules have it."""
    if founded_on and first and first.date < founded_on:
        errors.add("founded_on", FOUNDED_AFTER_RECORDED, "founded_after_recorded", row=first.label, date=d(first.date))
    if dissolved_on and last and last.date > dissolved_on:
        errors.add("dissolved_on", DISSOLVED_BEFORE_RECORDED, "dissolved_before_recorded", row=last.label,
                   date=d(last.date))


def member_dated_dependents(errors, *, joined_on, first=None):
    """A member joins no later than the first row that needs them (a loan, a board seat, a meeting)."""
    if joined_on and first and first.date < joined_on:
        errors.add("joined_on", JOINED_AFTER_RECORDED, "joined_after_recorded", row=first.label, date=d(first.date))


def rotation_source(errors, *, track, has_source, is_self=False, founded_on=None, source_founded_on=None,
                    source_code="", source_allowed=True):
    """A club of the rotation track names the club whose capital founded it, founded no later than itself.

    `source_allowed`: the user may open the source club (Club.objects.visible_to), or it is the source
    already recorded (an officer may record one across districts; district staff still save the club).
    Otherwise nothing more is said about it, not even its founding date."""
    if has_source and not source_allowed:
        errors.add("source_club", CLUB_NOT_AVAILABLE, "not_available", code=source_code)
    elif track == Track.NEW_ROTATION and not has_source:
        errors.add("source_club", ROTATION_NEEDS_SOURCE, "source_required")
    elif track != Track.NEW_ROTATION and has_source:
        errors.add("source_club", SOURCE_ONLY_FOR_ROTATION, "source_forbidden")
    elif has_source and is_self:
        errors.add("source_club", SOURCE_IS_SELF, "source_self")
    elif has_source and founded_on and source_founded_on and source_founded_on > founded_on:
        errors.add("source_club", SOURCE_FOUNDED_LATER, "source_later", date=d(source_founded_on))


def dissolution(errors, *, founded_on, dissolved_on, reason, today, already_on=None):
    """Dissolving: once, dated, not in the future nor before the founding, and always with a reason."""
    if already_on:
        errors.add(NON_FIELD_ERRORS, CLUB_ALREADY_DISSOLVED, "already_dissolved", date=d(already_on))
    not_future(errors, "dissolved_on", dissolved_on, today=today)
    if dissolved_on and founded_on and dissolved_on < founded_on:
        errors.add("dissolved_on", DISSOLVED_BEFORE_FOUNDED, "dissolved_before_founded", date=d(founded_on))
    if not (reason or "").strip():
        errors.add("dissolution_reason", DISSOLUTION_REASON_REQUIRED, "required")


# ---------------------------------------------------------------- members


def member_code(errors, *, code, taken):
    """`taken`: code_key() of the codes of the club's other members."""
    if code and code_key(code) in taken:
        errors.add("code", MEMBER_CODE_TAKEN, "code_taken", code=code)


def member_dates(errors, *, birth_year, birth_date, joined_on, founded_on, today, left_on=None, already_left=None):
    this_year = today.year
    if birth_year is not None and not 1900 <= birth_year <= this_year:
        errors.add("birth_year", BIRTH_YEAR_RANGE, "birth_year_range", year=this_year)
    if birth_date:
        not_future(errors, "birth_date", birth_date, today=today)
        if birth_year and birth_date.year != birth_year:
            errors.add("birth_date", BIRTH_DATE_YEAR_MISMATCH, "birth_date_year", year=birth_year)
    not_future(errors, "joined_on", joined_on, today=today)
    if joined_on and founded_on and joined_on < founded_on:
        errors.add("joined_on", JOINED_BEFORE_FOUNDED, "joined_before_founded", date=d(founded_on))
    leaving(errors, left_on=left_on, joined_on=joined_on, today=today, already_on=already_left)


def leaving(errors, *, left_on, joined_on, today, already_on=None):
    """A member leaves once, not in the future and not before joining."""
    if already_on:
        errors.add(NON_FIELD_ERRORS, ALREADY_LEFT, "already_left", date=d(already_on))
    not_future(errors, "left_on", left_on, today=today)
    if left_on and joined_on and left_on < joined_on:
        errors.add("left_on", LEFT_BEFORE_JOINED, "left_before_joined", date=d(joined_on))


def person_key(full_name, gender, birth_year):
    """The same person: same name (ignoring case and spacing), sex and year of birth."""
    return (normal_name(full_name).casefold(), gender, birth_year)


def duplicate_member(errors, *, full_name, gender, birth_year, active_in_club):
    """The same name, sex and year of birth as an active member of the same club: a warning the user
    confirms, never a refusal (issue 12: villages have namesakes; the demo itself has four "Vàng Thị Lả"
    in one club). Returns the warning (a ValidationError to show) or None; `errors` is left untouched so
    that every caller (form, service, workbook import) saves once the user has confirmed, exactly as for
    a namesake in another club (likely_duplicate(), which also finds this person).

    `active_in_club`: person_key() of the club's other members who have not left."""
    if full_name and gender and birth_year and person_key(full_name, gender, birth_year) in active_in_club:
        return ValidationError(DUPLICATE_MEMBER, code="duplicate_member", params={
            "name": normal_name(full_name), "gender": Member.Gender(gender).label, "year": birth_year})
    return None


def likely_key(full_name, birth_year):
    """Probably the same person: same name without diacritics, same year of birth, in any club."""
    return (fold(normal_name(full_name)), birth_year)


def describe_match(*, full_name, birth_year, club_code, commune_name):
    """A namesake in a club the acting user may open (Club.objects.visible_to)."""
    return f"{full_name} ({birth_year}) – {club_code}, {commune_name}"


def describe_elsewhere(*, full_name, birth_year):
    """Namesakes (one or many) in clubs the acting user may not open: said once, with the name as typed,
    so the warning tells neither where they are nor how many there are."""
    return str(LIKELY_DUPLICATE_ELSEWHERE % {"name": normal_name(full_name), "year": birth_year})


def likely_duplicate(*, full_name, birth_year, active_people):
    """A warning the user may confirm, or None. `active_people`: likely_key() -> texts for the active
    members of the whole province other than this one: describe_match() for those in clubs the user may
    open, then at most one describe_elsewhere() for all the others."""
    if not (full_name and birth_year):
        return None
    matches = active_people.get(likely_key(full_name, birth_year))
    if not matches:
        return None
    return ValidationError(LIKELY_DUPLICATE, code="likely_duplicate", params={"who": "; ".join(matches[:5])})


# ---------------------------------------------------------------- board


def one_holder(errors, *, role, started_on, seats, end_current=False):
    """One holder of a single-holder role at a time. `seats`: (key, holder name, started_on, ended_on) of the
    club's other seats of this role. With `end_current` (the user confirmed) a seat still open on
    `started_on` that began before it is ended that day instead of refusing; returns the keys to end."""
    if role not in SINGLE_HOLDER_ROLES or not started_on:
        return []
    to_end = []
    for key, name, seat_start, seat_end in seats:
        if seat_end is not None and seat_end <= started_on:
            continue  # ended before (ended_on is the first day without the role)
        label = BoardMembership.Role(role).label
        if seat_start >= started_on:
            errors.add("started_on", BOARD_ROLE_HELD_LATER, "role_held", name=name, role=label, date=d(seat_start))
        elif end_current and seat_end is None:
            to_end.append(key)
        else:
            errors.add("role", BOARD_ROLE_HELD, "role_held", name=name, role=label, date=d(seat_start))
    return to_end


# ---------------------------------------------------------------- meetings


def member_on(*, joined_on, left_on, on):
    """A member of the club on that day: joined on or before it and not left by then (Member.is_active)."""
    return joined_on <= on and (left_on is None or left_on > on)


def within_club_life(errors, field, *, on, club, before, after, before_code="before_founded"):
    """A row dated in a club's life: on or after its founding, on or before its dissolution (both days
    inside, as the ledger has it). `before`/`after`: the messages, each with a %(date)s."""
    if on and on < club.founded_on:
        errors.add(field, before, before_code, date=d(club.founded_on))
    if on and club.dissolved_on and on > club.dissolved_on:
        errors.add(field, after, "after_dissolved", date=d(club.dissolved_on))


def meeting_date(errors, *, held_on, founded_on):
    """A meeting is held on or after the club's founding."""
    if held_on and founded_on and held_on < founded_on:
        errors.add("held_on", MEETING_BEFORE_FOUNDED, "before_founded", date=d(founded_on))


def meeting_head_count(errors, *, count, active, held_on, field="attendee_count"):
    """No more people present than the club's members that day (`active`, counted with member_on)."""
    if count is not None and held_on and count > active:
        errors.add(field, MEETING_TOO_MANY_PRESENT, "too_many_present", count=count, active=active, date=d(held_on))


def meeting_attendance(errors, *, attendee_count, confirmed):
    """A meeting with nobody present is saved only once the user says so."""
    if attendee_count == 0 and not confirmed:
        errors.add("attendees", MEETING_NO_ATTENDEES, "no_attendees")


# ---------------------------------------------------------------- activities


def activity_key(date, area, content):
    """The same activity: same day, same area, same content ignoring case and spacing."""
    return (date, area, " ".join((content or "").split()).casefold())


def participants(errors, *, participants):
    if participants not in (None, "") and participants > MAX_PARTICIPANTS:
        errors.add("participants", ACTIVITY_TOO_MANY_PARTICIPANTS, "too_many", max=MAX_PARTICIPANTS)
