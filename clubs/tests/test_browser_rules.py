"""Issue 12 in Chromium: "Chọn tất cả" ticks only the members of the club on the meeting's date, and
the collection sheet's "Điền theo số đề xuất" fills the grey suggestions as real amounts."""
import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clubs.models import Meeting
from clubs.tests.factories import MemberFactory
from funds.models import Repayment
from funds.tests.factories import FundEntryFactory, LoanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choose_all_ticks_only_who_was_a_member_on_the_meeting_date(page, login, staff_a, live_server, club_a):
    early = MemberFactory(club=club_a, full_name="Lò Thị Sớm", joined_on=datetime.date(2022, 3, 1))
    late = MemberFactory(club=club_a, full_name="Lò Văn Muộn", joined_on=datetime.date(2025, 4, 1))
    login(page, staff_a)
    page.goto(live_server.url + reverse("clubs:meeting_add", args=[club_a.code]))
    page.fill("#id_held_on", "05/03/2025")
    page.click("text=Chọn tất cả")
    expect(page.locator(f"input[name=attendees][value='{early.pk}']")).to_be_checked()
    expect(page.locator(f"input[name=attendees][value='{late.pk}']")).not_to_be_checked()
    # A later date: both were members by then.
    page.fill("#id_held_on", "05/05/2025")
    page.click("text=Chọn tất cả")
    expect(page.locator(f"input[name=attendees][value='{late.pk}']")).to_be_checked()
    page.fill("#id_held_on", "05/03/2025")
    page.click("text=Chọn tất cả")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_url(re.compile(r"/sinh-hoat/$"))
    assert list(Meeting.objects.get().attendees.all()) == [early]


def test_fill_suggested_amounts_then_save(page, login, staff_a, live_server, club_a):
    FundEntryFactory(club=club_a, amount=20_000_000, date=datetime.date(2022, 4, 1))
    loan = LoanFactory(club=club_a, principal=1_200_000, disbursed_on=datetime.date(2022, 5, 1),
                       due_on=datetime.date(2023, 5, 1))
    login(page, staff_a)
    page.goto(live_server.url + reverse("funds:collection", args=[club_a.code]))
    cell = page.locator(f"input[name=principal_{loan.pk}]")
    expect(cell).to_have_value("")
    expect(cell).to_have_attribute("placeholder", "100.000")
    page.fill("#id_on", "10/06/2022")
    page.click("#fill-suggested")
    expect(page.locator("#filled-notice")).to_be_visible()
    expect(page.locator(f"input[name=principal_{loan.pk}]")).to_have_value("100.000")
    assert not Repayment.objects.exists()
    page.click("#collection-form button[name=save]")
    expect(page.locator(".alert-success")).to_contain_text("100.000 đ")
    assert Repayment.objects.get().principal == 100_000
