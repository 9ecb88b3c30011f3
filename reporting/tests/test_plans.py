"""Plans as data: the seeded Lai Châu plan, officers editing targets and adding a phase."""
import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from clubs.models import Area, Track
from clubs.tests.factories import ClubFactory, add_members, commune
from reporting.demo import seed_plan
from reporting.indicators import compute
from reporting.models import Plan, Target
from reporting.plan_forms import PERCENT_TOO_HIGH, TARGET_YEAR_OUTSIDE, TRACK_REQUIRED
from reporting.plans import active_plan, progress

from .builders import good_club

pytestmark = pytest.mark.django_db


def _targets(plan):
    return {(t.indicator, t.year, t.track): (t.value, t.unit) for t in plan.targets.all()}


def test_seeded_lai_chau_plan_has_every_target_of_the_spec():
    plan = seed_plan()
    t = _targets(plan)
    assert t[("clubs_active", 2025, "")] == (72, "count")
    assert t[("clubs_active_by_track", 2025, "existing")] == (25, "count")
    assert t[("clubs_active_by_track", 2025, "new_budget")] == (35, "count")
    assert t[("clubs_active_by_track", 2025, "new_rotation")] == (12, "count")
    schedule = {(y, tr): v for (k, y, tr), (v, _u) in t.items() if k == "clubs_founded"}
    assert schedule == {
        (2022, "new_budget"): 8, (2022, "new_rotation"): 1, (2023, "new_budget"): 9, (2023, "new_rotation"): 2,
        (2024, "new_budget"): 8, (2024, "new_rotation"): 4, (2025, "new_budget"): 10, (2025, "new_rotation"): 5,
    }
    assert t[("members_by_track", 2025, "new_budget")] == (1400, "count")
    assert t[("members_by_track", 2025, "new_rotation")] == (500, "count")
    assert t[("clubs_well_run", 2025, "")] == (70, "percent")
    assert t[("clubs_composition_ok", 2025, "")] == (100, "percent")
    assert t[("clubs_funds_ok", 2025, "")] == (100, "percent")
    assert plan.area.level == Area.Level.PROVINCE


def test_seed_is_idempotent_and_keeps_edited_values():
    plan = seed_plan()
    Target.objects.filter(plan=plan, indicator="clubs_active").update(value=75)
    call_command("seed_demo", stdout=StringIO())
    assert Plan.objects.count() == 2  # with the 2026–2035 plan
    assert Target.objects.get(plan=plan, indicator="clubs_active").value == 75
    assert plan.targets.count() == 17


def test_well_run_target_met_at_exactly_70_percent():
    plan = seed_plan()
    for i in range(7):
        good_club(f"OK{i}")
    for i in range(3):
        good_club(f"NO{i}", borrowers=0)
    ind = compute(area=Area.objects.resolve(), as_of=datetime.date(2025, 12, 31))
    rows = {p.indicator: p for p in progress(plan, ind, Area.objects.resolve())}
    assert ind.clubs_well_run == 7 and rows["clubs_well_run"].met
    assert rows["clubs_well_run"].actual == 70
    good_club("NO3", borrowers=0)  # 7 of 11 = 63.6%
    ind = compute(area=Area.objects.resolve(), as_of=datetime.date(2025, 12, 31))
    row = {p.indicator: p for p in progress(plan, ind, Area.objects.resolve())}["clubs_well_run"]
    assert not row.met and str(row.actual) == "63.6"


def test_founding_target_of_the_reference_year_only():
    plan = seed_plan()
    for i in range(8):
        ClubFactory(code=f"N{i}", founded_on=datetime.date(2024, 4, 1), track=Track.NEW_BUDGET)
    ind = compute(area=Area.objects.resolve(), as_of=datetime.date(2024, 12, 31))
    rows = {(p.indicator, p.track): p for p in progress(plan, ind, Area.objects.resolve())}
    assert rows[("clubs_founded", "new_budget")].year == 2024
    assert rows[("clubs_founded", "new_budget")].met
    assert not rows[("clubs_founded", "new_rotation")].met
    # The stock targets of a year before 2025 point at the 2025 milestone.
    assert rows[("clubs_active", "")].year == 2025


