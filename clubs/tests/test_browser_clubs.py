"""District staff create a club, add three members, fill a month of activities, and watch the panel change."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from clubs.models import Activity, Club
from clubs.tests.factories import COMMUNE_IN_A, commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_district_staff_build_a_club_and_watch_its_composition(page, login, staff_a, live_server):
    today = datetime.date.today()
    commune_a = commune(COMMUNE_IN_A)
    login(page, staff_a)

    page.goto(f"{live_server.url}/clubs/")
    page.click("#club-create")
    page.fill("#id_code", "CLB-105-77")
    page.fill("#id_name", "CLB liên thế hệ Tổ 7")
    page.select_option("#id_commune", str(commune_a.pk))
    page.fill("#id_village", "Tổ dân phố 7")
    page.fill("#id_founded_on", f"15/01/{today.year - 1}")
    page.select_option("#id_track", "new_budget")
    page.click("#club-form button[type=submit]")

    page.wait_for_url(re.compile(r"/clubs/CLB-105-77/$"))
    expect(page.locator("#check-size")).to_contain_text("0")
    expect(page.locator("#shortfalls")).to_contain_text("cần thêm 40 thành viên")

    people = [("Lò Thị Xuân", "female", "1950"), ("Nguyễn Thị Hoa", "female", "1985"), ("Giàng A Páo", "male", "1948")]
    page.click("text=Thêm thành viên")
    for i, (name, gender, year) in enumerate(people):
        page.fill("#id_full_name", name)
        page.check(f"input[name=gender][value={gender}]")
        page.fill("#id_birth_year", year)
        page.fill("#id_joined_on", f"01/02/{today.year - 1}")
        page.click("#save-add-another" if i < 2 else "#member-form button[name=save]")
        expect(page.locator(".alert-success")).to_contain_text(name)
    expect(page.locator("#member-table tbody tr")).to_have_count(3)
    expect(page.locator("#member-table")).to_contain_text("TV003")

    page.click("#club-nav >> text=Tổng quan")
    expect(page.locator("#check-size td").first).to_have_text("3")
    expect(page.locator("#check-women")).to_contain_text("2")
    expect(page.locator("#check-older")).to_contain_text("2")
    expect(page.locator("#shortfalls")).to_contain_text("cần thêm 37 thành viên")
    expect(page.locator("#check-areas")).to_contain_text("0/8")

    page.click("text=Sổ hoạt động tháng này")
    rows = page.locator("#activity-sheet tr.activity-row")
    expect(rows).to_have_count(8)
    for i in range(8):
        row = rows.nth(i)
        row.locator("input[name$=-date]").fill("1")  # the day is enough: this month, this year
        row.locator("input[name$=-content]").fill(f"Hoạt động mảng {i + 1} trong tháng")
        row.locator("input[name$=-participants]").fill("3")
    page.click("#sheet-save")
    expect(page.locator(".alert-success")).to_contain_text("8 mới")
    assert Activity.objects.filter(club__code="CLB-105-77", date=today.replace(day=1)).count() == 8

    page.click("#club-nav >> text=Tổng quan")
    expect(page.locator("#check-areas")).to_contain_text("8/8")
    expect(page.locator("#check-areas")).to_contain_text("Đủ 8 mảng")
    month_row = page.locator(f"#activity-calendar tr[data-month='{today.month}'] td.done-count")
    expect(month_row).to_have_text("8")
    assert Club.objects.get(code="CLB-105-77").commune == commune_a
