"""The home-care pages in real Chromium: nothing scrolls sideways on a 390 px phone, axe finds nothing
serious; and on a phone, the month sheet is filled and saved and the "not visited" flag goes."""
import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from care.models import Visit
from care.tests.factories import care_for, visit_of
from clubs.services import today
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, MemberFactory, commune
from laichau_clb.tests.test_browser_field_ready import PHONE, _context, _walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG = "Nguyễn Thị Phương Thảo Hoa"


def _club_with_home_care(recipients=6, volunteers=4):
    on = today()
    started = (on.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    club = ClubFactory(code="CLB-105-LONG", name="CLB liên thế hệ tự giúp nhau bản Nậm Loỏng Phường Đoàn Kết")
    helpers = [MemberFactory(club=club, full_name=f"Lò Văn Pọm Tình Nguyện {i}", is_homecare_volunteer=True)
               for i in range(volunteers)]
    cares = [care_for(MemberFactory(club=club, full_name=f"{LONG} {i}", birth_year=1938), started,
                      volunteers=helpers[:2]) for i in range(recipients)]
    return club, helpers, cares, started


def test_home_care_pages_fit_a_phone_and_pass_axe(browser, officer, live_server):
    club, helpers, cares, started = _club_with_home_care()
    visit = visit_of(cares[0], helpers[0], started, kinds=["meals", "cleaning", "reminders"], minutes=45)
    care_for(MemberFactory(club=club, full_name=f"{LONG} cũ"), started - datetime.timedelta(days=90), started)
    on = today()
    pages = [reverse("care:home", args=[club.code]), reverse("care:care_add", args=[club.code]),
             reverse("care:care_edit", args=[club.code, cares[0].pk]),
             reverse("care:visit_add", args=[club.code, cares[0].pk]),
             reverse("care:visit_edit", args=[club.code, visit.pk]),
             reverse("care:visit_remove", args=[club.code, visit.pk]),
             reverse("care:home_sheet", args=[club.code, on.year, on.month]),
             reverse("care:member", args=[club.code, cares[0].member_id])]
    problems = _walk(browser, live_server, officer, pages)
    assert problems == [], "\n".join(problems)


def test_fill_the_month_sheet_on_a_phone_and_the_flag_goes(browser, staff_a, live_server):
    club, helpers, cares, _started = _club_with_home_care(recipients=3, volunteers=2)
    club.commune = commune(COMMUNE_IN_A)
    club.save()
    on = today()
    context = _context(browser, live_server, staff_a, PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("care:home", args=[club.code]))
    expect(page.locator(".not-visited-flag")).to_have_count(3)
    page.click("#sheet-link")
    expect(page.locator("#sheet-table thead .not-visited-flag")).to_have_count(3)
    for care in cares:
        page.fill(f"input[name=c{helpers[0].pk}_{care.pk}]", f"{on.day}")
    page.fill(f"input[name=c{helpers[1].pk}_{cares[0].pk}]", "0")  # not a day: refused at its cell
    page.click("#sheet-save")
    expect(page.locator("#sheet-errors")).to_contain_text("Ngày “0” không có trong tháng")
    assert not Visit.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill(f"input[name=c{helpers[1].pk}_{cares[0].pk}]", "")
    page.click("#sheet-save")
    expect(page.locator(".alert-success")).to_contain_text("3 lần thăm mới")
    expect(page.locator(".not-visited-flag")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(live_server.url + reverse("care:home", args=[club.code]))
    expect(page.locator(".not-visited-flag")).to_have_count(0)
    assert Visit.objects.kept().count() == 3
    context.close()
