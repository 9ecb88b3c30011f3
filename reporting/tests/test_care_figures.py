"""Health figures of docs/indicators-care.md §1 in compute(), `indicators --json`, the dashboard and
the annual report, against a hand count of the register (plain rows, rules applied in Python)."""
import datetime
import io
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from care.models import HealthCheck, HealthSession
from care.tests.factories import session_with
from clubs.models import Area, Club, Member
from clubs.tests.factories import COMMUNE_IN_B, ClubFactory, MemberFactory, commune, district
from reporting.indicators import club_figures, compute
from reporting.tests.handcount import age_on, percent

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 12, 31)
NEXT_YEAR = datetime.date(2026, 1, 1)
NORMAL, HIGH = (120, 80, None), (150, 85, None)


def hand_count(area, d):
    """Per club code and for the area: the §1 figures, from plain rows, one register line at a time."""
    start = datetime.date(d.year, 1, 1)
    areas = {a["id"]: a for a in Area.objects.values("id", "parent_id")}
    clubs = {}
    for c in Club.objects.values("id", "code", "founded_on", "dissolved_on", "commune_id"):
        active = c["founded_on"] <= d and (c["dissolved_on"] is None or c["dissolved_on"] > d)
        inside = (area.level == "province" or (area.level == "district" and areas[c["commune_id"]]["parent_id"] == area.pk)
                  or c["commune_id"] == area.pk)
        if active and inside:
            clubs[c["id"]] = c
    members = {m["id"]: m for m in Member.objects.values("id", "club_id", "birth_year", "birth_date", "joined_on",
                                                          "left_on")
               if m["club_id"] in clubs and m["joined_on"] <= d and (m["left_on"] is None or m["left_on"] > d)}
    sessions = {s["id"]: s for s in HealthSession.objects.values("id", "club_id", "date")}
    checks = list(HealthCheck.objects.values("session_id", "member_id", "systolic", "diastolic", "removed"))
    rows = {}
    for cid, c in clubs.items():
        mine = [m for m in members.values() if m["club_id"] == cid]
        older = [m for m in mine if age_on(m, d) >= 60]
        checked, latest = set(), {}
        for ch in checks:
            s = sessions[ch["session_id"]]
            if ch["removed"] or s["club_id"] != cid or ch["member_id"] not in members:
                continue
            if members[ch["member_id"]]["club_id"] != cid:
                continue
            if start <= s["date"] <= d:
                checked.add(ch["member_id"])
            if ch["systolic"] is not None and s["date"] <= d:
                key = (s["date"], ch["session_id"])
                if ch["member_id"] not in latest or key > latest[ch["member_id"]][0]:
                    latest[ch["member_id"]] = (key, ch["systolic"], ch["diastolic"])
        older_checked = [m for m in older if m["id"] in checked]
        rows[c["code"]] = {
            "health_sessions": sum(1 for s in sessions.values() if s["club_id"] == cid and start <= s["date"] <= d),
            "members_checked": len(checked),
            "members_checked_pct": float(percent(len(checked), len(mine))),
            "older_checked": len(older_checked),
            "older_checked_pct": float(percent(len(older_checked), len(older))),
            "members_high": sum(1 for _k, sys, dia in latest.values() if sys >= 140 or dia >= 90),
            "_n": len(mine), "_older": len(older),
        }
    total = {k: sum(r[k] for r in rows.values())
             for k in ("health_sessions", "members_checked", "older_checked", "members_high", "_n", "_older")}
    area_row = {
        "health_sessions": total["health_sessions"],
        "clubs_with_health": sum(1 for r in rows.values() if r["health_sessions"] >= 1),
        "members_checked": total["members_checked"],
        "members_checked_pct": float(percent(total["members_checked"], total["_n"])),
        "older_checked": total["older_checked"],
        "older_checked_pct": float(percent(total["older_checked"], total["_older"])),
        "members_high": total["members_high"],
    }
    return {code: {k: v for k, v in r.items() if not k.startswith("_")} for code, r in rows.items()}, area_row


def member(club, *, born=None, born_year=None, left_on=None):
    if born is not None:
        return MemberFactory(club=club, birth_date=born, birth_year=born.year, left_on=left_on)
    return MemberFactory(club=club, birth_year=born_year, left_on=left_on)