def test_communes_with_club_target(officer_client):
    plan = Plan.objects.create(
        name="Kế hoạch 2026–2030", legal_reference="Quyết định 1648/QĐ-TTg", start_year=2026, end_year=2030,
        area=Area.objects.resolve(),
    )
    Target.objects.create(plan=plan, area=plan.area, indicator="communes_with_club_pct", year=2030, value=50, unit="percent")
    for i, code in enumerate(["03388", "03390", "03394"]):
        ClubFactory(code=f"C{i}", commune=commune(code), founded_on=datetime.date(2026, 1, 5))
    on = datetime.date(2026, 6, 30)
    assert active_plan(Area.objects.resolve(), on) == plan
    ind = compute(area=Area.objects.resolve(), as_of=on)
    row = progress(plan, ind, Area.objects.resolve())[0]
    assert str(row.actual) == "7.9" and not row.met  # 3 of 38 communes
    r = officer_client.get(reverse("reporting:dashboard"), {"on": "30/06/2026"})
    assert r.context["plan"] == plan and "Tỷ lệ xã/phường có CLB" in r.content.decode()


def _plan_post(**overrides):
    data = {
        "name": "Kế hoạch giai đoạn 2026–2030",
        "legal_reference": "Quyết định số 1648/QĐ-TTg",
        "issued_by": "UBND tỉnh Lai Châu",
        "issued_on": "15/03/2026",
        "start_year": "2026",
        "end_year": "2030",
        "area": str(Area.objects.get(level="province").pk),
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-indicator": "clubs_active",
        "targets-0-year": "2030",
        "targets-0-track": "",
        "targets-0-value": "120",
        "targets-0-unit": "count",
        "targets-0-kind": "annual",
        "targets-1-indicator": "communes_with_club_pct",
        "targets-1-year": "2030",
        "targets-1-track": "",
        "targets-1-value": "80",
        "targets-1-unit": "percent",
        "targets-1-kind": "annual",
    }
    data.update(overrides)
    return data


def test_officer_adds_a_plan_with_targets_without_code(officer_client):
    r = officer_client.post(reverse("reporting:plan_new"), _plan_post())
    assert r.status_code == 302
    plan = Plan.objects.get(legal_reference="Quyết định số 1648/QĐ-TTg")
    assert plan.issued_on == datetime.date(2026, 3, 15)
    assert _targets(plan) == {("clubs_active", 2030, ""): (120, "count"), ("communes_with_club_pct", 2030, ""): (80, "percent")}
    assert plan.history.count() == 1
    listing = officer_client.get(reverse("reporting:plans")).content.decode()
    assert "Kế hoạch giai đoạn 2026–2030" in listing


def test_officer_edits_a_target_value(officer_client):
    plan = seed_plan()
    target = plan.targets.get(indicator="clubs_active")
    form = officer_client.get(reverse("reporting:plan_edit", args=[plan.pk]))
    assert form.status_code == 200
    formset = form.context["formset"]
    data = {
        "name": plan.name, "legal_reference": plan.legal_reference, "issued_by": plan.issued_by, "issued_on": "",
        "start_year": "2021", "end_year": "2025", "area": str(plan.area_id),
        "targets-TOTAL_FORMS": str(len(formset.forms)), "targets-INITIAL_FORMS": str(formset.initial_form_count()),
        "targets-MIN_NUM_FORMS": "0", "targets-MAX_NUM_FORMS": "1000",
    }
    for i, f in enumerate(formset.forms):
        t = f.instance
        data[f"targets-{i}-unit"] = "count"  # what the browser posts for an untouched extra row
        data[f"targets-{i}-kind"] = "annual"
        if t.pk:
            data.update({
                f"targets-{i}-id": str(t.pk), f"targets-{i}-plan": str(plan.pk), f"targets-{i}-indicator": t.indicator,
                f"targets-{i}-year": str(t.year), f"targets-{i}-track": t.track, f"targets-{i}-kind": t.kind,
                f"targets-{i}-area": str(t.area_id),
                f"targets-{i}-value": str(80 if t.pk == target.pk else t.value), f"targets-{i}-unit": t.unit,
            })
    r = officer_client.post(reverse("reporting:plan_edit", args=[plan.pk]), data)
    assert r.status_code == 302, [e for e in r.context["formset"].errors if e]
    target.refresh_from_db()
    assert target.value == 80
    assert target.history.count() == 2


