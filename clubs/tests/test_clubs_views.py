"""Club screens: list with filters and search, club page, forms, history, and who may reach them."""
import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clubs import checks
from clubs.models import Activity, ActivityArea, Area, BoardMembership, Club, Meeting, Member, Track
from clubs.templatetags import clb
from clubs.tests.factories import (
    COMMUNE_IN_A, COMMUNE_IN_B, ActivityFactory, BoardMembershipFactory, ClubFactory, MemberFactory, add_members,
    commune,
)
from clubs.tests.i18n import switch

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- access to every view


def _club_urls(club, member, seat, meeting):
    c = club.code
    return [
        reverse("clubs:detail", args=[c]),
        reverse("clubs:edit", args=[c]),
        reverse("clubs:dissolve", args=[c]),
        reverse("clubs:members", args=[c]),
        reverse("clubs:member_add", args=[c]),
        reverse("clubs:member_edit", args=[c, member.pk]),
        reverse("clubs:member_leave", args=[c, member.pk]),
        reverse("clubs:board", args=[c]),
        reverse("clubs:board_end", args=[c, seat.pk]),
        reverse("clubs:activities", args=[c]),
        reverse("clubs:activity_sheet", args=[c, 2025, 3]),
        reverse("clubs:meetings", args=[c]),
        reverse("clubs:meeting_add", args=[c]),
        reverse("clubs:meeting_edit", args=[c, meeting.pk]),
        reverse("clubs:history", args=[c]),
    ]


@pytest.fixture
def club_b_objects(club_b):
    member = MemberFactory(club=club_b, full_name="Tẩn Mẩy Chăn")
    seat = BoardMembershipFactory(member=member)
    meeting = club_b.meetings.create(held_on=datetime.date(2025, 3, 5))
    return member, seat, meeting


def test_staff_of_another_district_get_404_on_every_page_and_post(staff_a_client, club_b, club_b_objects):
    member, seat, meeting = club_b_objects
    before = (Club.objects.get(pk=club_b.pk).name, Member.objects.get(pk=member.pk).full_name)
    for url in _club_urls(club_b, *club_b_objects):
        assert staff_a_client.get(url).status_code == 404, url
        post = staff_a_client.post(url, {
            "name": "Đổi tên", "code": "X", "full_name": "Đổi", "dissolved_on": "01/01/2025",
            "dissolution_reason": "x", "left_on": "01/01/2025", "ended_on": "01/01/2025", "held_on": "01/01/2025",
        })
        assert post.status_code == 404, url
    member.refresh_from_db()
    seat.refresh_from_db()
    assert (Club.objects.get(pk=club_b.pk).name, member.full_name) == before
    assert member.left_on is None and seat.ended_on is None and Club.objects.get(pk=club_b.pk).dissolved_on is None


def test_a_member_cannot_be_reached_through_another_clubs_url(staff_a_client, club_a, club_b_objects):
    member = club_b_objects[0]
    assert staff_a_client.get(reverse("clubs:member_edit", args=[club_a.code, member.pk])).status_code == 404
    assert staff_a_client.post(reverse("clubs:member_leave", args=[club_a.code, member.pk]),
                               {"left_on": "01/01/2025"}).status_code == 404


def test_a_seat_or_meeting_cannot_be_reached_through_another_clubs_url(staff_a_client, club_a, club_b_objects):
    _member, seat, meeting = club_b_objects
    for url in (reverse("clubs:board_end", args=[club_a.code, seat.pk]),
                reverse("clubs:meeting_edit", args=[club_a.code, meeting.pk])):
        assert staff_a_client.get(url).status_code == 404, url
        assert staff_a_client.post(url, {"ended_on": "01/01/2025", "held_on": "02/01/2025"}).status_code == 404, url
    seat.refresh_from_db()
    meeting.refresh_from_db()
    assert seat.ended_on is None and meeting.held_on == datetime.date(2025, 3, 5)


