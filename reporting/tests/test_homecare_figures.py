"""Home-care figures of docs/indicators-care.md §2 in compute(), `indicators --json`, the dashboard, its
matrix, the annual report (HTML, PDF, workbook), against a hand count of the register: plain rows, the
rules applied in Python one day and one visit at a time."""
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from care.models import Care, Visit
from care.tests.factories import care_for, visit_of
from clubs.models import Area, Club, Member
from clubs.tests.factories import COMMUNE_IN_B, ClubFactory, MemberFactory, commune, district
from reporting.indicators import compute
from reporting.tests.handcount import percent
from reporting.tests.test_care_figures import _json

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 12, 31)
NEXT_YEAR = datetime.date(2026, 1, 1)
KEYS = ("volunteers_active", "recipients_active", "recipients_visited_ok", "recipients_visited_pct", "visits")
URL = reverse("reporting:dashboard")


def _days(first, last):
    while first <= last:
        yield first
        first += datetime.timedelta(days=1)


def _covers(care, t):
    return care["started_on"] <= t and (care["ended_on"] is None or care["ended_on"] > t)


def hand_count(area, d):
    """Per club code and for the area: the §2 figures, from plain rows."""
    start = datetime.date(d.year, 1, 1)
    areas = {a["id"]: a for a in Area.objects.values("id", "parent_id")}
    clubs = {}
    for c in Club.objects.values("id", "code", "founded_on", "dissolved_on", "commune_id"):
        active = c["founded_on"] <= d and (c["dissolved_on"] is None or c["dissolved_on"] > d)
        inside = (area.level == "province" or (area.level == "district" and areas[c["commune_id"]]["parent_id"] == area.pk)
                  or c["commune_id"] == area.pk)
        if active and inside:
            clubs[c["id"]] = c
    members = {m["id"]: m for m in Member.objects.values("id", "club_id", "joined_on", "left_on", "is_homecare_volunteer")
               if m["club_id"] in clubs and m["joined_on"] <= d and (m["left_on"] is None or m["left_on"] > d)}
    cares = {c["id"]: c for c in Care.objects.values("id", "member_id", "started_on", "ended_on")}
    visits = [v for v in Visit.objects.values("care_id", "date", "removed") if not v["removed"]]
    rows = {}
    for cid, c in clubs.items():
        mine = [m for m in members.values() if m["club_id"] == cid]
        ok = recipients = 0
        for m in mine:
            periods = [care for care in cares.values() if care["member_id"] == m["id"]]
            if not any(_covers(care, d) for care in periods):
                continue
            recipients += 1
            months = {(t.year, t.month) for care in periods for t in _days(start, d) if _covers(care, t)}
            visited = {(v["date"].year, v["date"].month) for v in visits
                       if cares[v["care_id"]]["member_id"] == m["id"] and start <= v["date"] <= d
                       and _covers(cares[v["care_id"]], v["date"])}
            ok += bool(months) and months <= visited
        rows[c["code"]] = {
            "volunteers_active": sum(1 for m in mine if m["is_homecare_volunteer"]),
            "recipients_active": recipients,
            "recipients_visited_ok": ok,
            "recipients_visited_pct": float(percent(ok, recipients)),
            "visits": sum(1 for v in visits if start <= v["date"] <= d
                          and members.get(cares[v["care_id"]]["member_id"], {}).get("club_id") == cid),
        }
    total = {k: sum(r[k] for r in rows.values()) for k in KEYS if k != "recipients_visited_pct"}
    total["recipients_visited_pct"] = float(percent(total["recipients_visited_ok"], total["recipients_active"]))
    return rows, {k: total[k] for k in KEYS}


def monthly(care, volunteer, months, day, year=2025):
    for month in months:
        visit_of(care, volunteer, datetime.date(year, month, day))


