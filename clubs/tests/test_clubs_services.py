"""Rules for creating, editing and dissolving clubs (issue 3, points 1 and 6)."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from clubs import services
from clubs.models import Club, Track
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, ClubFactory, MemberFactory, commune, recorder

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def _create(user, **overrides):
    data = {
        "code": "CLB-NEW", "name": "CLB Nà Tăm", "commune": commune(COMMUNE_IN_A), "village": "Bản Nà Tăm",
        "founded_on": datetime.date(2023, 4, 1), "track": Track.NEW_BUDGET,
    }
    data.update(overrides)
    return services.club_create(user=user, **data)


def _messages(exc, field):
    return [str(m) for m in exc.value.message_dict[field]]


def test_district_staff_create_a_club_in_their_district(staff_a):
    club = _create(staff_a)
    assert Club.objects.get(code="CLB-NEW").commune.parent.code == "105"
    assert club.history.get().history_type == "+"


def test_district_staff_cannot_create_a_club_in_another_district(staff_a):
    with pytest.raises(ValidationError) as exc:
        _create(staff_a, commune=commune(COMMUNE_IN_B))
    assert _messages(exc, "commune") == [str(services.COMMUNE_NOT_ALLOWED)]
    assert not Club.objects.filter(code="CLB-NEW").exists()


def test_officer_creates_anywhere(officer):
    assert _create(officer, commune=commune(COMMUNE_IN_B)).commune.code == COMMUNE_IN_B


def test_club_code_is_unique_in_the_province_whatever_the_case(officer, club_b):
    with pytest.raises(ValidationError) as exc:
        _create(officer, code=club_b.code.lower())
    assert "CLB-B1".lower() in _messages(exc, "code")[0]


def test_founding_date_cannot_be_in_the_future(staff_a):
    with pytest.raises(ValidationError) as exc:
        _create(staff_a, founded_on=TODAY() + datetime.timedelta(days=1))
    assert "không được sau hôm nay" in _messages(exc, "founded_on")[0]


def test_rotation_track_needs_the_source_club_and_others_forbid_it(staff_a, club_a):
    with pytest.raises(ValidationError) as exc:
        _create(staff_a, track=Track.NEW_ROTATION)
    assert _messages(exc, "source_club") == [str(services.ROTATION_NEEDS_SOURCE)]
    with pytest.raises(ValidationError) as exc:
        _create(staff_a, track=Track.NEW_BUDGET, source_club=club_a)
    assert _messages(exc, "source_club") == [str(services.SOURCE_ONLY_FOR_ROTATION)]
    rotated = _create(staff_a, track=Track.NEW_ROTATION, source_club=club_a)
    assert list(club_a.rotated_clubs.all()) == [rotated]


def test_source_club_must_be_founded_first(staff_a):
    young = ClubFactory(founded_on=datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError) as exc:
        _create(staff_a, track=Track.NEW_ROTATION, source_club=young, founded_on=datetime.date(2023, 1, 1))
    assert "01/06/2024" in _messages(exc, "source_club")[0]


def test_update_keeps_founding_before_every_member_joined(staff_a, club_a):
    MemberFactory(club=club_a, joined_on=datetime.date(2022, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.club_update(user=staff_a, club=club_a, founded_on=datetime.date(2022, 5, 1))
    assert "01/03/2022" in _messages(exc, "founded_on")[0]
    club_a.refresh_from_db()
    assert club_a.founded_on == datetime.date(2022, 3, 1)


def test_update_records_who_changed_what(staff_a, club_a):
    services.club_update(user=staff_a, club=club_a, name="CLB Đoàn Kết mới")
    latest, previous = club_a.history.all()[:2]
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("name", "CLB Đoàn Kết", "CLB Đoàn Kết mới")]


def test_dissolving_keeps_the_club_and_its_members(club_a):
    member = MemberFactory(club=club_a)
    services.club_dissolve(user=recorder(), club=club_a, dissolved_on=datetime.date(2025, 6, 30), reason="Sáp nhập")
    club_a.refresh_from_db()
    assert club_a.dissolved_on == datetime.date(2025, 6, 30)
    assert club_a.members.get() == member
    assert not Club.objects.active(on=datetime.date(2025, 7, 1)).filter(pk=club_a.pk).exists()


def test_dissolution_needs_a_reason_a_past_date_not_before_founding(club_a):
    with pytest.raises(ValidationError) as exc:
        services.club_dissolve(user=recorder(), club=club_a, dissolved_on=datetime.date(2020, 1, 1), reason=" ")
    assert set(exc.value.message_dict) == {"dissolved_on", "dissolution_reason"}
    with pytest.raises(ValidationError) as exc:
        services.club_dissolve(user=recorder(), club=club_a, dissolved_on=TODAY() + datetime.timedelta(days=3), reason="x")
    assert "dissolved_on" in exc.value.message_dict
    club_a.refresh_from_db()
    assert club_a.dissolved_on is None


def test_a_club_is_dissolved_only_once(club_a):
    services.club_dissolve(user=recorder(), club=club_a, dissolved_on=datetime.date(2025, 1, 1), reason="Giải thể")
    with pytest.raises(ValidationError, match="đã giải thể ngày 01/01/2025"):
        services.club_dissolve(user=recorder(), club=club_a, dissolved_on=datetime.date(2025, 2, 1), reason="Lần hai")


def test_district_staff_may_not_name_another_districts_club_as_source(staff_a, club_b):
    with pytest.raises(ValidationError) as exc:
        # club_b founded later than the new club: the message must not give its date away either.
        _create(staff_a, track=Track.NEW_ROTATION, source_club=club_b, founded_on=club_b.founded_on - datetime.timedelta(days=9))
    assert _messages(exc, "source_club") == [str(services.CLUB_NOT_AVAILABLE % {"code": club_b.code})]
