"""In Chromium: a form whose answer is a file keeps the page, so its button comes back."""
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_button_comes_back_after_the_download(page, login, staff_a, club_a, live_server):
    login(page, staff_a)
    page.goto(f"{live_server.url}/workbook/")
    button = page.locator("#export-form button[type=submit]")
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    expect(button).to_be_disabled()
    expect(button).to_be_enabled()
