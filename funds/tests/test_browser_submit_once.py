"""In Chromium: a double click on "Giải ngân" sends one request, and the page stays usable when the
browser shows it again (back button, bfcache). The script is static/js/submit-once.js, on every page."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from clubs.tests.factories import MemberFactory
from funds.models import Loan

from .factories import FundEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_double_click_sends_one_disbursement(page, login, staff_a, club_a, live_server):
    FundEntryFactory(club=club_a, amount=30_000_000, date=datetime.date(2022, 4, 1))
    member = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    login(page, staff_a)
    page.goto(f"{live_server.url}/clubs/{club_a.code}/funds/vay/moi/")
    page.select_option("#id_member", str(member.pk))
    page.fill("#id_principal", "5.000.000")
    page.fill("#id_due_on", (datetime.date.today() + datetime.timedelta(days=180)).strftime("%d/%m/%Y"))

    # The first answer is "204 No Content", which keeps the page in place (as a file download does):
    # what the buttons do after a click can then be read at leisure.
    posts = []

    def no_content(route):
        posts.append(route.request)
        route.fulfill(status=204)

    loan_form = re.compile(r"/vay/moi/$")
    page.route(loan_form, lambda route: no_content(route) if route.request.method == "POST"
               else route.continue_())
    button = page.get_by_role("button", name="Giải ngân")
    button.dblclick()
    expect(button).to_be_disabled()
    page.locator("#id_principal").press("Enter")  # a third try, from the keyboard
    page.wait_for_timeout(300)
    assert len(posts) == 1 and not Loan.objects.exists()

    # Shown again from the browser's cache (back, forward): the buttons work again.
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(button).to_be_enabled()

    page.unroute(loan_form)
    button.click()
    page.wait_for_url("**/vay/*/")
    expect(page.locator(".alert-success")).to_contain_text("Đã giải ngân khoản vay")
    assert Loan.objects.count() == 1
    page.go_back()
    expect(page.get_by_role("button", name="Giải ngân")).to_be_enabled()
