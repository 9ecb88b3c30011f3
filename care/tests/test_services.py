"""health_session_save: what is saved, what is refused and with which message."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from care import rules, services
from care.models import HealthCheck, HealthSession
from clubs.models import Club
from clubs.tests.factories import MemberFactory, recorder

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 3, 5)


def save(club, checks, on=ON, **extra):
    return services.health_session_save(club=club, user=recorder(), on=on, kind=HealthSession.Kind.MONTHLY,
                                        organiser="Trạm y tế xã", note="", checks=checks, **extra)


def reading(member, systolic=None, diastolic=None, weight=None):
    return {"member": member, "systolic": systolic, "diastolic": diastolic, "weight": weight}


def codes(exc):
    return {key: [e.code for e in errors] for key, errors in exc.value.error_dict.items()}


def messages(exc):
    return [m for errors in exc.value.error_dict.values() for e in errors for m in e.messages]


def test_valid_session_saved_with_its_author_in_the_history(club_a):
    mai, hoa = MemberFactory.create_batch(2, club=club_a)
    session = save(club_a, [reading(mai, 150, 95, Decimal("52.5")), reading(hoa)])
    assert session.organiser == "Trạm y tế xã"
    checks = {c.member_id: c for c in session.checks.all()}
    assert (checks[mai.pk].systolic, checks[mai.pk].diastolic, checks[mai.pk].weight) == (150, 95, Decimal("52.5"))
    assert checks[mai.pk].is_high and not checks[hoa.pk].is_high
    assert session.history.get().history_user == recorder()
    assert checks[mai.pk].history.get().history_user == recorder()


def test_editing_removes_a_member_softly_and_brings_them_back(club_a):
    mai, hoa = MemberFactory.create_batch(2, club=club_a)
    session = save(club_a, [reading(mai, 120, 80), reading(hoa, 130, 85)])
    save(club_a, [reading(mai, 125, 80)], session=session)
    assert list(HealthCheck.objects.kept().filter(session=session).values_list("member_id", "systolic")) == [(mai.pk, 125)]
    gone = HealthCheck.objects.get(session=session, member=hoa)
    assert gone.removed and gone.systolic == 130  # kept, with what was read
    save(club_a, [reading(mai, 125, 80), reading(hoa, 128, 82)], session=session)
    assert HealthCheck.objects.kept().filter(session=session).count() == 2
    assert HealthSession.objects.count() == 1
    assert [h.removed for h in gone.history.order_by("history_date")] == [False, True, False]


@pytest.mark.parametrize("systolic, diastolic, weight, message", [
    (59, 40, None, rules.SYSTOLIC_RANGE),
    (261, 90, None, rules.SYSTOLIC_RANGE),
    (120, 29, None, rules.DIASTOLIC_RANGE),
    (200, 161, None, rules.DIASTOLIC_RANGE),
    (120, 120, None, rules.DIASTOLIC_NOT_BELOW),
    (120, None, None, rules.BP_INCOMPLETE),
    (None, None, Decimal("19.9"), rules.WEIGHT_RANGE),
    (None, None, Decimal("200.1"), rules.WEIGHT_RANGE),
    (None, None, Decimal("52.55"), rules.WEIGHT_DECIMALS),
])
def test_out_of_range_readings_refused_naming_the_member(club_a, systolic, diastolic, weight, message):
    mai = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    with pytest.raises(ValidationError) as exc:
        save(club_a, [reading(mai, systolic, diastolic, weight)])
    found = exc.value.error_dict
    assert [e.message for errors in found.values() for e in errors] == [message]
    assert messages(exc)[0].startswith("Lò Thị Mai: ")
    assert not HealthSession.objects.exists()


@pytest.mark.parametrize("systolic, diastolic, weight", [(60, 30, Decimal("20")), (260, 159, Decimal("200.0"))])
def test_range_ends_are_accepted(club_a, systolic, diastolic, weight):
    save(club_a, [reading(MemberFactory(club=club_a), systolic, diastolic, weight)])
    assert HealthCheck.objects.count() == 1


def test_member_not_active_that_day_refused(club_a):
    left = MemberFactory(club=club_a, full_name="Lò Văn Pọm", left_on=datetime.date(2025, 1, 1))
    later = MemberFactory(club=club_a, full_name="Giàng A Páo", joined_on=datetime.date(2025, 6, 1))
    other = MemberFactory(club=Club.objects.create(code="X", name="X", commune=club_a.commune,
                                                   founded_on=club_a.founded_on, track=club_a.track))
    with pytest.raises(ValidationError) as exc:
        save(club_a, [reading(left), reading(later), reading(other)])
    assert codes(exc) == {f"{left.pk}.member": ["not_member"], f"{later.pk}.member": ["not_member"],
                          f"{other.pk}.member": ["not_member"]}
    assert "Lò Văn Pọm không phải thành viên đang sinh hoạt" in " ".join(messages(exc))


def test_future_date_refused(club_a):
    with pytest.raises(ValidationError) as exc:
        save(club_a, [reading(MemberFactory(club=club_a))], on=services.today() + datetime.timedelta(days=1))
    assert codes(exc) == {"on": ["future"]}
    assert exc.value.error_dict["on"][0].message == services.DATE_IN_FUTURE


def test_before_founding_refused(club_a):
    member = MemberFactory(club=club_a)
    with pytest.raises(ValidationError) as exc:
        save(club_a, [reading(member)], on=club_a.founded_on - datetime.timedelta(days=1))
    assert exc.value.error_dict["on"][0].message == services.SESSION_BEFORE_FOUNDED
    assert "01/03/2022" in messages(exc)[0]


def test_dissolved_club_takes_no_new_session(club_a):
    member = MemberFactory(club=club_a)
    Club.objects.filter(pk=club_a.pk).update(dissolved_on=datetime.date(2025, 6, 1), dissolution_reason="x")
    with pytest.raises(ValidationError) as exc:
        save(club_a, [reading(member)])
    assert messages(exc) == [str(services.CLUB_DISSOLVED_NO_SESSIONS)]


def test_a_session_with_nobody_refused_and_all_errors_together(club_a):
    with pytest.raises(ValidationError) as exc:
        save(club_a, [], on=club_a.founded_on - datetime.timedelta(days=1))
    assert codes(exc) == {"__all__": ["no_checks"], "on": ["before_founded"]}


def test_founding_cannot_move_after_a_session(club_a):
    from clubs import services as club_services

    save(club_a, [reading(MemberFactory(club=club_a, joined_on=datetime.date(2022, 3, 1)))])
    with pytest.raises(ValidationError) as exc:
        club_services.club_update(user=recorder(), club=club_a, founded_on=datetime.date(2025, 4, 1))
    assert "buổi khám/đo sức khỏe ngày 05/03/2025" in " ".join(exc.value.messages)


def test_is_high_and_parsing():
    assert rules.is_high(140, 80) and rules.is_high(120, 90) and not rules.is_high(139, 89)
    assert not rules.is_high(None, None)
    assert rules.parse_blood_pressure(" 120 / 80 ", name="A") == (120, 80)
    assert rules.parse_weight("52,5", name="A") == Decimal("52.5")
    for bad in ("120-80", "120", "abc/80"):
        with pytest.raises(ValidationError):
            rules.parse_blood_pressure(bad, name="A")
    for bad in ("năm mươi", "5,2,1", "nan", "inf"):
        with pytest.raises(ValidationError):
            rules.parse_weight(bad, name="A")


def test_joining_cannot_move_after_a_members_first_check_unless_it_was_removed(club_a):
    from clubs import services as club_services

    mai, hoa = MemberFactory.create_batch(2, club=club_a, joined_on=datetime.date(2022, 3, 1))
    session = save(club_a, [reading(mai, 120, 80), reading(hoa, 120, 80)])
    with pytest.raises(ValidationError) as exc:
        club_services.member_update(user=recorder(), member=mai, joined_on=datetime.date(2025, 4, 1))
    assert "Đã có kết quả khám/đo ngày 05/03/2025" in " ".join(exc.value.messages)
    save(club_a, [reading(mai, 120, 80)], session=session)  # hoa taken off the session
    club_services.member_update(user=recorder(), member=hoa, joined_on=datetime.date(2025, 4, 1))
    hoa.refresh_from_db()
    assert hoa.joined_on == datetime.date(2025, 4, 1)
