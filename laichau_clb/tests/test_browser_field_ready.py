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