@pytest.fixture
def register(db):
    """Club H (district 105) with every boundary of §1; a dissolved club; a club in district 106."""
    club = ClubFactory(code="CLB-H", founded_on=datetime.date(2022, 3, 1))
    m = {
        # 60 on 31/12/2025 exactly: an older person at D, checked on the last day of the period.
        "last_day": member(club, born=datetime.date(1965, 12, 31)),
        # 60 on 01/01/2026: not older at D; checked on the first day of the next year only.
        "next_year": member(club, born=datetime.date(1966, 1, 1)),
        "twice": member(club, born_year=1965),  # no birth date: 2025 − 1965 = 60, older
        "removed": member(club, born_year=1990),
        "left": member(club, born_year=1950, left_on=datetime.date(2025, 10, 1)),
        "first_day": member(club, born_year=1985),
        "high_last_year": member(club, born_year=1950),
        "never": member(club, born_year=1966),  # 59 at D
    }
    session_with(club, datetime.date(2024, 11, 5), {m["high_last_year"]: HIGH, m["first_day"]: HIGH})
    session_with(club, datetime.date(2025, 1, 1), {m["first_day"]: NORMAL})
    session_with(club, datetime.date(2025, 3, 5), {m["twice"]: NORMAL})
    june = session_with(club, datetime.date(2025, 6, 1), {m["twice"]: (None, None, 52), m["left"]: HIGH,
                                                            m["removed"]: (180, 100, None)})
    HealthCheck.objects.filter(session=june, member=m["removed"]).update(removed=True)
    session_with(club, D, {m["last_day"]: HIGH})
    session_with(club, NEXT_YEAR, {m["next_year"]: HIGH})

    gone = ClubFactory(code="CLB-GIAI-THE", founded_on=datetime.date(2022, 3, 1), dissolved_on=datetime.date(2025, 11, 30))
    g = member(gone, born_year=1950)
    session_with(gone, datetime.date(2025, 6, 2), {g: HIGH})

    other = ClubFactory(code="CLB-B", commune=commune(COMMUNE_IN_B))
    b1, b2 = member(other, born_year=1950), member(other, born_year=1980)
    session_with(other, datetime.date(2025, 4, 1), {b1: (None, None, 60), b2: (200, 95, None)})
    return m


EXPECTED_H = {"health_sessions": 4, "members_checked": 3, "members_checked_pct": 42.9,  # 3 of 7 active
              "older_checked": 2, "older_checked_pct": 66.7,  # 2 of 3 older: last_day, twice, high_last_year
              "members_high": 2}  # last_day, high_last_year (removed, left and next year's do not count)


def _json(d, **area):
    out = StringIO()
    call_command("indicators", "--as-of", d.isoformat(), "--json", *[f"--{k}={v}" for k, v in area.items()],
                 stdout=out)
    return json.loads(out.getvalue())


def test_hand_count_reads_the_boundaries_as_the_doc_says(register):
    province = Area.objects.get(level=Area.Level.PROVINCE)
    per_club, _area = hand_count(province, D)
    assert per_club["CLB-H"] == EXPECTED_H
    assert "CLB-GIAI-THE" not in per_club


@pytest.mark.parametrize("d", [D, NEXT_YEAR, datetime.date(2025, 9, 30), datetime.date(2025, 6, 30),
                               datetime.date(2025, 1, 1), datetime.date(2024, 12, 31)])
@pytest.mark.parametrize("where", ["province", "105", "106"])
def test_compute_and_json_equal_the_hand_count(register, d, where):
    area = Area.objects.get(level=Area.Level.PROVINCE) if where == "province" else district(where)
    per_club, area_row = hand_count(area, d)
    ind = compute(area=area, as_of=d)
    assert {c.code: {k: c.to_json()["care"][k] for k in EXPECTED_H} for c in ind.clubs} == per_club
    data = _json(d) if where == "province" else _json(d, district=where)
    assert {k: data["care"][k] for k in area_row} == area_row  # §2's keys: test_homecare_figures.py
    assert {c["code"]: {k: c["care"][k] for k in EXPECTED_H} for c in data["clubs"]} == per_club
    assert (float(ind.members_checked_pct), ind.members_high) == (area_row["members_checked_pct"],
                                                                   area_row["members_high"])


def test_year_boundary_and_leavers(register):
    rows = {c.code: c for c in club_figures(area=Area.objects.get(level=Area.Level.PROVINCE), as_of=NEXT_YEAR)}
    # On 01/01/2026 the period restarts: only the check of that day counts, by a member now 60.
    assert (rows["CLB-H"].members_checked, rows["CLB-H"].older_checked, rows["CLB-H"].health_sessions) == (1, 1, 1)
    before_leaving = {c.code: c for c in club_figures(area=district("105"), as_of=datetime.date(2025, 9, 30))}
    # The member who left on 01/10/2025 still counts on 30/09, checked and with a high reading (the
    # check of 31/12 is not taken yet).
    assert (before_leaving["CLB-H"].members_checked, before_leaving["CLB-H"].members_high) == (3, 2)
    assert before_leaving["CLB-H"].n == 8
    while_active = {c.code: c for c in club_figures(area=district("105"), as_of=datetime.date(2025, 6, 30))}
    assert while_active["CLB-GIAI-THE"].members_checked == 1


