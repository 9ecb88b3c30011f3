"""The dashboard in real Chromium, with JavaScript off: date picker, drill-down, sorting, SVG charts."""
import pytest
from django.test import Client

from clubs.tests.factories import ClubFactory, add_members, commune, ensure_areas
from reporting.demo import seed_plan

from .builders import good_club

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_picks_a_date_drills_down_and_sorts_without_javascript(browser, officer, live_server):
    ensure_areas()  # an earlier transactional test may have flushed them
    seed_plan()
    good_club("CLB-A1", commune=commune("03388"))
    weak = ClubFactory(code="CLB-B1", commune=commune("03390"))
    add_members(weak, women=3, men=1)
    client = Client()
    client.force_login(officer)
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/reporting/")
    page.fill("#id_on", "31/12/2025")
    page.click("#date-form button[type=submit]")
    assert page.locator("#id_on").input_value() == "31/12/2025"
    assert page.locator("#club-matrix tbody tr").count() == 2
    assert page.locator("svg#chart-founded").is_visible()
    assert page.locator("#progress tr[data-indicator=clubs_active] td").nth(4).inner_text() == "2"

    # Sort the matrix by the number of members, smallest first; a second click reverses. (CLB-A1
    # leads in the default order by code, so the first click must visibly move CLB-B1 up.)
    page.click("#club-matrix thead >> text=TV")
    assert page.locator("#club-matrix tbody tr").first.get_attribute("data-club") == "CLB-B1"
    page.click("#club-matrix thead >> text=TV")
    assert page.locator("#club-matrix tbody tr").first.get_attribute("data-club") == "CLB-A1"

    # Province → former district 106 → its commune, keeping the date.
    page.click("#by-district tr[data-code='106'] a")
    assert "Huyện Tam Đường" in page.locator("#scope-name").inner_text()
    assert page.locator("#id_on").input_value() == "31/12/2025"
    page.click("#by-commune tr[data-code='03390'] a")
    assert "Bình Lư" in page.locator("#scope-name").inner_text()
    assert page.locator("#club-matrix tbody tr").count() == 1
    page.click("#club-matrix a:text('CLB-B1')")
    assert "/clubs/CLB-B1/" in page.url
    context.close()
