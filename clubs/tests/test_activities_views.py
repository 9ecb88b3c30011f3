"""The monthly activity sheet, the year calendar and meetings, through the pages."""
import datetime

import pytest
from django.urls import reverse

from clubs.models import Activity, ActivityArea, Meeting
from clubs.tests.factories import ActivityFactory, MemberFactory

pytestmark = pytest.mark.django_db


def sheet_post(client, club, year, month, lines):
    """lines: {area: (date text, content, participants)}; the rest of the 16 lines stay blank."""
    url = reverse("clubs:activity_sheet", args=[club.code, year, month])
    formset = client.get(url).context["formset"]
    data = {
        "rows-TOTAL_FORMS": str(len(formset.forms)), "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "1000",
    }
    used = set()
    for i, form in enumerate(formset.forms):
        area = form.initial["area"]
        data[f"rows-{i}-area"] = str(area)
        data[f"rows-{i}-id"] = form.initial.get("id") or ""
        initial_date = form.initial.get("date")
        data[f"rows-{i}-date"] = initial_date.strftime("%d/%m/%Y") if initial_date else ""
        data[f"rows-{i}-content"] = form.initial.get("content") or ""
        data[f"rows-{i}-participants"] = form.initial.get("participants") or ""
        if area in lines and not form.initial.get("id") and area not in used:
            used.add(area)
            date, content, participants = lines[area]
            data.update({f"rows-{i}-date": date, f"rows-{i}-content": content, f"rows-{i}-participants": participants})
    return client.post(url, data)


def test_sheet_has_one_line_per_area_and_saves_in_one_submit(staff_a_client, club_a):
    url = reverse("clubs:activity_sheet", args=[club_a.code, 2025, 3])
    formset = staff_a_client.get(url).context["formset"]
    assert [f.initial["area"] for f in formset.forms] == list(ActivityArea.values)
    lines = {area: ("12", f"Hoạt động mảng {area}", "30") for area in ActivityArea.values}
    response = sheet_post(staff_a_client, club_a, 2025, 3, lines)
    assert response.status_code == 302
    assert Activity.objects.filter(club=club_a, date=datetime.date(2025, 3, 12)).count() == 8
    formset = staff_a_client.get(url).context["formset"]
    assert len(formset.forms) == 16  # each area: the recorded line plus a blank one


def test_a_bad_line_keeps_everything_typed_and_saves_nothing(staff_a_client, club_a):
    response = sheet_post(staff_a_client, club_a, 2025, 3, {
        1: ("05/03/2025", "Họp xét vay vốn", "25"), 2: ("05/04/2025", "Khám sức khỏe", "40"), 3: ("", "Thăm hộ", "x"),
    })
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert forms[1].errors["date"] == ["Ngày phải thuộc tháng 03/2025."]
    assert forms[2].errors["participants"] == ["Nhập số người, ví dụ 35."]
    html = response.content.decode()
    assert 'id="sheet-errors"' in html and "Họp xét vay vốn" in html
    assert not Activity.objects.exists()


def test_calendar_shows_areas_done_by_month(staff_a_client, club_a):
    ActivityFactory(club=club_a, date=datetime.date(2024, 2, 3), area=ActivityArea.RIGHTS)
    ActivityFactory(club=club_a, date=datetime.date(2024, 11, 3), area=ActivityArea.INCOME)
    response = staff_a_client.get(reverse("clubs:activities", args=[club_a.code]), {"year": 2024})
    cal = response.context["calendar"]
    assert [row["done"] for row in cal] == [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    html = response.content.decode()
    assert reverse("clubs:activity_sheet", args=[club_a.code, 2024, 2]) in html


def test_meeting_with_attendance(staff_a_client, club_a):
    present = MemberFactory(club=club_a)
    absent = MemberFactory(club=club_a)
    response = staff_a_client.post(reverse("clubs:meeting_add", args=[club_a.code]), {
        "held_on": "05/03/2025", "notes": "Sinh hoạt tháng 3, đo huyết áp", "attendees": [present.pk],
    })
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert list(meeting.attendees.all()) == [present]
    html = staff_a_client.get(reverse("clubs:meetings", args=[club_a.code])).content.decode()
    assert "05/03/2025" in html
    staff_a_client.post(reverse("clubs:meeting_edit", args=[club_a.code, meeting.pk]), {
        "held_on": "05/03/2025", "notes": "", "attendees": [present.pk, absent.pk],
    })
    assert meeting.attendees.count() == 2
    response = staff_a_client.post(reverse("clubs:meeting_add", args=[club_a.code]), {"held_on": "05/03/2025"})
    assert "05/03/2025" in response.context["form"].errors["held_on"][0]
