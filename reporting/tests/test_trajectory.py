"""A cumulative target's path to its year (issue 13, point 4): actual to date, the pace of the last
24 months carried on, the pace still needed, in words and as the same SVG on the dashboard and in
the annual report."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils.translation import override

from clubs.models import Area
from clubs.tests.factories import COMMUNE_IN_B, ClubFactory, add_members, commune, district, ensure_areas
from reporting import annual, report_files
from reporting.indicators import compute
from reporting.models import Plan, Target
from reporting.plans import progress
from reporting.trajectory import months_back, trajectories

from .test_dashboard import _count
from .test_report import pdf_text, squash

pytestmark = pytest.mark.django_db
# In the past: the dashboard refuses a date after today.
URL = reverse("reporting:dashboard")
D = datetime.date(2025, 6, 30)
# Counted by hand for D = 30/06/2025, plan 2023–2027, window (30/06/2023, 30/06/2025]:
#   2022-12-31 before the plan, outside the window   2023-03-01 plan, outside
#   2023-06-30 plan, exactly 24 months before D: outside   2023-07-01 plan, inside
#   2024-05-05 plan, inside   2024-02-02 dissolved 10/01/2025: nowhere   2025-06-30 plan, inside
#   2025-07-01 after D: nowhere
# Cumulative: 3 at 31/12/2023 (03-01, 06-30, 07-01), 4 at 31/12/2024, 5 at D. Window 3: 1,5 a year.
# Projection: 5 + 1,5 × 914 days / 365,25 = 8,75. Years left: 2025, 2026, 2027.
FOUNDED = [datetime.date(2022, 12, 31), datetime.date(2023, 3, 1), datetime.date(2023, 6, 30),
           datetime.date(2023, 7, 1), datetime.date(2024, 5, 5), datetime.date(2025, 6, 30),
           datetime.date(2025, 7, 1)]


def _plan(area, **values):
    plan = Plan.objects.create(name="Kế hoạch 2023–2027", area=area, start_year=2023, end_year=2027)
    for indicator, value in values.items():
        Target.objects.create(plan=plan, area=area, indicator=indicator, kind="cumulative", year=None,
                              value=value, unit="count")
    return plan


def _clubs(commune_code=None):
    extra = {"commune": commune(commune_code)} if commune_code else {}
    for i, day in enumerate(FOUNDED):
        ClubFactory(code=f"T{commune_code or ''}{i}", founded_on=day, **extra)
    ClubFactory(code=f"TX{commune_code or ''}", founded_on=datetime.date(2024, 2, 2),
                dissolved_on=datetime.date(2025, 1, 10), **extra)


def _paths(plan, on, area=None):
    area = area or Area.objects.resolve()
    ind = compute(area=area, as_of=on)
    return {t.indicator: t for t in trajectories(plan, progress(plan, ind, area), ind, area)}


@pytest.fixture
def province(db):
    ensure_areas()
    return Area.objects.get(level=Area.Level.PROVINCE)


def test_clubs_hand_count_at_the_window_boundary(province):
    _clubs()
    t = _paths(_plan(province, clubs_founded=50), D)["clubs_founded"]
    assert [(d.isoformat(), n) for d, n in t.points] == [("2023-12-31", 3), ("2024-12-31", 4), ("2025-06-30", 5)]
    assert (t.actual, t.window_count, str(t.pace)) == (5, 3, "1.5")
    assert round(t.projected, 2) == pytest.approx(8.75, abs=0.01)
    assert (t.years_left, t.needed, t.gap, t.on_track) == (3, 15, 45, False)
    assert t.words == ("Cần thành lập thêm 15 CLB/năm trong 3 năm 2025–2027 để đạt chỉ tiêu 2027 (còn thiếu 45 CLB). "
                       "Nhịp 24 tháng qua: 1,5 CLB/năm, dự báo 8 CLB đến 31/12/2027 — chưa đúng tiến độ.")


def test_on_track_met_last_year_and_over(province):
    _clubs()
    on_track = _paths(_plan(province, clubs_founded=8), D)["clubs_founded"]
    assert on_track.needed == 1 and on_track.words.endswith("— đúng tiến độ.")
    with override("en"):
        assert on_track.words.startswith("1 more clubs a year must be founded in the 3 years 2025–2027 to reach the "
                                         "2027 target (3 clubs short). Pace of the last 24 months: 1,5 clubs a year")
    Target.objects.filter(indicator="clubs_founded").update(value=5)
    assert _paths(Plan.objects.get(), D)["clubs_founded"].words == "Đã đạt chỉ tiêu 2027 (5/5 CLB)."
    Target.objects.filter(indicator="clubs_founded").update(value=20)
    plan = Plan.objects.get()
    last = _paths(plan, datetime.date(2026, 12, 31))["clubs_founded"]
    # 31/12/2026 closes its year: only 2027 is left, for the 14 clubs still missing (the 2025-07-01 one counts now).
    assert (last.actual, last.years_left, last.needed) == (6, 1, 14)
    assert last.words.startswith("Cần thành lập thêm 14 CLB/năm trong năm 2027 để đạt chỉ tiêu 2027 (còn thiếu 14 CLB).")
    over = _paths(plan, datetime.date(2028, 3, 1))["clubs_founded"]
    assert over.over and over.points[-1][0] == datetime.date(2027, 12, 31)
    assert over.words == "Không đạt chỉ tiêu 2027: đến 31/12/2027 có 6/20 CLB (thiếu 14 CLB)."


def test_members_hand_count(province):
    club = ClubFactory(code="M", founded_on=datetime.date(2022, 1, 1))
    for day in (datetime.date(2022, 12, 31), datetime.date(2023, 6, 30), datetime.date(2023, 7, 1),
                datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)):
        add_members(club, women=1, men=0, joined_on=day)
    gone = add_members(club, women=1, men=0, joined_on=datetime.date(2024, 3, 3))[0]
    gone.left_on = datetime.date(2025, 1, 1)
    gone.save()
    closed = ClubFactory(code="MX", founded_on=datetime.date(2023, 1, 1), dissolved_on=datetime.date(2025, 1, 1))
    add_members(closed, women=2, men=0)
    t = _paths(_plan(province, members_joined=100), D)["members_joined"]
    # Active at D: joined 2023-06-30 and 2023-07-01 by 31/12/2023, nothing more in 2024, 2025-06-30 by D.
    assert [n for _d, n in t.points] == [2, 2, 3]
    assert (t.actual, t.window_count, t.needed) == (3, 2, 33)
    assert t.words.startswith("Cần thêm 33 người tham gia/năm trong 3 năm 2025–2027 để đạt chỉ tiêu 2027 "
                              "(còn thiếu 97 người). Nhịp 24 tháng qua: 1 người/năm")


def test_months_back_keeps_the_day_or_takes_the_months_last():
    assert months_back(datetime.date(2028, 2, 29), 24) == datetime.date(2026, 2, 28)
    assert months_back(datetime.date(2028, 1, 15), 24) == datetime.date(2026, 1, 15)
    assert months_back(datetime.date(2025, 3, 31), 1) == datetime.date(2025, 2, 28)


def _svg(html, indicator):
    return re.search(rf'<svg[^>]*id="chart-trajectory-{indicator}".*?</svg>', html, re.S).group(0)


def test_dashboard_shows_words_and_chart(officer_client, province):
    _clubs()
    _plan(province, clubs_founded=50)
    html = officer_client.get(URL, {"on": D.isoformat()}).content.decode()
    svg = _svg(html, "clubs_founded")
    assert 'role="img"' in svg and "CLB thành lập mới cộng dồn 2023–2027" in svg
    assert "Thực hiện 30/06/2025: 5" in svg and "Chỉ tiêu 2027: 50" in svg and "Dự báo 31/12/2027: 8" in svg
    assert "Cần thành lập thêm 15 CLB/năm" in re.sub(r"\s+", " ", html.split('id="trajectories"')[1])


def test_a_district_sees_its_own_target_path_never_the_provinces(officer_client, province):
    _clubs()  # district 105
    _clubs(COMMUNE_IN_B)  # district 106
    plan = _plan(province, clubs_founded=50)
    Target.objects.create(plan=plan, area=district("106"), indicator="clubs_founded", kind="cumulative",
                          year=None, value=7, unit="count")
    page = officer_client.get(URL, {"on": D.isoformat(), "area": "district:106"})
    [(path, _chart)] = page.context["trajectories"]
    assert (path.target, path.actual) == (7, 5)
    svg = _svg(page.content.decode(), "clubs_founded")
    assert "Chỉ tiêu 2027: 7" in svg and "Chỉ tiêu 2027: 50" not in svg
    other = officer_client.get(URL, {"on": D.isoformat(), "area": "district:105"})
    assert other.context["trajectories"] == [] and "chart-trajectory" not in other.content.decode()
    # The province's own path counts both districts.
    assert officer_client.get(URL, {"on": D.isoformat()}).context["trajectories"][0][0].actual == 10


@pytest.mark.parametrize("who", ["officer", "staff_a"])
def test_dashboard_query_count_fixed_with_trajectories(who, request, client, province):
    client.force_login(request.getfixturevalue(who))
    plan = _plan(province, clubs_founded=50, members_joined=500)
    Target.objects.create(plan=plan, area=district("105"), indicator="members_joined", kind="cumulative",
                          year=None, value=70, unit="count")
    for i in range(3):
        add_members(ClubFactory(code=f"Q{i}", founded_on=datetime.date(2024, 1, 1)), women=2, men=1)
    small = _count(client, {"on": D.isoformat()})
    for i in range(3, 20):
        add_members(ClubFactory(code=f"Q{i}", founded_on=datetime.date(2023 + i % 3, 1, 1)), women=2, men=1)
    assert _count(client, {"on": D.isoformat()}) == small
    assert client.get(URL, {"on": D.isoformat()}).context["trajectories"]


def test_annual_report_pdf_carries_the_same_words_and_chart(province, officer, tmp_path):
    _clubs()
    _plan(province, clubs_founded=50)
    report = annual.new_report(year=2024, area=province, user=officer)
    context = annual.build_context(report)
    [path] = context["trajectories"]
    # 31/12/2024: 5 clubs (the one dissolved on 10/01/2025 still active), all 5 in the window
    # (31/12/2022, 31/12/2024]; 3 years 2025–2027 left for 45.
    assert path["words"].startswith("Cần thành lập thêm 15 CLB/năm trong 3 năm 2025–2027 để đạt chỉ tiêu 2027 "
                                    "(còn thiếu 45 CLB). Nhịp 24 tháng qua: 2,5 CLB/năm")
    assert 'id="chart-trajectory-clubs_founded"' in path["chart"]
    text = squash(pdf_text(report_files.render_pdf(context), tmp_path))
    assert path["words"] in text
    assert "CLB thành lập mới cộng dồn 2023–2027" in text and "Dự báo theo nhịp 24 tháng" in text


def test_no_path_for_a_target_not_yet_set_nor_before_the_plan_starts(province):
    from reporting.demo import seed_plan
    from reporting.plans import LAI_CHAU_2035_PLAN

    seed_plan()
    seeded = Plan.objects.get(name=LAI_CHAU_2035_PLAN["name"])  # its cumulative rows are "chưa giao"
    assert _paths(seeded, datetime.date(2026, 6, 30)) == {}
    _clubs()
    assert _paths(_plan(province, clubs_founded=50), datetime.date(2022, 12, 31)) == {}


def test_a_track_target_counts_its_track_only(province):
    from clubs.models import Track
    from reporting import charts

    _clubs()  # all "Mới - ngân sách"
    ClubFactory(code="E1", founded_on=datetime.date(2024, 1, 1), track=Track.EXISTING)
    plan = _plan(province)
    Target.objects.create(plan=plan, area=province, indicator="clubs_founded", kind="cumulative", year=None,
                          track=Track.EXISTING, value=3, unit="count")
    t = _paths(plan, D)["clubs_founded"]
    assert (t.actual, t.window_count, t.needed, t.track_label) == (1, 1, 1, "Duy trì 2017-2020")
    svg = charts.trajectory_chart(t)
    assert 'id="chart-trajectory-clubs_founded-existing"' in svg and ">Duy trì 2017-2020</text>" in svg
