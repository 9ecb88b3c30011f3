"""The token page and the API docs page in real Chromium: a 390 px phone, axe, and a docs page that
draws from the app's own files under its Content-Security-Policy."""
import pytest

from api.services import token_create, token_revoke
from laichau_clb.tests.test_browser_field_ready import PHONE, WIDTH, _axe, _context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_token_page_fits_a_phone_and_passes_axe(browser, live_server, officer, staff_a):
    token, _key = token_create(user=staff_a, name="Tổng hợp toàn quốc của Hội Người cao tuổi Việt Nam", actor=officer)
    token_revoke(token=token, actor=officer)
    token_create(user=officer, name="Bảng điều khiển của Sở Lao động", actor=officer)
    # At the phone's width only: at 1366 px the officer's navigation bar of main is already 26 px too
    # wide on every page (the language form), which is not this page's doing.
    context = _context(browser, live_server, officer, PHONE)
    page = context.new_page()
    assert page.goto(f"{live_server.url}/api/tokens/").status == 200
    assert page.evaluate(WIDTH) <= PHONE["width"]
    assert _axe(page) == []
    assert page.locator("#tokens tbody tr").count() == 2
    context.close()


def test_the_new_key_shows_once_on_a_phone(browser, live_server, officer, staff_a):
    context = _context(browser, live_server, officer, PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/api/tokens/")
    page.select_option("#id_user", str(staff_a.pk))
    page.fill("#id_name", "tổng hợp toàn quốc")
    page.click("#token-form button[type=submit]")
    key = page.text_content("#api-key")
    assert key.startswith("lcclb_")
    assert page.evaluate(WIDTH) <= PHONE["width"]
    assert _axe(page) == []
    page.goto(f"{live_server.url}/api/tokens/")
    assert key not in page.content()
    context.close()


def test_docs_page_draws_the_schema_from_the_app_alone(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    elsewhere, console = [], []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) or request.url.startswith("data:")
            else elsewhere.append(request.url))
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector("#swagger-ui .opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_text_contents()
    assert any("/api/v1/indicators" in p for p in paths)
    assert elsewhere == []
    assert [text for text in console if "Content Security Policy" in text] == []
    context.close()
