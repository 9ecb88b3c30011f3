"""The health pages in real Chromium: nothing scrolls sideways on a 390 px phone, axe finds nothing
serious (the walk of laichau_clb/tests/test_browser_field_ready.py, on these pages)."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from care.tests.factories import session_with
from clubs.tests.factories import ClubFactory, MemberFactory
from laichau_clb.tests.test_browser_field_ready import _walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_health_pages_fit_a_phone_and_pass_axe(browser, officer, live_server):
    club = ClubFactory(code="CLB-105-LONG", name="CLB liên thế hệ tự giúp nhau bản Nậm Loỏng Phường Đoàn Kết")
    people = [MemberFactory(club=club, full_name=f"Nguyễn Thị Phương Thảo Hoa {i}") for i in range(6)]
    session = session_with(club, datetime.date(2025, 3, 5), {m: (150 + i, 95, Decimal("52.5")) for i, m in enumerate(people)})
    session.organiser = "Trạm y tế xã Nậm Loỏng và Trung tâm y tế thành phố"
    session.save()
    pages = [reverse("care:club", args=[club.code]), reverse("care:session_add", args=[club.code]),
             reverse("care:session_edit", args=[club.code, session.pk]),
             reverse("care:member", args=[club.code, people[0].pk])]
    problems = _walk(browser, live_server, officer, pages)
    assert problems == [], "\n".join(problems)
