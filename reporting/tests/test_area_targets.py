"""Targets per area and per period (indicators.md §9): an area is measured against its own targets
only, cumulative targets count from the plan's first 1 January, and the plan follows the date."""
import datetime
import re

import pytest
from django.urls import reverse

from clubs.models import Area, Track
from clubs.tests.factories import COMMUNE_IN_B, ClubFactory, add_members, commune, district
from reporting import annual
from reporting.demo import seed_plan
from reporting.indicators import compute
from reporting.models import Plan, Target
from reporting.plan_forms import AREA_OUTSIDE, CUMULATIVE_NOT_ALLOWED
from reporting.plans import LAI_CHAU_2035_PLAN, LAI_CHAU_PLAN, progress

from .builders import good_club

pytestmark = pytest.mark.django_db
URL = reverse("reporting:dashboard")


def _progress_text(html):
    start = html.index('id="progress"')
    return " ".join(re.sub(r"<[^>]+>", " ", html[start:html.index("</table>", start)]).split())


def _plan_2035():
    seed_plan()
    return Plan.objects.get(name=LAI_CHAU_2035_PLAN["name"])


def test_the_district_page_never_shows_the_province_target(officer_client):
    seed_plan()
    good_club("CLB-B1", commune=commune(COMMUNE_IN_B))
    province = officer_client.get(URL, {"on": "31/12/2025"}).content.decode()
    assert "72" in _progress_text(province)
    page = officer_client.get(URL, {"on": "31/12/2025", "area": "district:106"})
    html = page.content.decode()
    assert "Huyện Tam Đường" in html and page.context["targets"] == []
    assert "72" not in _progress_text(html) and "Kế hoạch chưa có chỉ tiêu giao cho địa bàn này" in html
    commune_page = officer_client.get(URL, {"on": "31/12/2025", "area": f"commune:{COMMUNE_IN_B}"})
    assert commune_page.context["targets"] == []
    # No founding schedule of the province in the district's table either.
    assert all(planned is None for _y, cells in page.context["founded"] for _a, planned in cells)


def test_a_district_with_its_own_target_is_measured_against_it(officer_client):
    plan = seed_plan()
    good_club("CLB-B1", commune=commune(COMMUNE_IN_B))
    tam_duong = district("106")
    Target.objects.create(plan=plan, area=tam_duong, indicator="clubs_active", year=2025, value=9)
    Target.objects.create(plan=plan, area=tam_duong, indicator="clubs_founded", year=2025, track=Track.NEW_BUDGET,
                          value=3)
    page = officer_client.get(URL, {"on": "31/12/2025", "area": "district:106"})
    rows = {(p.indicator, p.track): (p.target, p.actual) for p in page.context["targets"]}
    assert rows == {("clubs_active", ""): (9, 1), ("clubs_founded", "new_budget"): (3, 0)}
    text = _progress_text(page.content.decode())
    assert "72" not in text and "CLB đang hoạt động" in text


def test_the_district_annual_report_uses_only_the_district_targets(world_b, staff_b):
    plan, tam_duong = world_b
    report = annual.new_report(year=2025, area=tam_duong, user=staff_b)
    tables = annual.build_context(report)["tables"]
    assert tables["milestones"]["rows"] == []
    assert all(row[1] is None and row[3] is None for row in tables["schedule"]["rows"])  # no "Kế hoạch" figure
    Target.objects.create(plan=plan, area=tam_duong, indicator="clubs_active", year=2025, value=9)
    Target.objects.create(plan=plan, area=tam_duong, indicator="clubs_founded", year=2025, track=Track.NEW_BUDGET,
                          value=3)
    tables = annual.build_context(report)["tables"]
    assert [row[:3] for row in tables["milestones"]["rows"]] == [["CLB đang hoạt động", "31/12/2025", "9"]]
    by_year = {row[0]: row for row in tables["schedule"]["rows"]}
    assert by_year["2025"][1] == 3


@pytest.fixture
def world_b():
    plan = seed_plan()
    good_club("CLB-B1", commune=commune(COMMUNE_IN_B))
    return plan, district("106")


def test_the_plan_follows_the_date(officer_client):
    seed_plan()
    assert officer_client.get(URL, {"on": "31/12/2024"}).context["plan"].name == LAI_CHAU_PLAN["name"]
    later = officer_client.get(URL, {"on": "02/12/2026"})
    assert later.context["plan"].name == LAI_CHAU_2035_PLAN["name"]
    assert "Quyết định 1648/QĐ-TTg ngày 01/8/2025" in later.content.decode()


