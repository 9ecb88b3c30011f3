"""The monthly activity sheet and meetings with attendance (issue 3, point 3)."""
import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from clubs import activity_services, services
from clubs.models import Activity, ActivityArea, Club, Meeting
from clubs.tests.factories import ActivityFactory, ClubFactory, MemberFactory, recorder

pytestmark = pytest.mark.django_db


def row(area, day=None, content="", participants=None, pk=None, month=(2025, 3)):
    date = datetime.date(*month, day) if day else None
    return {"id": pk, "area": int(area), "date": date, "content": content, "participants": participants}


def test_sheet_saves_all_areas_in_one_go_and_skips_blank_lines(club_a):
    rows = [row(a, 10, f"Nội dung {a}", 30) for a in ActivityArea] + [row(ActivityArea.HEALTH)]
    assert activity_services.activity_sheet_save(user=recorder(), club=club_a, year=2025, month=3, rows=rows) == (8, 0)
    assert set(club_a.activities.values_list("area", flat=True)) == set(ActivityArea.values)
    done = Club.objects.filter(pk=club_a.pk).with_areas_done(on=datetime.date(2025, 12, 31)).get().areas_done
    assert done == 8


def test_one_bad_line_saves_nothing_and_says_which_cell(club_a):
    rows = [
        row(ActivityArea.INCOME, 5, "Họp xét cho vay"),
        row(ActivityArea.HEALTH, None, "Đo huyết áp"),  # no date
        row(ActivityArea.CULTURE, 12, ""),  # no content
        {**row(ActivityArea.RIGHTS, None, "Tuyên truyền"), "date": datetime.date(2025, 4, 1)},  # other month
    ]
    with pytest.raises(ValidationError) as exc:
        activity_services.activity_sheet_save(user=recorder(), club=club_a, year=2025, month=3, rows=rows)
    errors = {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()}
    assert errors == {
        "1.date": [str(activity_services.ACTIVITY_DATE_REQUIRED)],
        "2.content": [str(activity_services.ACTIVITY_CONTENT_REQUIRED)],
        "3.date": ["Ngày phải thuộc tháng 03/2025."],
    }
    assert not Activity.objects.exists()


def test_activities_not_in_the_future_nor_before_founding():
    club = ClubFactory(founded_on=datetime.date(2025, 3, 15))
    with pytest.raises(ValidationError) as exc:
        activity_services.activity_sheet_save(user=recorder(), club=club, year=2025, month=3, rows=[row(1, 14, "Trước khi thành lập")])
    assert "15/03/2025" in exc.value.message_dict["0.date"][0]
    today = datetime.date.today()
    future = today + datetime.timedelta(days=1)
    if future.month == today.month:
        with pytest.raises(ValidationError) as exc:
            activity_services.activity_sheet_save(
                user=recorder(), club=club, year=today.year, month=today.month,
                rows=[{"id": None, "area": 1, "date": future, "content": "Ngày mai", "participants": None}],
            )
        assert "không được sau hôm nay" in exc.value.message_dict["0.date"][0]


def test_editing_a_line_updates_it_and_keeps_history(club_a):
    activity_services.activity_sheet_save(user=recorder(), club=club_a, year=2025, month=3, rows=[row(2, 10, "Đo huyết áp", 30)])
    activity = Activity.objects.get()
    assert activity_services.activity_sheet_save(
        user=recorder(), club=club_a, year=2025, month=3, rows=[row(2, 11, "Đo huyết áp, cân nặng", 32, pk=activity.pk)]
    ) == (0, 1)
    activity.refresh_from_db()
    assert (activity.date.day, activity.content, activity.participants) == (11, "Đo huyết áp, cân nặng", 32)
    assert activity.history.count() == 2


def test_unchanged_sheet_saves_nothing_new(club_a):
    activity_services.activity_sheet_save(user=recorder(), club=club_a, year=2025, month=3, rows=[row(2, 10, "Đo huyết áp", 30)])
    activity = Activity.objects.get()
    assert activity_services.activity_sheet_save(
        user=recorder(), club=club_a, year=2025, month=3, rows=[row(2, 10, "Đo huyết áp", 30, pk=activity.pk)]
    ) == (0, 0)
    assert activity.history.count() == 1


def test_recorded_lines_cannot_be_blanked_out(club_a):
    activity_services.activity_sheet_save(user=recorder(), club=club_a, year=2025, month=3, rows=[row(2, 10, "Đo huyết áp", 30)])
    pk = Activity.objects.get().pk
    with pytest.raises(ValidationError) as exc:
        activity_services.activity_sheet_save(user=recorder(), club=club_a, year=2025, month=3, rows=[row(2, None, "", None, pk=pk)])
    assert exc.value.message_dict["0.content"] == [str(activity_services.ACTIVITY_CANNOT_CLEAR)]
    assert Activity.objects.filter(pk=pk).exists()


