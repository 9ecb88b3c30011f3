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