def test_the_same_pages_open_for_their_own_district_and_the_officer(staff_b_client, officer, club_b, club_b_objects, client):
    for url in _club_urls(club_b, *club_b_objects):
        assert staff_b_client.get(url).status_code == 200, url
    client.force_login(officer)
    for url in _club_urls(club_b, *club_b_objects):
        assert client.get(url).status_code == 200, url


def test_member_search_only_shows_visible_members(staff_a_client, club_a, club_b_objects):
    MemberFactory(club=club_a, full_name="Tẩn Mẩy Chăn")
    html = staff_a_client.get(reverse("clubs:member_search"), {"q": "tan may chan"}).content.decode()
    assert club_a.code in html and "CLB-B1" not in html


# ---------------------------------------------------------------- list


def test_list_query_count_does_not_grow_with_clubs(officer_client, django_assert_max_num_queries):
    def queries_for(count):
        for i in range(count - Club.objects.count()):
            club = ClubFactory(commune=commune(COMMUNE_IN_A if i % 2 else COMMUNE_IN_B))
            add_members(club, women=2, men=1)
            ActivityFactory(club=club, date=datetime.date(2025, 2, 1))
        clb._memo.clear()  # each time the whole page, the filters' choices among it
        with CaptureQueriesContext(connection) as ctx:
            response = officer_client.get(reverse("clubs:list"), {"failing": "composition"})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    three, thirty = queries_for(3), queries_for(30)
    assert three == thirty
    with django_assert_max_num_queries(three):
        officer_client.get(reverse("clubs:list"), {"q": "clb", "track": "new_budget", "status": "active"})


def _codes(response):
    return {club.code for club, *_shown in response.context["rows"]}


def test_filters_by_district_commune_track_and_status(officer_client):
    a = ClubFactory(code="A", commune=commune(COMMUNE_IN_A), track=Track.EXISTING, founded_on=datetime.date(2018, 1, 1))
    b = ClubFactory(code="B", commune=commune(COMMUNE_IN_B), track=Track.NEW_BUDGET)
    ClubFactory(code="C", commune=commune(COMMUNE_IN_B), track=Track.OTHER, dissolved_on=datetime.date(2024, 1, 1))
    url = reverse("clubs:list")
    assert _codes(officer_client.get(url, {"district": a.commune.parent_id})) == {"A"}
    assert _codes(officer_client.get(url, {"commune": b.commune_id})) == {"B", "C"}
    assert _codes(officer_client.get(url, {"track": "existing"})) == {"A"}
    assert _codes(officer_client.get(url, {"status": "active"})) == {"A", "B"}
    assert _codes(officer_client.get(url, {"status": "dissolved"})) == {"C"}


def test_district_staff_filter_choices_only_show_their_communes(staff_a_client):
    page = staff_a_client.get(reverse("clubs:list")).content.decode()

    def offered(name):
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        return Area.objects.filter(pk__in=[int(pk) for pk in re.findall(r'<option value="(\d+)"', select)])

    communes = offered("commune")
    assert communes.exists() and {a.parent.code for a in communes} == {"105"}
    assert [a.code for a in offered("district")] == ["105"]


def test_filter_by_failing_check(officer_client):
    today = datetime.date.today()
    good = ClubFactory(code="GOOD", founded_on=datetime.date(2020, 1, 1))
    add_members(good, women=26, men=14, older_women=18, older_men=8, on=today)  # 40, 65% women, 65% older
    for area in ActivityArea:
        ActivityFactory(club=good, date=datetime.date(today.year, 1, 1), area=area)
    small = ClubFactory(code="SMALL")
    add_members(small, women=13, men=7, older_women=9, older_men=4, on=today)
    men = ClubFactory(code="MEN")
    add_members(men, women=20, men=20, older_women=13, older_men=13, on=today)
    young = ClubFactory(code="YOUNG")
    add_members(young, women=26, men=14, older_women=10, older_men=4, on=today)
    url = reverse("clubs:list")
    assert _codes(officer_client.get(url, {"failing": "size"})) == {"SMALL"}
    assert _codes(officer_client.get(url, {"failing": "women"})) == {"MEN"}
    assert _codes(officer_client.get(url, {"failing": "older"})) == {"YOUNG"}
    assert _codes(officer_client.get(url, {"failing": "composition"})) == {"SMALL", "MEN", "YOUNG"}
    assert _codes(officer_client.get(url, {"failing": "areas"})) == {"SMALL", "MEN", "YOUNG"}