def test_same_activity_twice_is_refused(club_a):
    ActivityFactory(club=club_a, date=datetime.date(2025, 3, 10), area=2, content="Đo huyết áp")
    with pytest.raises(ValidationError) as exc:
        activity_services.activity_sheet_save(user=recorder(), club=club_a, year=2025, month=3, rows=[row(2, 10, "đo huyết áp")])
    assert exc.value.message_dict["0.content"] == [str(activity_services.ACTIVITY_DUPLICATE)]
    with pytest.raises(ValidationError):
        activity_services.activity_sheet_save(user=recorder(), club=club_a, year=2025, month=3, rows=[row(3, 9, "Thăm"), row(3, 9, "Thăm")])


def test_a_sheet_never_touches_another_clubs_activity(club_a, club_b):
    theirs = ActivityFactory(club=club_b, date=datetime.date(2025, 3, 10), area=2, content="Của CLB khác")
    activity_services.activity_sheet_save(user=recorder(), club=club_a, year=2025, month=3, rows=[row(2, 11, "Sửa trộm", pk=theirs.pk)])
    theirs.refresh_from_db()
    assert theirs.content == "Của CLB khác" and theirs.club == club_b


def test_dissolved_club_takes_no_new_activities_or_meetings(club_a):
    services.club_dissolve(user=recorder(), club=club_a, dissolved_on=datetime.date(2025, 4, 1), reason="Giải thể")
    with pytest.raises(ValidationError) as exc:
        activity_services.activity_sheet_save(user=recorder(), club=club_a, year=2025, month=3, rows=[row(1, 10, "Sau giải thể")])
    assert exc.value.message_dict["0.date"] == [str(activity_services.CLUB_DISSOLVED_NO_ACTIVITIES)]
    with pytest.raises(ValidationError) as exc:
        activity_services.meeting_record(user=recorder(), club=club_a, held_on=datetime.date(2025, 3, 5), attendees=[])
    assert exc.value.message_dict[NON_FIELD_ERRORS] == [str(activity_services.CLUB_DISSOLVED_NO_MEETINGS)]


def test_meeting_records_who_was_present(club_a):
    present = [MemberFactory(club=club_a) for _ in range(3)]
    absent = MemberFactory(club=club_a)
    meeting = activity_services.meeting_record(user=recorder(), club=club_a, held_on=datetime.date(2025, 3, 5), attendees=present,
                                      notes="Sinh hoạt tháng 3")
    assert set(meeting.attendees.all()) == set(present)
    activity_services.meeting_record(user=recorder(), club=club_a, held_on=datetime.date(2025, 3, 5), attendees=[absent], meeting=meeting)
    assert list(Meeting.objects.get().attendees.all()) == [absent]


def test_meeting_rules(club_a, club_b):
    activity_services.meeting_record(user=recorder(), club=club_a, held_on=datetime.date(2025, 3, 5), attendees=[],
                            confirm_no_attendees=True)
    with pytest.raises(ValidationError) as exc:
        activity_services.meeting_record(user=recorder(), club=club_a, held_on=datetime.date(2025, 3, 5), attendees=[],
                                confirm_no_attendees=True)
    assert "05/03/2025" in exc.value.message_dict["held_on"][0]
    stranger = MemberFactory(club=club_b, full_name="Giàng A Lử")
    late = MemberFactory(club=club_a, joined_on=datetime.date(2025, 4, 1), full_name="Lò Văn Muộn")
    with pytest.raises(ValidationError) as exc:
        activity_services.meeting_record(user=recorder(), club=club_a, held_on=datetime.date(2025, 3, 20), attendees=[stranger, late])
    assert len(exc.value.message_dict["attendees"]) == 2
    assert Meeting.objects.count() == 1


def test_a_meeting_with_nobody_present_is_saved_only_once_confirmed(club_a):
    with pytest.raises(ValidationError) as exc:
        activity_services.meeting_record(user=recorder(), club=club_a, held_on=datetime.date(2025, 3, 5), attendees=[])
    assert exc.value.message_dict["attendees"] == [str(services.MEETING_NO_ATTENDEES)]
    assert not Meeting.objects.exists()
    activity_services.meeting_record(user=recorder(), club=club_a, held_on=datetime.date(2025, 3, 5), attendees=[],
                            confirm_no_attendees=True)
    assert Meeting.objects.count() == 1
