"""Every main page in real Chromium as a person in the field meets it: nothing scrolls sideways on a
390 px phone, the club list fits a 1366 px laptop, the data-entry sheets become cards on a phone, chart
text stays readable, and axe-core finds nothing serious or critical — as the officer and as district staff."""
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from conftest import DISTRICT_A

from .main_pages import LONG_NAMES, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# Only the test suite loads axe-core; no page served by the app refers to it.
AXE = (Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text()
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ` + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
}"""
WIDTH = "document.documentElement.scrollWidth"
# What sticks out past the right edge (outside any box that scrolls by itself): names the culprit.
STICKING_OUT = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; } return false; };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const out = [...document.querySelectorAll("body *")].filter((el) => el.getBoundingClientRect().right > limit && !scrolls(el));
  return out.filter((el) => !out.includes(el.parentElement)).slice(0, 4)
    .map((el) => `${name(el)} (${Math.round(el.getBoundingClientRect().right)} px)`);
}"""


def _context(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=viewport)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context


def _axe(page):
    # Evaluated through the DevTools protocol: the page's script-src policy stays as it is served.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    return page.evaluate(RUN_AXE)


def _open(page, live_server, path):
    response = page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("load")
    return response.status


def _walk(browser, live_server, user, pages):
    """Every page at phone and laptop width; returns the list of problems, one line each."""
    problems = []
    for viewport in (PHONE, LAPTOP):
        context = _context(browser, live_server, user, viewport)
        page = context.new_page()
        for path in pages:
            status = _open(page, live_server, path)
            if status != 200:
                problems.append(f"{path}: HTTP {status}")
                continue
            width = page.evaluate(WIDTH)
            if width > viewport["width"]:
                culprits = ", ".join(page.evaluate(STICKING_OUT))
                problems.append(f"{path} at {viewport['width']} px: page is {width} px wide: {culprits}")
            for violation in _axe(page):
                problems.append(f"{path} at {viewport['width']} px: axe {violation}")
        context.close()
    return problems


def test_every_main_page_fits_a_phone_and_passes_axe_as_the_officer(browser, officer, live_server):
    problems = _walk(browser, live_server, officer, main_pages(officer))
    assert problems == [], "\n".join(problems)


def test_every_main_page_fits_a_phone_and_passes_axe_as_district_staff(browser, staff_a, live_server):
    problems = _walk(browser, live_server, staff_a, main_pages(staff_a, district=DISTRICT_A))
    assert problems == [], "\n".join(problems)


@pytest.fixture
def world_for_officer(officer):
    main_pages(officer)
    return officer


# Each input of a sheet: is it inside the phone's width, does it have a visible label, is the row a card?
INPUTS_ON_PHONE = """(selector) => [...document.querySelectorAll(selector)].map((input) => {
  const box = input.getBoundingClientRect();
  const row = input.closest("tr");
  const cell = input.closest("td");
  const label = input.labels && input.labels[0];
  const labelShown = label ? label.getBoundingClientRect().width > 1 :
    getComputedStyle(cell, "::before").content.length > 2;
  return {name: input.name, left: box.left, right: box.right, width: box.width,
          card: ["block", "grid"].includes(getComputedStyle(row).display), labelShown};
})"""


@pytest.mark.parametrize("path, selector", [
    ("/clubs/CLB-A1/hoat-dong/2025/6/", "#activity-sheet input:not([type=hidden])"),
    ("/clubs/CLB-A1/funds/thu-no/", "#collection-table input"),
])
def test_data_entry_sheets_become_cards_on_a_phone(browser, world_for_officer, live_server, path, selector):
    context = _context(browser, live_server, world_for_officer, PHONE)
    page = context.new_page()
    _open(page, live_server, path)
    inputs = page.evaluate(INPUTS_ON_PHONE, selector)
    assert len(inputs) >= 6
    wrong = [i for i in inputs if not (i["card"] and i["labelShown"] and i["left"] >= 0 and i["right"] <= 390
                                       and i["width"] >= 150)]
    assert wrong == []
    # Every input can be typed into where it is: no sideways scrolling needed.
    first = page.locator(selector).first
    first.scroll_into_view_if_needed()
    first.fill("12")
    assert page.evaluate("window.scrollX") == 0
    # On a laptop the same sheet is a table again, one line per row.
    page.set_viewport_size(LAPTOP)
    assert page.evaluate("(s) => getComputedStyle(document.querySelector(s).closest('tr')).display", selector) == "table-row"
    context.close()


CHART_TEXT = """() => [...document.querySelectorAll("svg.chart text")].map((t) => {
  const svg = t.ownerSVGElement;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale};
})"""


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_chart_text_is_at_least_11_px(browser, world_for_officer, live_server, viewport):
    context = _context(browser, live_server, world_for_officer, viewport)
    page = context.new_page()
    _open(page, live_server, "/reporting/")
    texts = page.evaluate(CHART_TEXT)
    assert len(texts) > 20
    small = [t for t in texts if t["px"] < 11]
    assert small == []
    assert page.evaluate(WIDTH) <= viewport["width"]
    context.close()


CLUB_TABLE = """() => {
  const table = document.querySelector("#club-table");
  const box = table.parentElement;
  const headers = [...table.querySelectorAll("thead th")].map((th) => [th.textContent.trim(), th.getBoundingClientRect().right]);
  return {tableWidth: table.scrollWidth, boxWidth: box.clientWidth, headers, viewport: document.documentElement.clientWidth};
}"""


def test_club_list_fits_a_laptop_and_shows_distinct_names_on_a_phone(browser, world_for_officer, live_server):
    context = _context(browser, live_server, world_for_officer, LAPTOP)
    page = context.new_page()
    _open(page, live_server, "/clubs/")
    table = page.evaluate(CLUB_TABLE)
    assert table["tableWidth"] <= table["boxWidth"], table
    hidden = [name for name, right in table["headers"] if right > table["viewport"]]
    assert hidden == []
    assert {"Mảng HĐ", "Cơ cấu"} <= {name for name, _right in table["headers"]}
    # What red means is written under the table.
    legend = page.locator("#club-legend")
    assert "Số màu đỏ" in legend.inner_text() and "40 thành viên" in legend.inner_text()

    page.set_viewport_size(PHONE)
    for name in LONG_NAMES.values():
        cell = page.locator("#club-table td", has_text=name)
        box = cell.bounding_box()
        # The whole name, distinctive tail included, is on screen without scrolling the table.
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
        assert cell.evaluate("(td) => td.scrollWidth <= td.clientWidth")
    context.close()
