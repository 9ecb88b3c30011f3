"""In Chromium: choosing a former district narrows the commune list at once (htmx, no inline
script), and the loan book pages and filters."""
import datetime

import pytest

from clubs.models import Area
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, commune, district
from funds.tests.factories import LoanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _commune_values(page):
    return set(page.locator("#id_commune option").evaluate_all("els => els.map(e => e.value)")) - {""}


def test_commune_select_follows_the_district(page, login, officer, live_server):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    # Areas first: a transactional test before this one may have emptied the table.
    b, a, in_a = commune(COMMUNE_IN_B), district("105"), commune(COMMUNE_IN_A)
    # Read before any request is in flight: on SQLite the live server shares this thread's in-memory
    # connection, and a query from here while the server reads the commune list can hang both.
    expected = {str(pk) for pk in Area.objects.communes().filter(parent=a).values_list("pk", flat=True)}
    login(page, officer)
    page.goto(f"{live_server.url}/clubs/")
    assert str(b.pk) in _commune_values(page)
    page.select_option("#id_district", str(a.pk))
    page.wait_for_function(
        "n => document.querySelectorAll('#id_commune option').length === n", arg=len(expected) + 1)
    assert _commune_values(page) == expected and str(in_a.pk) in expected
    page.select_option("#id_commune", str(in_a.pk))
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**/clubs/?*")
    assert _commune_values(page) == expected
    assert not [e for e in errors if "Content Security Policy" in e]


def test_loan_book_filter_and_pages(page, login, staff_a, club_a, live_server):
    for i in range(55):
        LoanFactory(club=club_a, code=f"KV-{i:03d}", disbursed_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=i),
                    due_on=datetime.date(2023, 6, 1))
    login(page, staff_a)
    page.goto(f"{live_server.url}/clubs/{club_a.code}/funds/vay/")
    assert "Trang 1/2" in page.content()
    assert page.locator(".loan-book tbody tr").first.inner_text().startswith("KV-054")
    page.select_option("#id_status", "overdue")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name="»").click()
    page.wait_for_url("**page=2")
    assert "status=overdue" in page.url
    rows = page.locator(".loan-book tbody tr")
    assert rows.count() == 5 and "Quá hạn" in rows.first.inner_text()
