"""The main pages in real Chromium under the policy: no violation reported, the page behaviours work."""
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from .main_pages import main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def test_main_pages_load_without_a_csp_violation(browser, officer, live_server):
    pages = main_pages(officer)
    client = Client()
    client.force_login(officer)
    context = browser.new_context(locale="vi-VN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text))
    for path in [*pages, "/khong-co-trang-nay/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__cspViolations") == [], path
    assert [line for line in console if "Content Security Policy" in line] == []

    # What used to be inline handlers still works from the static script.
    page.goto(f"{live_server.url}/clubs/CLB-A1/sinh-hoat/them/")
    page.click("[data-check-all]")
    boxes = page.locator("#meeting-form input[name=attendees]")
    assert boxes.count() > 0 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert re.search(r"/sinh-hoat/them/$", page.url)
    assert page.evaluate("window.__cspViolations") == []
    context.close()