def test_area_json_names_the_keys_of_the_doc(register):
    data = _json(D, district="105")
    assert data["care"] == {"health_sessions": 4, "clubs_with_health": 1, "members_checked": 3,
                            "members_checked_pct": 42.9, "older_checked": 2, "older_checked_pct": 66.7,
                            "members_high": 2, "volunteers_active": 0, "recipients_active": 0,
                            "recipients_visited_ok": 0, "recipients_visited_pct": 0.0, "visits": 0}


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_health_figures_take_a_fixed_number_of_queries(register):
    province = Area.objects.get(level=Area.Level.PROVINCE)
    small = _queries(lambda: compute(area=province, as_of=D))
    for i in range(5):
        club = ClubFactory(code=f"CLB-Q{i}")
        a, b = member(club, born_year=1950), member(club, born_year=1980)
        session_with(club, datetime.date(2025, 5, 1), {a: HIGH, b: NORMAL})
    assert compute(area=province, as_of=D).members_checked == 3 + 2 + 10
    assert _queries(lambda: compute(area=province, as_of=D)) == small


def _health_cards(response):
    """The text of the health card group: each label followed by its value."""
    html = response.content.decode()
    start = html.index('id="headline-health"')
    text = " ".join(re.sub(r"<[^>]+>", " ", html[html.index(">", start) + 1:]).split())
    last = text.index("Cần theo dõi huyết áp ") + len("Cần theo dõi huyết áp ")
    return text[:text.index(" ", last)]  # up to the last card's value


def test_dashboard_shows_the_health_cards_of_the_area(register, officer_client, staff_a):
    url = reverse("reporting:dashboard")
    # Province: CLB-H 3 of 7 checked, 2 older, 2 to follow up; CLB-B 2 of 2, 1 older, 1 high.
    response = officer_client.get(url, {"on": "31/12/2025"})
    assert "Chăm sóc sức khỏe" in response.content.decode()
    assert _health_cards(response) == ("Thành viên được khám/đo trong năm 5 Tỷ lệ thành viên được khám/đo 55,6% "
                                       "NCT được khám/đo trong năm 3 Cần theo dõi huyết áp 3")
    # District staff see their former district only.
    staff_client = Client()
    staff_client.force_login(staff_a)
    assert _health_cards(staff_client.get(url, {"on": "31/12/2025"})) == (
        "Thành viên được khám/đo trong năm 3 Tỷ lệ thành viên được khám/đo 42,9% "
        "NCT được khám/đo trong năm 2 Cần theo dõi huyết áp 2")
    # A commune without clubs: no share of nothing.
    empty = officer_client.get(url, {"on": "31/12/2025", "area": "commune:03408"})
    assert "Tỷ lệ thành viên được khám/đo —" in _health_cards(empty)


def test_annual_report_has_the_health_section_at_31_12(register, officer, tmp_path):
    from openpyxl import load_workbook

    from reporting import annual, report_files
    from reporting.tests.test_report import make_report, pdf_text, squash

    province = Area.objects.get(level=Area.Level.PROVINCE)
    context = annual.build_context(make_report(province, officer))
    text = squash(pdf_text(report_files.render_pdf(context), tmp_path))
    # CLB-H and CLB-B: 4 + 1 sessions in 2025 (not the one of 01/01/2026), 3 + 2 of 9 members checked,
    # 2 + 1 of 4 older members, 2 + 1 to follow up; the club dissolved in November counts nowhere.
    assert "5. Chăm sóc sức khỏe và chăm sóc tại nhà" in text
    assert "trong năm 2025, 2/2 CLB đã tổ chức 5 buổi khám, đo sức khỏe" in text
    assert "Đến ngày 31/12/2025, 5 thành viên đang sinh hoạt được khám, đo ít nhất một lần trong năm, chiếm 55,6%" in text
    assert "trong đó 3 người cao tuổi, chiếm 75,0% số người cao tuổi" in text
    assert "Có 3 thành viên có lần đo huyết áp gần nhất ở mức cao" in text
    assert "Về chăm sóc tại nhà: đến ngày 31/12/2025, các CLB có 0 tình nguyện viên" in text
    assert text.index("5. Chăm sóc sức khỏe") < text.index("6. Kết quả theo") < text.index("8. Đánh giá chung")

    sheet = load_workbook(io.BytesIO(report_files.render_xlsx(context)))["Tổng hợp"]
    summary = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert summary["Thành viên được khám/đo trong năm"] == 5
    assert summary["Tỷ lệ thành viên được khám/đo (%)"] == 55.6
    assert summary["Thành viên cần theo dõi huyết áp"] == 3
