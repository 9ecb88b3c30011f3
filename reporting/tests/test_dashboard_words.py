"""What the dashboard says: a reference date it cannot show is refused next to the field, a share of
nothing is "—", and the report and plan lists page."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clubs.tests.factories import ClubFactory, commune
from reporting import report_views, views
from reporting.demo import seed_plan
from reporting.models import AnnualReport, Plan, Target

from .builders import good_club

pytestmark = pytest.mark.django_db
URL = reverse("reporting:dashboard")


def _field_error(html):
    match = re.search(r'id="id_on_error">(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else ""


@pytest.mark.parametrize("typed", ["01/01/1990", "01/01/2030", "1990-01-01"])
def test_dates_outside_the_data_are_refused_next_to_the_field(officer_client, typed):
    good_club("CLB-A1", commune=commune("03388"))
    response = officer_client.get(URL, {"on": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["on"] == timezone.localdate()  # today's figures, said so
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert _field_error(html) == (f"Ngày chốt số liệu phải từ 01/01/2017 đến hôm nay ({today}). "
                                  "Đang hiển thị số liệu hôm nay.")
    assert 'id="id_on" value="' in html and "is-invalid" in html


def test_first_year_and_today_are_accepted_and_an_older_club_widens_the_range(officer_client):
    assert officer_client.get(URL, {"on": "01/01/2017"}).context["on"] == datetime.date(2017, 1, 1)
    today = timezone.localdate()
    assert _field_error(officer_client.get(URL, {"on": today.strftime("%d/%m/%Y")}).content.decode()) == ""
    assert "01/01/2017" in _field_error(officer_client.get(URL, {"on": "31/12/2015"}).content.decode())
    ClubFactory(code="CLB-CU", founded_on=datetime.date(2015, 6, 1))
    response = officer_client.get(URL, {"on": "31/12/2015"})
    assert response.context["on"] == datetime.date(2015, 12, 31) and _field_error(response.content.decode()) == ""


def test_unreadable_date_says_so(officer_client):
    html = officer_client.get(URL, {"on": "32/13/2025"}).content.decode()
    assert _field_error(html) == "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy. Đang hiển thị số liệu hôm nay."


def _cells(html, table, code):
    body = re.search(rf'<table[^>]*id="{table}">(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', body, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_communes_without_clubs_show_a_dash_for_shares(officer_client):
    plan = seed_plan()
    # The commune's own share target: a commune page compares with its own targets only.
    Target.objects.create(plan=plan, area=commune("03390"), indicator="clubs_well_run", year=2025, value=70,
                          unit=Target.Unit.PERCENT)
    good_club("CLB-A1", commune=commune("03388"), borrowers=0)
    html = officer_client.get(URL, {"on": "31/12/2025"}).content.decode()
    empty = _cells(html, "by-commune", "03390")
    # Xã, CLB, TV, % nữ, % NCT, …, Dư nợ, PAR30
    assert empty[1:3] == ["0", "0"] and empty[3:5] == ["—", "—"] and empty[-1] == "—"
    with_club = _cells(html, "by-commune", "03388")
    assert with_club[3] == "70,0" and with_club[-1] == "—"  # members but no loan outstanding: PAR30 of nothing
    district = _cells(html, "by-district", "106")
    assert district[3:5] == ["—", "—"]
    # The headline of a commune scope without clubs.
    commune_page = officer_client.get(URL, {"on": "31/12/2025", "area": "commune:03390"}).content.decode()
    start = commune_page.index('id="headline"')
    cards = " ".join(re.sub(r"<[^>]+>", " ", commune_page[start:commune_page.index("Biểu đồ", start)]).split())
    assert "Tỷ lệ nữ —" in cards and "Tỷ lệ người cao tuổi —" in cards and "0,0%" not in cards
    # Plan targets that are shares of clubs: nothing to measure, not "0,0% Đạt".
    assert "Chưa có số liệu để tính tỷ lệ" in cards


def test_report_and_plan_lists_page(officer_client, officer, monkeypatch):
    from clubs.models import Area

    monkeypatch.setattr(report_views, "REPORTS_PER_PAGE", 2)
    monkeypatch.setattr(views, "PLANS_PER_PAGE", 2)
    province = Area.objects.get(level=Area.Level.PROVINCE)
    for year in (2022, 2023, 2024):
        AnnualReport.objects.create(year=year, area=province, created_by=officer)
        Plan.objects.create(name=f"Kế hoạch {year}", area=province, start_year=year, end_year=year + 1)
    reports = officer_client.get(reverse("reporting:reports"))
    assert [r.year for r in reports.context["reports"]] == [2024, 2023] and "Trang 1/2" in reports.content.decode()
    assert [r.year for r in officer_client.get(reverse("reporting:reports"), {"page": 2}).context["reports"]] == [2022]
    plans = officer_client.get(reverse("reporting:plans"))
    assert [p.start_year for p in plans.context["plans"]] == [2024, 2023] and "Trang 1/2" in plans.content.decode()
