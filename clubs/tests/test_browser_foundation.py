import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_district_staff_see_only_their_district_and_officer_sees_all(page, login, staff_a, officer, club_a, club_b, live_server):
    login(page, staff_a)
    page.goto(f"{live_server.url}/clubs/")
    table = page.locator("#club-table")
    assert club_a.code in table.inner_text()
    assert club_b.code not in table.inner_text()
    assert "Thành phố Lai Châu" in page.locator("#whoami").inner_text()

    page.context.clear_cookies()
    login(page, officer)
    page.goto(f"{live_server.url}/clubs/")
    text = page.locator("#club-table").inner_text()
    assert club_a.code in text and club_b.code in text
