"""The health pages read in English for an officer who switched, and in Vietnamese by default."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from care.tests.factories import session_with
from clubs.tests.factories import MemberFactory
from clubs.tests.i18n import assert_pages_read, switch

pytestmark = pytest.mark.django_db


def test_health_pages_in_english_and_back(officer_client, club_a):
    mai = MemberFactory(club=club_a)
    session = session_with(club_a, datetime.date(2025, 3, 5), {mai: (150, 95, Decimal("52.5"))})
    urls = {
        "club": reverse("care:club", args=[club_a.code]),
        "entry": reverse("care:session_edit", args=[club_a.code, session.pk]),
        "member": reverse("care:member", args=[club_a.code, mai.pk]),
    }
    english = {
        "club": ["To follow up", "Health sessions", "Record a health session", "Measured at the monthly meeting",
                 ">Health</a>"],
        "entry": ["Members checked", "Blood pressure (mmHg)", "Weight (kg)", "Carried out by"],
        "member": ["Latest check", "High", "Member record"],
    }
    vietnamese = {
        "club": ["Cần theo dõi", "Các buổi khám/đo", "Đo tại buổi sinh hoạt hằng tháng", ">Sức khỏe</a>"],
        "entry": ["Thành viên được khám/đo", "Huyết áp (mmHg)", "Cân nặng (kg)"],
        "member": ["Lần khám/đo gần nhất", "Hồ sơ thành viên"],
    }
    assert_pages_read(officer_client, urls, vietnamese, hidden=english)
    switch(officer_client, "en")
    assert_pages_read(officer_client, urls, english, hidden=vietnamese)
    switch(officer_client, "vi")
    assert_pages_read(officer_client, urls, vietnamese)


def test_home_care_pages_in_english_and_back(officer_client, club_a):
    from care.tests.factories import care_for, visit_of
    from clubs.services import today

    on = today()
    pom = MemberFactory(club=club_a, is_homecare_volunteer=True)
    mai, hoa = MemberFactory.create_batch(2, club=club_a)
    care = care_for(mai, on.replace(day=1) - datetime.timedelta(days=40), volunteers=[pom])
    care_for(hoa, on.replace(day=1) - datetime.timedelta(days=40), volunteers=[pom])
    visit = visit_of(care, pom, on, kinds=["meals"])
    urls = {
        "home": reverse("care:home", args=[club_a.code]),
        "care": reverse("care:care_edit", args=[club_a.code, care.pk]),
        "add": reverse("care:care_add", args=[club_a.code]),
        "visit": reverse("care:visit_edit", args=[club_a.code, visit.pk]),
        "remove": reverse("care:visit_remove", args=[club_a.code, visit.pk]),
        "sheet": reverse("care:home_sheet", args=[club_a.code, on.year, on.month]),
        "member": reverse("care:member", args=[club_a.code, mai.pk]),
    }
    english = {
        "home": ["Home care", "Not visited this month", "Home-care volunteers", "Latest visit", "Limited mobility",
                 "Record a visit", "Care ended (0)"],
        "care": ["Cared for from", "Assigned volunteers", "Visits", "Meals"],
        "add": ["Add a home-care recipient", "Care recipient", "The first day without care"],
        "visit": ["Visit date", "Help given", "Personal care", "Remove this visit"],
        "remove": ["will no longer count"],
        "sheet": ["Home-care visit sheet for", "Not visited this month", "Help given (recorded for the new visits)",
                  "Days ", "Save the month's sheet"],
        "member": ["Home care", "Recent visits received", "Assigned volunteers"],
    }
    vietnamese = {
        "home": ["Chăm sóc tại nhà", "Chưa được thăm tháng này", "Lần thăm gần nhất", "Hạn chế vận động"],
        "care": ["Chăm sóc từ ngày", "Tình nguyện viên phụ trách", "Các lần thăm", "Bữa ăn"],
        "add": ["Thêm người được chăm sóc tại nhà", "Người được chăm sóc"],
        "visit": ["Ngày thăm", "Việc đã giúp", "Chăm sóc cá nhân", "Bỏ lần thăm này"],
        "remove": ["sẽ không được tính nữa"],
        "sheet": ["Sổ thăm chăm sóc tháng", "Chưa được thăm tháng này", "Lưu sổ tháng"],
        "member": ["Chăm sóc tại nhà", "Các lần được thăm gần đây"],
    }
    assert_pages_read(officer_client, urls, vietnamese, hidden=english)
    switch(officer_client, "en")
    assert_pages_read(officer_client, urls, english, hidden=vietnamese)
    response = officer_client.post(urls["visit"], {"volunteer": pom.pk, "date": "", "minutes": "0"})
    page = response.content.decode()
    assert "Select at least one kind of help given." in page and "Minutes must be between 1 and 1440." in page
    switch(officer_client, "vi")
    assert_pages_read(officer_client, urls, vietnamese)