def test_rows_not_yet_set_are_listed_on_the_plan_page_and_left_out_of_the_dashboard(officer_client):
    plan = _plan_2035()
    rows = {t.indicator: (t.kind, t.year, t.value, t.unit) for t in plan.targets.all()}
    assert rows == {
        "clubs_founded": ("cumulative", None, None, "count"),
        "members_joined": ("cumulative", None, None, "count"),
        "older_women_pct": ("annual", None, 50, "percent"),
        "communes_standard": ("annual", None, 70, "percent"),
        "clubs_standard": ("annual", None, None, "count"),
    }
    listing = officer_client.get(reverse("reporting:plans")).content.decode()
    assert "3 chưa giao" in listing
    good_club("CLB-A1", founded_on=datetime.date(2026, 2, 1))
    page = officer_client.get(URL, {"on": "30/06/2026"})
    assert {p.indicator for p in page.context["targets"]} == {"older_women_pct", "communes_standard"}
    standard = next(p for p in page.context["targets"] if p.indicator == "communes_standard")
    assert standard.share_of == 38 and not standard.met and standard.year == 2035


def test_a_cumulative_target_counts_from_the_first_of_january_of_the_start_year():
    plan = _plan_2035()
    plan.targets.filter(indicator="clubs_founded").update(value=20)
    plan.targets.filter(indicator="members_joined").update(value=100)
    before = ClubFactory(code="C0", founded_on=datetime.date(2025, 12, 31))
    add_members(before, women=2, men=0, joined_on=datetime.date(2025, 12, 31))
    add_members(before, women=1, men=0, joined_on=datetime.date(2026, 1, 1))
    first = ClubFactory(code="C1", founded_on=datetime.date(2026, 1, 1))
    add_members(first, women=3, men=1)
    second = ClubFactory(code="C2", founded_on=datetime.date(2027, 6, 30))
    add_members(second, women=1, men=1)
    ClubFactory(code="C3", founded_on=datetime.date(2027, 7, 1))  # after D
    on = datetime.date(2027, 6, 30)
    rows = {p.indicator: p for p in progress(plan, compute(area=Area.objects.resolve(), as_of=on), Area.objects.resolve())}
    assert (rows["clubs_founded"].actual, rows["clubs_founded"].target, rows["clubs_founded"].since) == (2, 20, 2026)
    assert rows["members_joined"].actual == 1 + 4 + 2
    assert not rows["clubs_founded"].met and rows["clubs_founded"].year == 2035


def _post(plan_area, **targets):
    data = {
        "name": "Kế hoạch huyện", "legal_reference": "", "issued_by": "", "issued_on": "",
        "start_year": "2026", "end_year": "2030", "area": str(plan_area.pk),
        "targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "0", "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-indicator": "clubs_active", "targets-0-area": "", "targets-0-kind": "annual",
        "targets-0-year": "2030", "targets-0-track": "", "targets-0-value": "", "targets-0-unit": "count",
    }
    data.update({f"targets-0-{k}": v for k, v in targets.items()})
    return data


def test_target_area_must_lie_in_the_plan_area_and_cumulative_only_for_founding_and_joining(officer_client):
    tam_duong = district("106")
    r = officer_client.post(reverse("reporting:plan_new"), _post(tam_duong, area=str(commune("03388").pk)))
    assert str(AREA_OUTSIDE) in r.content.decode() and not Plan.objects.exists()
    r = officer_client.post(reverse("reporting:plan_new"), _post(tam_duong, kind="cumulative"))
    assert str(CUMULATIVE_NOT_ALLOWED) in r.content.decode() and not Plan.objects.exists()
    # A commune of the district, a blank value ("chưa giao"), a whole-period cumulative row: accepted.
    r = officer_client.post(reverse("reporting:plan_new"), _post(
        tam_duong, area=str(commune(COMMUNE_IN_B).pk), indicator="clubs_founded", kind="cumulative", year=""))
    assert r.status_code == 302
    target = Target.objects.get()
    assert (target.area, target.kind, target.year, target.value) == (commune(COMMUNE_IN_B), "cumulative", None, None)
    # A blank area is the plan's own.
    r = officer_client.post(reverse("reporting:plan_new"), _post(tam_duong, value="5"))
    assert r.status_code == 302 and Target.objects.get(value=5).area == tam_duong
    assert Area.objects.get(pk=tam_duong.pk).level == "district"