@pytest.mark.parametrize("query, expected", [
    ("nguyen", {"N1"}), ("NGUYỄN", {"N1"}), ("dao", {"D1"}), ("đào", {"D1"}), ("ban na", {"D1"}),
    ("pa-105", {"PA-105"}), ("tăm", {"N1"}),
])
def test_search_ignores_diacritics_and_case(officer_client, query, expected):
    ClubFactory(code="N1", name="CLB Nguyễn Huệ", village="Nà Tăm")
    ClubFactory(code="D1", name="CLB Đào Viên", village="Bản Nà Khum")
    ClubFactory(code="PA-105", name="CLB Pa Tần", village="Khu 3")
    assert _codes(officer_client.get(reverse("clubs:list"), {"q": query})) == expected


def test_list_is_paginated(officer_client):
    for _ in range(55):
        ClubFactory()
    first = officer_client.get(reverse("clubs:list"))
    assert len(first.context["rows"]) == 50 and "Trang 1/2" in first.content.decode()
    assert len(officer_client.get(reverse("clubs:list"), {"page": 2}).context["rows"]) == 5


def _legend(response):
    page = re.sub(r"\s+", " ", response.content.decode())
    return re.search(r'<p class="small text-muted" id="club-legend">(.*?)</p>', page).group(1)


def test_list_legend_quotes_the_rules_it_colours_by(officer_client):
    legend = _legend(officer_client.get(reverse("clubs:list")))
    assert (f"ít nhất {checks.MIN_MEMBERS} thành viên, nữ {checks.SHARE_MIN_PCT}–{checks.SHARE_MAX_PCT}%, "
            f"người cao tuổi {checks.SHARE_MIN_PCT}–{checks.SHARE_MAX_PCT}%, đủ {checks.AREAS} mảng") in legend


def test_list_legend_follows_a_changed_rule(officer_client, monkeypatch):
    """The legend reads the constants of clubs/checks.py: change one and the page says so, in either language."""
    monkeypatch.setattr(checks, "MIN_MEMBERS", 35)
    monkeypatch.setattr(checks, "SHARE_MIN_PCT", 55)
    monkeypatch.setattr(checks, "SHARE_MAX_PCT", 75)
    legend = _legend(officer_client.get(reverse("clubs:list")))
    assert "ít nhất 35 thành viên, nữ 55–75%, người cao tuổi 55–75%" in legend and "40" not in legend
    switch(officer_client, "en")
    legend = _legend(officer_client.get(reverse("clubs:list")))
    assert "at least 35 members, 55–75% women, 55–75% older people, all 8 activity areas" in legend


def test_club_page_quotes_the_rules_it_checks(officer_client, monkeypatch):
    monkeypatch.setattr(checks, "MIN_MEMBERS", 35)
    monkeypatch.setattr(checks, "SHARE_MIN_PCT", 55)
    monkeypatch.setattr(checks, "SHARE_MAX_PCT", 75)
    page = re.sub(r"\s+", " ", officer_client.get(reverse("clubs:detail", args=[ClubFactory().code])).content.decode())
    size = re.search(r'<tr id="check-size">(.*?)</tr>', page).group(1)
    women = re.search(r'<tr id="check-women">(.*?)</tr>', page).group(1)
    assert "≥ 35" in size and "55–75%" in women


# ---------------------------------------------------------------- club page


