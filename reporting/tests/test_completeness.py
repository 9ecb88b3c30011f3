"""Monthly completeness (issue 15 point 1): marking a month, the month page, the year grid, their scope."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from care.tests.factories import session_with
from clubs import month_services
from clubs.models import MonthReport
from clubs.tests.factories import (
    COMMUNE_IN_A, COMMUNE_IN_B, ActivityFactory, ClubFactory, MemberFactory, commune, recorder,
)
from funds.tests.factories import FundEntryFactory, LoanFactory
from clubs.models import Meeting

pytestmark = pytest.mark.django_db
URL = reverse("reporting:completeness")
YEAR_URL = reverse("reporting:completeness_year")


def codes(exc):
    return {key: [e.code for e in errors] for key, errors in exc.value.error_dict.items()}


def mark(club, year=2025, month=3, user=None):
    return month_services.month_report_mark(user=user or recorder(), club=club, year=year, month=month)


def test_a_mark_records_who_and_when_and_unmarking_needs_a_reason_kept_in_history(club_a, staff_a):
    found = mark(club_a, user=staff_a)
    assert found.reported and found.marked_by == staff_a and found.marked_at is not None
    with pytest.raises(ValidationError) as exc:
        mark(club_a)
    assert codes(exc) == {"month": ["already_reported"]}
    with pytest.raises(ValidationError) as exc:
        month_services.month_report_unmark(user=staff_a, club=club_a, year=2025, month=3, reason="  ")
    assert codes(exc) == {"reason": ["required"]}
    month_services.month_report_unmark(user=staff_a, club=club_a, year=2025, month=3, reason="Nhập thiếu sổ quỹ")
    found.refresh_from_db()
    assert not found.reported and found.unmark_reason == "Nhập thiếu sổ quỹ"
    history = list(found.history.order_by("history_date"))
    assert [(h.reported, h.history_user) for h in history] == [(True, staff_a), (False, staff_a)]
    mark(club_a)  # marked again once the books are right
    assert MonthReport.objects.get().reported


def test_a_club_is_due_only_for_months_it_is_active_in(district_a):
    club = ClubFactory(founded_on=datetime.date(2025, 3, 20), dissolved_on=datetime.date(2025, 5, 10),
                       dissolution_reason="Sáp nhập")
    for month, code in ((2, "not_due"), (6, "not_due")):
        with pytest.raises(ValidationError) as exc:
            mark(club, month=month)
        assert codes(exc) == {"month": [code]}
    mark(club, month=3)
    mark(club, month=5)
    with pytest.raises(ValidationError) as exc:
        mark(ClubFactory(), year=2099, month=1)
    assert codes(exc) == {"month": ["not_begun"]}


def test_the_month_page_shows_what_each_club_entered_and_its_mark(officer_client, club_a, club_b):
    member = MemberFactory(club=club_a)
    ActivityFactory(club=club_a, date=datetime.date(2025, 3, 10), area=1)
    ActivityFactory(club=club_a, date=datetime.date(2025, 3, 11), area=3)
    ActivityFactory(club=club_a, date=datetime.date(2025, 3, 12), area=3)
    ActivityFactory(club=club_a, date=datetime.date(2025, 4, 1))  # another month
    Meeting.objects.create(club=club_a, held_on=datetime.date(2025, 3, 15))
    FundEntryFactory(club=club_a, date=datetime.date(2025, 3, 2))
    LoanFactory(club=club_a, member=member, disbursed_on=datetime.date(2025, 3, 20))
    session_with(club_a, datetime.date(2025, 3, 15), {member: (120, 80, None)})
    mark(club_a)
    response = officer_client.get(URL, {"month": "2025-03"})
    rows = {r.code: r for r in response.context["found"].rows}
    a, b = rows["CLB-A1"], rows["CLB-B1"]
    assert (a.activities, a.areas, a.meetings, a.fund_movements, a.health_sessions, a.reported) == (3, 2, 1, 2, 1, True)
    assert a.entered and not b.entered and not b.reported
    text = response.content.decode()
    assert "1/2 CLB đã báo cáo (50,0%)" in text
    # March 2025 is over: the officer sees the district that is late, with how many clubs.
    late = [(d.name, d.late) for d in response.context["found"].late_districts]
    assert late == [(club_b.commune.parent.name, 1)]
    assert "Huyện chưa báo cáo đủ" in text


def test_percentages_by_district_and_commune(officer_client, club_a):
    other = ClubFactory(commune=commune(COMMUNE_IN_A))
    ClubFactory(commune=commune(COMMUNE_IN_B))
    mark(club_a)
    mark(other)
    found = officer_client.get(URL, {"month": "2025-03"}).context["found"]
    by_name = {d.name: (d.due, d.reported, d.pct) for d in found.by_district}
    assert by_name == {club_a.commune.parent.name: (2, 2, "100,0%"), commune(COMMUNE_IN_B).parent.name: (1, 0, "0,0%")}
    assert sorted((c.due, c.reported) for c in found.by_commune) == [(1, 0), (2, 2)]


def test_the_year_grid_shows_each_month_state(officer_client, district_a):
    club = ClubFactory(code="CLB-G1", founded_on=datetime.date(2025, 3, 20))
    mark(club, month=4)
    grid = {c.code: c for c in officer_client.get(YEAR_URL, {"year": "2025"}).context["page"].object_list}
    states = dict(grid["CLB-G1"].cells)
    assert (states[2], states[3], states[4], states[12]) == ("not_due", "late", "reported", "late")
    assert (grid["CLB-G1"].reported, grid["CLB-G1"].due) == (1, 10)


def test_district_staff_see_and_mark_only_their_district(staff_a_client, club_a, club_b):
    rows = staff_a_client.get(URL, {"month": "2025-03"}).context["found"].rows
    assert [r.code for r in rows] == ["CLB-A1"]
    grid = staff_a_client.get(YEAR_URL, {"year": "2025"}).context["page"].object_list
    assert [c.code for c in grid] == ["CLB-A1"]
    response = staff_a_client.post(reverse("clubs:month_mark", args=["CLB-B1", 2025, 3]))
    assert response.status_code == 404 and not MonthReport.objects.exists()
    assert staff_a_client.get(URL, {"month": "2025-03", "area": f"district:{club_b.commune.parent.code}"}).status_code == 404


def test_marking_from_the_page_and_unmarking_with_a_reason(staff_a_client, staff_a, club_a):
    back = URL + "?month=2025-03"
    response = staff_a_client.post(reverse("clubs:month_mark", args=["CLB-A1", 2025, 3]), {"next": back})
    assert response.status_code == 302 and response.url == back
    assert MonthReport.objects.get().marked_by == staff_a
    unmark = reverse("clubs:month_unmark", args=["CLB-A1", 2025, 3])
    response = staff_a_client.post(unmark, {"reason": "", "next": back})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert MonthReport.objects.get().reported
    response = staff_a_client.post(unmark, {"reason": "Sai tháng", "next": back})
    assert response.status_code == 302 and not MonthReport.objects.get().reported


def test_a_login_without_staff_role_is_refused(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403
    assert client.get(YEAR_URL).status_code == 403


def test_anonymous_is_sent_to_login(anon_client):
    assert anon_client.get(URL).status_code == 302


@pytest.mark.parametrize("url", [URL, YEAR_URL])
def test_a_fixed_number_of_queries_whatever_the_number_of_clubs(officer_client, django_assert_num_queries, url,
                                                                 district_a):
    params = {"month": "2025-03", "year": "2025"}
    ClubFactory()
    officer_client.get(url, params)
    with django_assert_num_queries(_count(officer_client, url, params)) as few:
        officer_client.get(url, params)
    for _ in range(6):
        club = ClubFactory()
        ActivityFactory(club=club)
        mark(club)
    with django_assert_num_queries(len(few.captured_queries)):
        officer_client.get(url, params)


def _count(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        client.get(url, params)
    return len(seen.captured_queries)


def test_the_pages_read_in_english(officer_client, club_a):
    from clubs.tests.i18n import assert_pages_read, switch

    urls = {"month": URL + "?month=2025-03", "year": YEAR_URL + "?year=2025",
            "unmark": reverse("clubs:month_unmark", args=["CLB-A1", 2025, 3])}
    vietnamese = {"month": ["Báo cáo tháng 03/2025", "Đánh dấu đã báo cáo", "Theo huyện cũ", "chưa có"],
                  "year": ["Báo cáo tháng năm 2025", "không phải báo cáo"],
                  "unmark": ["Lý do bỏ đánh dấu"]}
    english = {"month": ["Monthly reports 03/2025", "Mark as reported", "By former district", "none"],
               "year": ["Monthly reports of 2025", "not due"],
               "unmark": ["Reason for taking the mark back"]}
    assert_pages_read(officer_client, urls, vietnamese)
    switch(officer_client, "en", urls["month"])
    assert_pages_read(officer_client, urls, english, vietnamese, lang="en")


def test_marks_and_unmarks_are_in_the_club_history(staff_a_client, staff_a, club_a):
    mark(club_a, user=staff_a)
    month_services.month_report_unmark(user=staff_a, club=club_a, year=2025, month=3, reason="Sai sổ quỹ")
    page = staff_a_client.get(reverse("clubs:history", args=["CLB-A1"])).content.decode()
    assert page.count("Báo cáo tháng 03/2025") == 2 and "Sai sổ quỹ" in page
