"""The dashboard as officers and district staff see it: scope, date, drill-down, charts, queries."""
import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clubs.models import Track
from clubs.tests.factories import ClubFactory, add_members, commune
from reporting.demo import seed_plan

from .builders import good_club, loan

pytestmark = pytest.mark.django_db
URL = reverse("reporting:dashboard")
D = "2025-12-31"


def _text(response):
    return response.content.decode()


def test_anonymous_is_sent_to_login_and_staffless_user_refused(anon_client, client, outsider):
    assert anon_client.get(URL).status_code == 302
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_officer_sees_province_figures_tables_matrix_and_charts(officer_client):
    seed_plan()
    good_club("CLB-A1", commune=commune("03388"))
    weak = ClubFactory(code="CLB-B1", commune=commune("03390"), track=Track.EXISTING)
    add_members(weak, women=3, men=1)
    response = officer_client.get(URL, {"on": D})
    assert response.status_code == 200
    html = _text(response)
    ind = response.context["ind"]
    assert ind.clubs_active == 2 and ind.members_active == 44
    # Progress against the seeded plan: 72 clubs by 2025, 70% well run.
    rows = {(p.indicator, p.track): p for p in response.context["targets"]}
    assert rows[("clubs_active", "")].target == 72 and rows[("clubs_active", "")].actual == 2
    assert not rows[("clubs_active", "")].met
    assert rows[("clubs_well_run", "")].actual == ind.club_pct(1) == 50
    assert rows[("clubs_founded", "new_budget")].target == 10  # the 2025 schedule
    assert 'id="progress"' in html
    # Tables by former district and commune, and a matrix row per club linking to the club.
    assert len(response.context["by_district"]) == 8 and len(response.context["by_commune"]) == 38
    assert 'data-code="105"' in html and f"?on={D}&amp;area=district%3A105" in html
    assert reverse("clubs:detail", args=["CLB-A1"]) in html
    matrix = re.search(r'<tr data-club="CLB-B1">(.*?)</tr>', html, re.S).group(1)
    assert matrix.count("check-fail") == 10  # 4 members: fails every check, §3 and §8
    matrix_a = re.search(r'<tr data-club="CLB-A1">(.*?)</tr>', html, re.S).group(1)
    assert matrix_a.count("check-ok") == 10
    # Three server-drawn SVG charts, no script needed.
    for chart in ("chart-founded", "chart-members", "chart-loans"):
        assert f'id="{chart}"' in html
    assert html.count("<svg") >= 3


def test_reference_date_picker_and_year_end_shortcuts(officer_client):
    ClubFactory(code="CLB-OLD", founded_on=datetime.date(2023, 5, 1))
    ClubFactory(code="CLB-NEW", founded_on=datetime.date(2025, 5, 1))
    r = officer_client.get(URL, {"on": "31/12/2024"})
    assert r.context["on"] == datetime.date(2024, 12, 31)
    assert [c.code for c in r.context["matrix"]] == ["CLB-OLD"]
    assert "?on=2024-12-31" in _text(r)  # shortcut to a year end
    assert officer_client.get(URL).context["on"] == timezone.localdate()
    bad = officer_client.get(URL, {"on": "32/13/2025"})
    assert bad.status_code == 200 and "Ngày không hợp lệ" in _text(bad)


def test_drill_down_keeps_the_date(officer_client):
    good_club("CLB-A1", commune=commune("03388"))
    r = officer_client.get(URL, {"on": D, "area": "district:105"})
    assert r.context["area"].code == "105" and r.context["by_district"] == []
    assert [c.code for c in r.context["matrix"]] == ["CLB-A1"]
    html = _text(r)
    assert f"?on={D}&amp;area=commune%3A03388" in html
    r = officer_client.get(URL, {"on": D, "area": "commune:03388"})
    assert r.context["area"].level == "commune" and r.context["ind"].clubs_active == 1
    assert f"?on={D}&amp;area=district%3A105" in _text(r)  # breadcrumb back up
    assert officer_client.get(URL, {"area": "legacy_commune:03388"}).status_code == 404
    assert officer_client.get(URL, {"area": "commune:99999"}).status_code == 404


