"""Writes to a club's health sessions, as clubs.services: keyword-only and atomic, the rules of
care.rules and clubs' own date and membership rules, ValidationError keyed by form field with
messages tests import, nothing deleted (a member taken off a session is marked removed)."""
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clubs import rules as club_rules
from clubs.activity_services import ATTENDEE_NOT_MEMBER
from clubs.models import Club
from clubs.rules import DATE_IN_FUTURE, Errors  # noqa: F401  (importable from here for tests)
from clubs.services import clean_and_save, club_takes_new_rows, not_future, today  # noqa: F401

from . import rules
from .models import HealthCheck, HealthSession
from .rules import (  # noqa: F401
    BP_FORMAT, BP_INCOMPLETE, DIASTOLIC_NOT_BELOW, DIASTOLIC_RANGE, SYSTOLIC_RANGE, WEIGHT_DECIMALS, WEIGHT_FORMAT,
    WEIGHT_RANGE,
)

SESSION_BEFORE_FOUNDED = _("CLB thành lập ngày %(date)s, buổi khám/đo không được trước ngày đó.")
SESSION_AFTER_DISSOLVED = _("CLB đã giải thể ngày %(date)s, buổi khám/đo không được sau ngày đó.")
CLUB_DISSOLVED_NO_SESSIONS = _("CLB đã giải thể, không ghi thêm buổi khám/đo.")
SESSION_NO_CHECKS = _("Chưa chọn thành viên nào được khám/đo.")
CHECK_TWICE = _("%(name)s được ghi hai lần trong buổi này.")
MEMBER_NOT_ACTIVE = ATTENDEE_NOT_MEMBER  # one wording with meetings: "… không phải thành viên đang sinh hoạt …"


def check_errors(*, club, on, checks, session=None):
    """The rules of one session, saving nothing: {field: [ValidationError]}. Per-member errors are keyed
    "<member pk>.blood_pressure", "<member pk>.weight" or "<member pk>.member" so a page puts each next to
    its row; `checks` are dicts: member, systolic, diastolic, weight."""
    errors = Errors()
    not_future(errors, "on", on)
    club_rules.within_club_life(errors, "on", on=on, club=club, before=SESSION_BEFORE_FOUNDED,
                                after=SESSION_AFTER_DISSOLVED)
    if not checks:
        errors.add(NON_FIELD_ERRORS, SESSION_NO_CHECKS, "no_checks")
    seen = set()
    for check in checks:
        member = check["member"]
        name = member.full_name
        if member.pk in seen:
            errors.add(f"{member.pk}.member", CHECK_TWICE, "twice", name=name)
            continue
        seen.add(member.pk)
        if on and (member.club_id != club.pk or not club_rules.member_on(
                joined_on=member.joined_on, left_on=member.left_on, on=on)):
            errors.add(f"{member.pk}.member", MEMBER_NOT_ACTIVE, "not_member", name=name)
        rules.blood_pressure(errors, f"{member.pk}.blood_pressure", name=name,
                             systolic=check.get("systolic"), diastolic=check.get("diastolic"))
        rules.weight(errors, f"{member.pk}.weight", name=name, weight=check.get("weight"))
    return errors


def health_session_check(*, club, on=None, checks=(), session=None, **_ignored):
    """The service's rules on what a form could read (clubs.fields.run_check), saving nothing."""
    check_errors(club=club, on=on, checks=list(checks), session=session).raise_if_any()


@transaction.atomic
def health_session_save(*, club, user, on, kind, organiser="", note="", checks, session=None):
    """Record a health session (session=None) or correct one. `checks`: the members checked, each a dict
    with member, systolic, diastolic, weight (None when not taken). Members of the session left out of
    `checks` are marked removed, never deleted; ticking them again brings their check back."""
    club = Club.objects.select_for_update().get(pk=club.pk)
    if session is None:
        club_takes_new_rows(club, CLUB_DISSOLVED_NO_SESSIONS)
    elif session.club_id != club.pk:
        raise HealthSession.DoesNotExist
    checks = list(checks)
    check_errors(club=club, on=on, checks=checks, session=session).raise_if_any()
    if session is None:
        session = HealthSession(club=club)
    session.date, session.kind = on, kind
    session.organiser, session.note = (organiser or "").strip(), (note or "").strip()
    clean_and_save(session, user=user)
    existing = {c.member_id: c for c in HealthCheck.objects.filter(session=session)}
    wanted = set()
    for values in checks:
        member = values["member"]
        wanted.add(member.pk)
        found = existing.get(member.pk) or HealthCheck(session=session, member=member)
        new = (values.get("systolic"), values.get("diastolic"), values.get("weight"), False)
        if found.pk and (found.systolic, found.diastolic, found.weight, found.removed) == new:
            continue
        found.systolic, found.diastolic, found.weight, found.removed = new
        clean_and_save(found, user=user)
    for member_id, found in existing.items():
        if member_id not in wanted and not found.removed:
            found.removed = True
            clean_and_save(found, user=user)
    return session