@pytest.fixture
def register(db):
    """Club H (district 105) with every boundary of §2; a dissolved club; a club in district 106."""
    club = ClubFactory(code="CLB-H", founded_on=datetime.date(2022, 3, 1))
    vol = MemberFactory(club=club, is_homecare_volunteer=True)
    vol2 = MemberFactory(club=club, is_homecare_volunteer=True)
    # Visits the first months, then leaves: no longer a volunteer at D, the visits still count.
    vol_left = MemberFactory(club=club, is_homecare_volunteer=True, left_on=datetime.date(2025, 8, 1))
    MemberFactory(club=club)  # neither volunteer nor cared for
    r = {name: MemberFactory(club=club) for name in ("every", "missing", "mid", "ended")}
    r["left"] = MemberFactory(club=club, left_on=datetime.date(2025, 11, 1))

    every = care_for(r["every"], datetime.date(2024, 6, 1), volunteers=[vol])
    visit_of(every, vol, datetime.date(2024, 12, 15))  # last year: not in the period
    monthly(every, vol_left, range(1, 8), 10)
    monthly(every, vol, range(8, 13), 10)
    missing = care_for(r["missing"], datetime.date(2025, 1, 1), volunteers=[vol2])
    monthly(missing, vol2, [m for m in range(1, 13) if m != 5], 15)  # nobody came in May
    mid = care_for(r["mid"], datetime.date(2025, 10, 15), volunteers=[vol])
    for on in (datetime.date(2025, 10, 20), datetime.date(2025, 11, 5), datetime.date(2025, 12, 1)):
        visit_of(mid, vol, on)
    visit_of(mid, vol2, datetime.date(2025, 12, 2), removed=True)  # entered by mistake
    # Ended on 01/07 (the first day without care): no recipient at D, its visits of 2025 still count.
    ended = care_for(r["ended"], datetime.date(2025, 2, 1), datetime.date(2025, 7, 1), volunteers=[vol2])
    monthly(ended, vol2, range(2, 7), 3)
    left = care_for(r["left"], datetime.date(2025, 1, 1), volunteers=[vol])
    monthly(left, vol, range(1, 11), 20)

    gone = ClubFactory(code="CLB-GIAI-THE", founded_on=datetime.date(2022, 3, 1), dissolved_on=datetime.date(2025, 11, 30))
    vg = MemberFactory(club=gone, is_homecare_volunteer=True)
    monthly(care_for(MemberFactory(club=gone), datetime.date(2025, 1, 1), volunteers=[vg]), vg, range(1, 12), 8)

    other = ClubFactory(code="CLB-B", commune=commune(COMMUNE_IN_B))
    vb = MemberFactory(club=other, is_homecare_volunteer=True)
    monthly(care_for(MemberFactory(club=other), datetime.date(2025, 3, 1), volunteers=[vb]), vb, range(3, 13), 5)
    cache.clear()
    return r


# CLB-H at 31/12/2025: volunteers vol and vol2 (vol_left left on 01/08); recipients every, missing and
# mid (ended's care stopped on 01/07, left left on 01/11); visited every month: every (12 months) and
# mid (October to December); visits 12 + 11 + 3 + 5 (ended's).
EXPECTED_H = {"volunteers_active": 2, "recipients_active": 3, "recipients_visited_ok": 2,
              "recipients_visited_pct": 66.7, "visits": 31}
EXPECTED_B = {"volunteers_active": 1, "recipients_active": 1, "recipients_visited_ok": 1,
              "recipients_visited_pct": 100.0, "visits": 10}
PROVINCE = {"volunteers_active": 3, "recipients_active": 4, "recipients_visited_ok": 3,
            "recipients_visited_pct": 75.0, "visits": 41}


def test_hand_count_reads_the_boundaries_as_the_doc_says(register):
    per_club, area_row = hand_count(Area.objects.get(level=Area.Level.PROVINCE), D)
    assert per_club == {"CLB-H": EXPECTED_H, "CLB-B": EXPECTED_B}
    assert area_row == PROVINCE


@pytest.mark.parametrize("d", [D, NEXT_YEAR, datetime.date(2025, 10, 16), datetime.date(2025, 10, 31),
                               datetime.date(2025, 6, 30), datetime.date(2025, 1, 1), datetime.date(2024, 12, 31)])
@pytest.mark.parametrize("where", ["province", "105", "106"])
def test_compute_and_json_equal_the_hand_count(register, d, where):
    area = Area.objects.get(level=Area.Level.PROVINCE) if where == "province" else district(where)
    per_club, area_row = hand_count(area, d)
    ind = compute(area=area, as_of=d)
    assert {c.code: {k: c.to_json()["care"][k] for k in KEYS} for c in ind.clubs} == per_club
    data = _json(d) if where == "province" else _json(d, district=where)
    assert {k: data["care"][k] for k in KEYS} == area_row
    assert {c["code"]: {k: c["care"][k] for k in KEYS} for c in data["clubs"]} == per_club