def test_bad_targets_are_refused_with_a_message_and_nothing_saved(officer_client):
    r = officer_client.post(
        reverse("reporting:plan_new"),
        _plan_post(**{"targets-0-year": "2031", "targets-1-value": "120", "targets-1-unit": "percent"}),
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert str(TARGET_YEAR_OUTSIDE % {"start": 2026, "end": 2030}) in html
    assert str(PERCENT_TOO_HIGH) in html
    assert not Plan.objects.exists()
    r = officer_client.post(
        reverse("reporting:plan_new"), _plan_post(**{"targets-0-indicator": "members_by_track", "targets-0-track": ""})
    )
    assert str(TRACK_REQUIRED) in r.content.decode() and not Plan.objects.exists()


def test_district_staff_cannot_add_or_edit_plans(staff_a_client):
    plan = seed_plan()
    assert staff_a_client.get(reverse("reporting:plan_new")).status_code == 403
    assert staff_a_client.post(reverse("reporting:plan_new"), _plan_post()).status_code == 403
    assert staff_a_client.get(reverse("reporting:plan_edit", args=[plan.pk])).status_code == 403
    assert staff_a_client.post(reverse("reporting:plan_edit", args=[plan.pk]), _plan_post()).status_code == 403
    assert Plan.objects.count() == 2
    listing = staff_a_client.get(reverse("reporting:plans"))
    assert listing.status_code == 200 and reverse("reporting:plan_new") not in listing.content.decode()


def test_district_staff_dashboard_never_measures_the_district_against_the_province(staff_a_client):
    plan = seed_plan()
    good_club("CLB-A1", commune=commune("03388"))
    club_b = ClubFactory(code="CLB-B1", commune=commune("03390"))
    add_members(club_b, women=3, men=1)
    r = staff_a_client.get(reverse("reporting:dashboard"), {"on": "31/12/2025"})
    assert r.context["plan"] == plan and r.context["targets"] == []
    assert reverse("reporting:plan_edit", args=[r.context["plan"].pk]) not in r.content.decode()
    # Once the province allocates the district its own figure, that one is shown.
    Target.objects.create(plan=plan, area=Area.objects.get(level="district", code="105"), indicator="clubs_active",
                          year=2025, value=9)
    r = staff_a_client.get(reverse("reporting:dashboard"), {"on": "31/12/2025"})
    rows = {(p.indicator, p.track): p for p in r.context["targets"]}
    assert list(rows) == [("clubs_active", "")]
    assert rows[("clubs_active", "")].target == 9 and rows[("clubs_active", "")].actual == 1


def test_district_staff_list_only_plans_that_can_apply_to_their_district(staff_a_client, officer):
    province_plan = seed_plan()
    district_a = Area.objects.get(level=Area.Level.DISTRICT, code="105")
    district_b = Area.objects.get(level=Area.Level.DISTRICT, code="106")
    Plan.objects.create(name="Kế hoạch huyện A", start_year=2021, end_year=2025, area=district_a)
    Plan.objects.create(name="Kế hoạch huyện B", start_year=2021, end_year=2025, area=district_b)
    listing = staff_a_client.get(reverse("reporting:plans")).content.decode()
    assert province_plan.name in listing and "Kế hoạch huyện A" in listing
    assert "Kế hoạch huyện B" not in listing
    # ...nor may they pick it for their annual report.
    choices = staff_a_client.get(reverse("reporting:report_new")).context["form"].fields["plan"].queryset
    assert "Kế hoạch huyện B" not in {p.name for p in choices}
    staff_a_client.force_login(officer)
    assert "Kế hoạch huyện B" in staff_a_client.get(reverse("reporting:plans")).content.decode()


def test_progress_link_of_a_district_plan_opens_that_district(officer_client):
    district_a = Area.objects.get(level=Area.Level.DISTRICT, code="105")
    plan = Plan.objects.create(name="Kế hoạch huyện A", start_year=2021, end_year=2025, area=district_a)
    listing = officer_client.get(reverse("reporting:plans")).content.decode()
    link = re.search(rf'href="([^"]*\?plan={plan.pk}&[^"]*)"', listing).group(1).replace("&amp;", "&")
    r = officer_client.get(link)
    assert r.context["area"] == district_a and r.context["plan"] == plan