def test_club_page_query_count_does_not_grow_with_clubs_or_members(officer_client, django_assert_max_num_queries):
    def queries(count):
        for _ in range(count - Club.objects.count()):
            club = ClubFactory()
            members = add_members(club, women=count, men=1)
            ActivityFactory(club=club, date=datetime.date(2025, 5, 1))
            for member in members[:count // 3]:
                BoardMembershipFactory(member=member, role="other")
            for day in range(1, count // 3 + 1):
                club.meetings.create(held_on=datetime.date(2025, 1, day)).attendees.set(members)
        # The newest club: 3 members, seats and meetings in the first run, 30 in the second.
        club = Club.objects.order_by("-pk").first()
        with CaptureQueriesContext(connection) as ctx:
            assert officer_client.get(reverse("clubs:detail", args=[club.code])).status_code == 200
        return len(ctx.captured_queries)

    assert queries(3) == queries(30)


def test_composition_panel_says_what_is_missing(officer_client, club_a):
    add_members(club_a, women=20, men=15, older_women=15, older_men=5, on=datetime.date.today())
    html = officer_client.get(reverse("clubs:detail", args=[club_a.code])).content.decode()
    assert "cần thêm 5 thành viên" in html
    assert "cần thêm 3 thành viên nữ" in html  # 35 members, 20 women: (6·35 − 10·20) / 4 → 3


def test_composition_panel_can_be_seen_at_another_date(officer_client, club_a):
    add_members(club_a, women=30, men=10, joined_on=datetime.date(2024, 1, 1), on=datetime.date(2025, 12, 31))
    response = officer_client.get(reverse("clubs:detail", args=[club_a.code]), {"on": "31/12/2023"})
    assert response.context["composition"].n == 0
    response = officer_client.get(reverse("clubs:detail", args=[club_a.code]), {"on": "31/12/2024"})
    assert response.context["composition"].n == 40 and response.context["on"] == datetime.date(2024, 12, 31)


def test_club_page_shows_areas_done_this_year_and_the_calendar(officer_client, club_a):
    ActivityFactory(club=club_a, date=datetime.date(2025, 3, 10), area=ActivityArea.HEALTH)
    ActivityFactory(club=club_a, date=datetime.date(2025, 3, 20), area=ActivityArea.HEALTH)
    ActivityFactory(club=club_a, date=datetime.date(2025, 7, 2), area=ActivityArea.CULTURE)
    ActivityFactory(club=club_a, date=datetime.date(2024, 7, 2), area=ActivityArea.INCOME)
    response = officer_client.get(reverse("clubs:detail", args=[club_a.code]), {"on": "31/12/2025"})
    assert [done for _area, done in response.context["areas"]] == [False, True, False, False, False, False, True, False]
    assert not response.context["areas_ok"]
    march = response.context["calendar"][2]
    assert march["done"] == 1 and dict((a.value, c) for a, c in march["cells"])[2] == 2


def _calendar_html(client, club, on):
    html = client.get(reverse("clubs:detail", args=[club.code]), {"on": on}).content.decode()
    return html[html.index('id="activity-calendar"'):html.index("</table>", html.index('id="activity-calendar"'))]


def test_the_calendar_on_the_club_page_follows_each_new_activity(officer_client, club_a, club_b):
    # The calendar's HTML is repeated from the process's memo ({% memo %}) while its counts are the same.
    ActivityFactory(club=club_a, date=datetime.date(2025, 3, 10), area=ActivityArea.HEALTH)
    before = _calendar_html(officer_client, club_a, "31/12/2025")
    assert before.count("table-success") == 1 and _calendar_html(officer_client, club_a, "31/12/2025") == before
    assert _calendar_html(officer_client, club_b, "31/12/2025").count("table-success") == 0  # another club's own
    ActivityFactory(club=club_a, date=datetime.date(2025, 3, 20), area=ActivityArea.HEALTH)
    twice = _calendar_html(officer_client, club_a, "31/12/2025")
    assert twice.count("table-success") == 1 and "<sup>2</sup>" in twice
    ActivityFactory(club=club_a, date=datetime.date(2025, 8, 1), area=ActivityArea.CULTURE)
    assert _calendar_html(officer_client, club_a, "31/12/2025").count("table-success") == 2
    assert reverse("clubs:activity_sheet", args=[club_a.code, 2025, 3]) in twice
    last_year = _calendar_html(officer_client, club_a, "31/12/2024")
    assert last_year.count("table-success") == 0 and reverse("clubs:activity_sheet", args=[club_a.code, 2024, 3]) in last_year


def test_club_page_shows_where_the_capital_came_from_and_clubs_it_founded(officer_client, club_a):
    child = ClubFactory(code="CLB-CON", track=Track.NEW_ROTATION, source_club=club_a, founded_on=datetime.date(2024, 1, 1))
    html = officer_client.get(reverse("clubs:detail", args=[child.code])).content.decode()
    assert 'id="source-club"' in html and club_a.code in html
    html = officer_client.get(reverse("clubs:detail", args=[club_a.code])).content.decode()
    assert 'id="rotated-clubs"' in html and "CLB-CON" in html
    assert reverse("funds:overview", args=[club_a.code]) in html


def test_club_page_shows_the_board_and_the_last_six_meetings_as_on_the_day(officer_client, club_a):
    members = add_members(club_a, women=3, men=1, joined_on=datetime.date(2024, 1, 1))
    BoardMembershipFactory(member=members[0], role=BoardMembership.Role.CHAIR, started_on=datetime.date(2024, 2, 3))
    BoardMembershipFactory(member=members[1], role=BoardMembership.Role.TREASURER, started_on=datetime.date(2024, 2, 3),
                           ended_on=datetime.date(2025, 6, 30))
    for day in range(1, 9):
        meeting = Meeting.objects.create(club=club_a, held_on=datetime.date(2025, day, 15))
        meeting.attendees.set(members[:day % 4 + 1])
    html = officer_client.get(reverse("clubs:detail", args=[club_a.code]), {"on": "31/12/2025"}).content.decode()
    board = html[html.index('id="board-panel"'):]
    board = board[:board.index("</ul>")]
    assert f"<strong>Chủ nhiệm</strong>: {members[0].full_name}" in board and "03/02/2024" in board
    assert members[1].full_name not in board  # the treasurer left the board on 30/06/2025
    earlier = officer_client.get(reverse("clubs:detail", args=[club_a.code]), {"on": "31/03/2025"}).content.decode()
    assert f"<strong>Thủ quỹ</strong>: {members[1].full_name}" in earlier
    recent = html[html.index("Buổi sinh hoạt gần đây"):]
    recent = recent[:recent.index("</ul>")]
    assert re.findall(r">(\d\d/\d\d/2025)</a> – (\d) người có mặt", recent) == [
        (f"15/{m:02d}/2025", str(m % 4 + 1)) for m in range(8, 2, -1)]
    assert reverse("clubs:meeting_edit", args=[club_a.code, meeting.pk]) in recent


def test_a_club_of_another_district_is_named_on_the_club_page_and_linked_only_for_who_may_open_it(
        officer_client, staff_a, club_a, club_b):
    child = ClubFactory(code="CLB-CON-A", track=Track.NEW_ROTATION, source_club=club_b, commune=club_a.commune,
                        founded_on=datetime.date(2024, 5, 6))
    staff_client = Client()
    staff_client.force_login(staff_a)
    own = staff_client.get(reverse("clubs:detail", args=[child.code])).content.decode()
    source = own[own.index('id="source-club"'):own.index("</dd>", own.index('id="source-club"'))]
    assert f"{club_b.code} – {club_b.name}" in source and "href" not in source
    everyone = officer_client.get(reverse("clubs:detail", args=[child.code])).content.decode()
    assert f'href="{reverse("clubs:detail", args=[club_b.code])}"' in everyone
    made = officer_client.get(reverse("clubs:detail", args=[club_b.code])).content.decode()
    rotated = made[made.index('id="rotated-clubs"'):made.index("</dd>", made.index('id="rotated-clubs"'))]
    assert f'href="{reverse("clubs:detail", args=[child.code])}"' in rotated and "(06/05/2024)" in rotated


# ---------------------------------------------------------------- forms


def test_create_club_through_the_form(staff_a_client):
    data = {
        "code": "CLB-105-99", "name": "CLB Tân Phong", "commune": commune(COMMUNE_IN_A).pk, "village": "Tổ 5",
        "founded_on": "15/04/2023", "track": "new_budget", "meeting_frequency": "monthly",
    }
    response = staff_a_client.post(reverse("clubs:create"), data)
    assert response.status_code == 302
    club = Club.objects.get(code="CLB-105-99")
    assert club.founded_on == datetime.date(2023, 4, 15) and response["Location"] == reverse("clubs:detail", args=[club.code])


def test_district_staff_cannot_pick_another_districts_commune(staff_a_client):
    response = staff_a_client.get(reverse("clubs:create"))
    assert {a.parent.code for a in response.context["form"].fields["commune"].queryset} == {"105"}
    response = staff_a_client.post(reverse("clubs:create"), {
        "code": "X1", "name": "X", "commune": commune(COMMUNE_IN_B).pk, "founded_on": "01/01/2023",
        "track": "new_budget", "meeting_frequency": "monthly",
    })
    assert response.status_code == 200 and "commune" in response.context["form"].errors
    assert not Club.objects.filter(code="X1").exists()


def test_district_staff_cannot_pick_another_districts_source_club(staff_a_client, club_b):
    response = staff_a_client.get(reverse("clubs:create"))
    assert club_b not in response.context["form"].fields["source_club"].queryset
    response = staff_a_client.post(reverse("clubs:create"), {
        "code": "X2", "name": "X", "commune": commune(COMMUNE_IN_A).pk, "founded_on": "01/01/2024",
        "track": "new_rotation", "source_club": club_b.pk, "meeting_frequency": "monthly",
    })
    assert response.status_code == 200 and "lựa chọn không có trong danh sách" in response.context["form"].errors["source_club"][0]
    assert not Club.objects.filter(code="X2").exists()


def test_district_staff_can_still_edit_a_club_whose_source_is_in_another_district(staff_a_client, club_b):
    club = ClubFactory(code="CLB-A9", commune=commune(COMMUNE_IN_A), track=Track.NEW_ROTATION, source_club=club_b,
                       founded_on=club_b.founded_on + datetime.timedelta(days=30))
    response = staff_a_client.post(reverse("clubs:edit", args=[club.code]), {
        "code": club.code, "name": "CLB Tên mới", "commune": club.commune_id,
        "founded_on": club.founded_on.strftime("%d/%m/%Y"), "track": "new_rotation", "source_club": club_b.pk, "meeting_frequency": "monthly",
    })
    assert response.status_code == 302
    club.refresh_from_db()
    assert club.name == "CLB Tên mới" and club.source_club == club_b


def test_a_source_club_in_another_district_is_named_but_not_linked(staff_a_client, club_b):
    club = ClubFactory(code="CLB-A8", commune=commune(COMMUNE_IN_A), track=Track.NEW_ROTATION, source_club=club_b,
                       founded_on=club_b.founded_on + datetime.timedelta(days=30))
    html = staff_a_client.get(reverse("clubs:detail", args=[club.code])).content.decode()
    assert "CLB-B1 – CLB Bình Lư" in html
    assert reverse("clubs:detail", args=[club_b.code]) not in html


def test_bad_input_shows_the_message_next_to_the_field(staff_a_client, club_a):
    response = staff_a_client.post(reverse("clubs:create"), {
        "code": club_a.code, "name": "X", "commune": commune(COMMUNE_IN_A).pk, "founded_on": "32/01/2023",
        "track": "new_rotation", "meeting_frequency": "monthly",
    })
    errors = response.context["form"].errors
    assert "dd/mm/yyyy" in errors["founded_on"][0]
    html = response.content.decode()
    assert 'id="error_1_id_founded_on"' in html or "invalid-feedback" in html
    response = staff_a_client.post(reverse("clubs:create"), {
        "code": club_a.code, "name": "X", "commune": commune(COMMUNE_IN_A).pk, "founded_on": "01/01/2023",
        "track": "new_rotation", "meeting_frequency": "monthly",
    })
    errors = response.context["form"].errors
    assert "đã được dùng" in errors["code"][0] and "luân chuyển" in errors["source_club"][0]


def test_edit_and_dissolve_through_the_forms(staff_a_client, club_a):
    data = {
        "code": club_a.code, "name": "CLB Đoàn Kết 2", "commune": club_a.commune_id, "village": "",
        "founded_on": "01/03/2022", "track": "new_budget", "meeting_frequency": "twice_quarterly",
        "regulation_on": "05/03/2022",
    }
    assert staff_a_client.post(reverse("clubs:edit", args=[club_a.code]), data).status_code == 302
    response = staff_a_client.post(reverse("clubs:dissolve", args=[club_a.code]),
                                   {"dissolved_on": "01/06/2025", "dissolution_reason": "  "})
    assert response.context["form"].errors["dissolution_reason"] == ["Ghi lý do giải thể."]
    club_a.refresh_from_db()
    assert club_a.name == "CLB Đoàn Kết 2" and club_a.meeting_frequency == "twice_quarterly"
    response = staff_a_client.post(reverse("clubs:dissolve", args=[club_a.code]),
                                   {"dissolved_on": "01/06/2025", "dissolution_reason": "Sáp nhập bản"})
    assert response.status_code == 302
    club_a.refresh_from_db()
    assert club_a.dissolved_on == datetime.date(2025, 6, 1)
    assert "Đã giải thể" in staff_a_client.get(reverse("clubs:detail", args=[club_a.code])).content.decode()


# ---------------------------------------------------------------- history


def test_history_shows_who_when_and_what_changed(staff_a_client, staff_a, club_a):
    staff_a_client.post(reverse("clubs:member_add", args=[club_a.code]), {
        "code": "TV001", "full_name": "Lò Thị Xuân", "gender": "female", "birth_year": "1958",
        "joined_on": "01/04/2022", "household": "",
    })
    member = club_a.members.get()
    staff_a_client.post(reverse("clubs:member_edit", args=[club_a.code, member.pk]), {
        "code": "TV001", "full_name": "Lò Thị Xuân", "gender": "female", "birth_year": "1957",
        "joined_on": "01/04/2022", "household": "poor",
    })
    response = staff_a_client.get(reverse("clubs:history", args=[club_a.code]))
    entries = list(response.context["page"])
    latest = entries[0]
    assert latest["who"] == "staff_a" and latest["action"] == "Sửa"
    assert ("năm sinh", "1958", "1957") in latest["changes"]
    assert ("hoàn cảnh", "—", "Hộ nghèo") in latest["changes"]
    assert any(e["label"].startswith("Thành viên Lò Thị Xuân") and e["action"] == "Tạo mới" for e in entries)
    html = response.content.decode()
    assert "1958 → 1957" in html


def test_history_page_query_count_is_fixed(officer_client, club_a):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            officer_client.get(reverse("clubs:history", args=[club_a.code]))
        return len(ctx.captured_queries)

    add_members(club_a, women=2, men=1)
    few = queries()
    add_members(club_a, women=20, men=10)
    for i in range(10):
        ActivityFactory(club=club_a, date=datetime.date(2025, 1, i + 1))
    Activity.objects.filter(club=club_a).first().save()
    assert queries() == few


def test_shares_are_shown_with_one_decimal_rounded_half_up():
    from clubs.views import percent

    assert percent(43, 61) == "70,5%"  # fails 60–70%: must not read as 70%
    assert percent(2, 3) == "66,7%" and percent(1, 8) == "12,5%" and percent(0, 0) == "0,0%"