def test_boundaries_at_other_dates(register):
    def club_h(d):
        return {c.code: c for c in compute(area=district("105"), as_of=d).clubs}["CLB-H"]

    # 16/10: mid's care began on 15/10 and October counts up to D, with no visit yet.
    assert (club_h(datetime.date(2025, 10, 16)).recipients_active,
            club_h(datetime.date(2025, 10, 16)).recipients_visited_ok) == (4, 1)  # every, missing, mid, left
    # 30/06: every, missing, ended and left are cared for, all but missing visited each month;
    # vol_left is still a volunteer.
    june = club_h(datetime.date(2025, 6, 30))
    assert (june.volunteers_active, june.recipients_active, june.recipients_visited_ok) == (3, 4, 3)
    # 01/01/2026: the period restarts; every is cared for on 1 January and not visited yet.
    new_year = club_h(NEXT_YEAR)
    assert (new_year.recipients_active, new_year.recipients_visited_ok, new_year.visits) == (3, 0, 0)
    dissolved = {c.code: c for c in compute(area=district("105"), as_of=datetime.date(2025, 6, 30)).clubs}
    assert (dissolved["CLB-GIAI-THE"].recipients_visited_ok, dissolved["CLB-GIAI-THE"].visits) == (1, 6)


def test_area_json_names_the_keys_of_the_doc(register):
    care = _json(D, district="105")["care"]
    assert {k: care[k] for k in KEYS} == EXPECTED_H
    assert list(care)[-5:] == list(KEYS)
    empty = _json(D, commune="03408")["care"]  # a commune without clubs: no share of nothing
    assert (empty["recipients_active"], empty["recipients_visited_pct"]) == (0, 0.0)


def _homecare_cards(html):
    start = html.index('id="headline-homecare"')
    text = " ".join(re.sub(r"<[^>]+>", " ", html[html.index(">", start) + 1:]).split())
    last = text.index("Lượt thăm trong năm ") + len("Lượt thăm trong năm ")
    return text[:text.index(" ", last)]  # up to the last card's value


def test_dashboard_shows_volunteers_and_recipients_side_by_side(register, officer_client, staff_a):
    response = officer_client.get(URL, {"on": "31/12/2025"})
    assert "Chăm sóc tại nhà" in response.content.decode()
    assert _homecare_cards(response.content.decode()) == (
        "Tình nguyện viên chăm sóc tại nhà 3 Người được chăm sóc 4 Được thăm đủ các tháng 3 "
        "Tỷ lệ được thăm đủ các tháng 75,0% Lượt thăm trong năm 41")
    staff_client = Client()
    staff_client.force_login(staff_a)
    assert _homecare_cards(staff_client.get(URL, {"on": "31/12/2025"}).content.decode()) == (
        "Tình nguyện viên chăm sóc tại nhà 2 Người được chăm sóc 3 Được thăm đủ các tháng 2 "
        "Tỷ lệ được thăm đủ các tháng 66,7% Lượt thăm trong năm 31")
    empty = officer_client.get(URL, {"on": "31/12/2025", "area": "commune:03408"}).content.decode()
    assert "Tỷ lệ được thăm đủ các tháng —" in _homecare_cards(empty)


def _matrix_cells(html, code):
    row = re.search(rf'<tr data-club="{code}">(.*?)</tr>', html, re.S).group(1)
    return {name: " ".join(re.sub(r"<[^>]+>", " ", text).split())
            for name, text in re.findall(r'data-care="(\w+)">(.*?)</td>', row, re.S)}


def test_matrix_has_the_health_and_home_care_columns(register, officer_client):
    from care.tests.factories import session_with

    h = Club.objects.get(code="CLB-H")
    checked = Member.objects.filter(club=h, left_on__isnull=True).order_by("pk")[:2]
    session_with(h, datetime.date(2025, 5, 1), {checked[0]: (150, 85, None), checked[1]: (120, 80, None)})
    html = officer_client.get(URL, {"on": "31/12/2025"}).content.decode()
    # CLB-H: 2 of its 7 active members checked (28,6%), both older (born 1955), one reading high.
    assert _matrix_cells(html, "CLB-H") == {
        "members_checked": "2 28,6%", "older_checked": "2", "members_high": "1", "volunteers_active": "2",
        "recipients_active": "3", "recipients_visited_ok": "2 66,7%", "visits": "31"}
    assert _matrix_cells(html, "CLB-B") == {
        "members_checked": "0 0,0%", "older_checked": "0", "members_high": "0", "volunteers_active": "1",
        "recipients_active": "1", "recipients_visited_ok": "1 100,0%", "visits": "10"}
    assert "CLB-GIAI-THE" not in html
    # Sorted by visits, fewest first.
    sorted_html = officer_client.get(URL, {"on": "31/12/2025", "sort": "visits"}).content.decode()
    assert sorted_html.index('data-club="CLB-B"') < sorted_html.index('data-club="CLB-H"')
    for header in ("Khám/đo", "TNV", "Được CS", "Thăm đủ", "Lượt thăm"):
        assert f">{header}</a></th>" in html