def test_district_staff_see_only_their_district(staff_a_client):
    good_club("CLB-A1", commune=commune("03388"))
    good_club("CLB-B1", commune=commune("03390"))
    r = staff_a_client.get(URL, {"on": D})
    assert r.status_code == 200
    assert r.context["area"].code == "105"
    assert [c.code for c in r.context["matrix"]] == ["CLB-A1"]
    assert r.context["ind"].clubs_active == 1
    assert "CLB-B1" not in _text(r)
    for area in ("province:12", "district:106", "commune:03390"):
        assert staff_a_client.get(URL, {"on": D, "area": area}).status_code == 404
    assert staff_a_client.get(URL, {"on": D, "area": "commune:03388"}).status_code == 200


def test_matrix_sorts_by_any_column(officer_client):
    good_club("CLB-1")
    small = ClubFactory(code="CLB-2")
    add_members(small, women=50, men=0)
    r = officer_client.get(URL, {"on": D, "sort": "-n"})
    assert [c.code for c in r.context["matrix"]] == ["CLB-2", "CLB-1"]
    r = officer_client.get(URL, {"on": D, "sort": "women_ok"})
    assert [c.code for c in r.context["matrix"]] == ["CLB-2", "CLB-1"]  # failing first
    assert officer_client.get(URL, {"on": D, "sort": "secret"}).status_code == 200


def test_charts_carry_the_figures(officer_client):
    seed_plan()
    club, members = good_club("CLB-A1", founded_on=datetime.date(2022, 3, 1), borrowers=0)
    loan(members[0], principal=10_000_000, disbursed_on=datetime.date(2025, 2, 1))
    html = _text(officer_client.get(URL, {"on": D}))
    founded = re.search(r'<svg[^>]*id="chart-founded".*?</svg>', html, re.S).group(0)
    assert "Kế hoạch 2022: 9" in founded and "Thực hiện 2022: 1" in founded
    loans = re.search(r'<svg[^>]*id="chart-loans".*?</svg>', html, re.S).group(0)
    assert "Giải ngân 2025: 10" in loans and "Dư nợ 2025: 10" in loans
    members_svg = re.search(r'<svg[^>]*id="chart-members".*?</svg>', html, re.S).group(0)
    # 28 women: 18 aged 70, 10 aged 40; 12 men: 8 aged 70, 4 aged 40.
    assert "Nữ 70–79: 18" in members_svg and "Nữ 40–49: 10" in members_svg
    assert "Nam 70–79: 8" in members_svg and "Nam 40–49: 4" in members_svg


def _count(client, params):
    # Cold: the figures are computed, not read from the cache (factories bypass the write paths
    # that bump the data generation, so a cached page would even be stale).
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["officer", "staff_a"])
def test_dashboard_query_count_same_for_3_and_30_clubs(who, request, client):
    user = request.getfixturevalue(who)
    client.force_login(user)
    seed_plan()
    communes = ["03388", "03408", "03390"]
    for i in range(3):
        good_club(f"Q{i:02d}", borrowers=3, commune=commune(communes[i % 3]))
    small = _count(client, {"on": D})
    small_commune = _count(client, {"on": D, "area": "commune:03388"})
    for i in range(3, 30):
        good_club(f"Q{i:02d}", borrowers=3, commune=commune(communes[i % 3]))
    assert _count(client, {"on": D}) == small
    assert _count(client, {"on": D, "area": "commune:03388"}) == small_commune


def test_matrix_is_paged_keeping_date_and_sort(officer_client, monkeypatch):
    from reporting import views

    monkeypatch.setattr(views, "MATRIX_PAGE_SIZE", 2)
    for i in range(5):
        ClubFactory(code=f"P{i}")
    r = officer_client.get(URL, {"on": D, "sort": "-code"})
    assert [c.code for c in r.context["matrix"]] == ["P4", "P3"] and r.context["matrix_total"] == 5
    assert f"?on={D}&amp;area=province%3A12&amp;sort=-code&amp;page=3" in _text(r)
    r = officer_client.get(URL, {"on": D, "sort": "-code", "page": 3})
    assert [c.code for c in r.context["matrix"]] == ["P0"]
    assert r.context["ind"].clubs_active == 5  # the figures cover every club, not the page
