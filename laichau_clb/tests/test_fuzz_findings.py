"""The server errors the issue-18 fuzzer found, each now a Vietnamese message or a 404."""
import datetime

import pytest
from django.urls import reverse

from clubs.fields import DATE_OUT_OF_RANGE
from clubs.models import Activity, Meeting
from clubs.tests.factories import MemberFactory

from .test_fuzz_every_url import _fields

pytestmark = pytest.mark.django_db


def test_a_tampered_hidden_area_on_the_activity_sheet_is_refused(staff_a_client, club_a):
    url = reverse("clubs:activity_sheet", args=[club_a.code, 2024, 3])
    fields = _fields(staff_a_client.get(url).content.decode())
    data = {name: (values[0] if values else "") for name, values in fields.items()}
    data.update({"rows-0-area": "99", "rows-0-date": "05/03/2024", "rows-0-content": "Đo huyết áp"})
    response = staff_a_client.post(url, data)
    assert response.status_code == 200 and "Chưa lưu" in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize("on", ["01/01/0060", "31/12/0001", "0001-01-01"])
def test_a_date_before_any_club_on_a_club_page_is_a_message(staff_a_client, club_a, on):
    response = staff_a_client.get(reverse("clubs:detail", args=[club_a.code]), {"on": on})
    assert response.status_code == 200
    assert str(DATE_OUT_OF_RANGE) in response.content.decode()


@pytest.mark.parametrize("name", ["cash_book", "statement"])
def test_a_period_from_year_one_is_a_message(staff_a_client, club_a, name):
    args = [club_a.code, "income"] if name == "cash_book" else [club_a.code]
    response = staff_a_client.get(reverse(f"funds:{name}", args=args), {"start": "01/01/0001", "end": "31/12/2025"})
    assert response.status_code == 200
    assert str(DATE_OUT_OF_RANGE) in response.content.decode()


@pytest.mark.parametrize("url", ["/clubs/?q=a%00b", "/clubs/tim-thanh-vien/?q=%00", "/workbook/xuat.xlsx?club=A%00B",
                                 "/workbook/xuat.xlsx?area=1%00", "/reporting/?area=district:105%00",
                                 "/clubs/CLB%00X/"])
def test_a_nul_character_in_a_code_or_parameter_is_a_404(staff_a_client, club_a, url):
    assert staff_a_client.get(url).status_code == 404


def test_a_huge_attendee_id_is_an_invalid_choice(staff_a_client, club_a):
    MemberFactory(club=club_a, joined_on=datetime.date(2023, 3, 1))
    response = staff_a_client.post(reverse("clubs:meeting_add", args=[club_a.code]), {
        "held_on": "05/03/2024", "attendees": ["99999999999999999999"]})
    assert response.status_code == 200 and "attendees" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_a_huge_commune_in_the_club_list_filter_is_ignored_not_a_crash(staff_a_client, club_a):
    assert staff_a_client.get("/clubs/", {"commune": "99999999999999999999"}).status_code == 200