def test_annual_report_section_5_has_the_home_care_figures(register, officer, tmp_path):
    from openpyxl import load_workbook

    from reporting import annual, report_files
    from reporting.tests.test_report import make_report, pdf_text, squash

    context = annual.build_context(make_report(Area.objects.get(level=Area.Level.PROVINCE), officer))
    sentence = ("Về chăm sóc tại nhà: đến ngày 31/12/2025, các CLB có 3 tình nguyện viên chăm sóc tại nhà và 4 "
                "người được chăm sóc tại nhà; trong đó 3 người, chiếm 75,0%, được tình nguyện viên đến thăm ít "
                "nhất một lần trong mỗi tháng được chăm sóc của năm 2025. Trong năm, các tình nguyện viên đã "
                "thực hiện 41 lượt thăm, giúp đỡ tại nhà.")
    html = squash(re.sub(r"<[^>]+>", "", report_files.render_html(context)))
    assert sentence in html
    text = squash(pdf_text(report_files.render_pdf(context), tmp_path))
    assert sentence in text
    assert "chưa theo dõi" not in text
    assert text.index("5. Chăm sóc sức khỏe và chăm sóc tại nhà") < text.index(sentence) < text.index("6. Kết quả theo")

    sheet = load_workbook(io.BytesIO(report_files.render_xlsx(context)))["Tổng hợp"]
    summary = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert summary["Tình nguyện viên chăm sóc tại nhà"] == 3
    assert summary["Người được chăm sóc tại nhà"] == 4
    assert summary["Người được chăm sóc được thăm đủ các tháng"] == 3
    assert summary["Tỷ lệ người được chăm sóc được thăm đủ các tháng (%)"] == 75.0
    assert summary["Lượt thăm chăm sóc trong năm"] == 41

    matrix = load_workbook(io.BytesIO(report_files.render_xlsx(context)))["Ma trận CLB"]
    header = [c.value for c in matrix[2]]
    rows = {r[0]: dict(zip(header, r)) for r in matrix.iter_rows(min_row=3, values_only=True)}
    assert [(rows[code]["Tình nguyện viên chăm sóc tại nhà"], rows[code]["Người được chăm sóc tại nhà"],
             rows[code]["Người được chăm sóc được thăm đủ các tháng"], rows[code]["Lượt thăm chăm sóc trong năm"])
            for code in ("CLB-B", "CLB-H")] == [(1, 1, 1, 10), (2, 3, 2, 31)]
    assert "CLB-GIAI-THE" not in rows


def _more_clubs(count):
    for i in range(count):
        club = ClubFactory(code=f"CLB-Q{i:02d}", commune=commune(COMMUNE_IN_B))
        vol = MemberFactory(club=club, is_homecare_volunteer=True)
        monthly(care_for(MemberFactory(club=club), datetime.date(2025, 1, 1), volunteers=[vol]), vol, range(1, 13), 9)


def test_dashboard_and_report_take_a_fixed_number_of_queries(register, officer_client, officer,
                                                              django_assert_num_queries):
    from reporting import annual
    from reporting.tests.test_report import make_report
    from reporting.tests.test_report_views import _queries

    report = make_report(Area.objects.get(level=Area.Level.PROVINCE), officer)

    def dashboard():
        cache.clear()  # cold: computed, not read from the cache
        assert officer_client.get(URL, {"on": "31/12/2025"}).status_code == 200

    small = [_queries(dashboard), _queries(lambda: annual.build_context(report))]
    _more_clubs(12)
    with django_assert_num_queries(small[0]):
        dashboard()
    with django_assert_num_queries(small[1]):
        context = annual.build_context(report)
    assert context["ind"].visits == 41 + 12 * 12 and context["ind"].recipients_visited_ok == 3 + 12
