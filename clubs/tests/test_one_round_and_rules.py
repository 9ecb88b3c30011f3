"""Issue 12, as a person meets it on the club screens: every error of a submission on the first submit,
each next to its field, and the rules a person expects (namesakes asked, one Chủ nhiệm at a time, a
meeting with nobody present asked)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clubs import rules, services
from clubs.models import BoardMembership, Club, Meeting, Member
from clubs.tests.factories import COMMUNE_IN_A, BoardMembershipFactory, ClubFactory, MemberFactory, commune

from .test_members_views import member_data

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _errors(response):
    return response.context["form"].errors


# ---------------------------------------------------------------- errors in one round


def test_member_form_shows_empty_name_bad_year_and_future_date_on_the_first_submit(staff_a_client, club_a):
    future = (TODAY + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    response = staff_a_client.post(reverse("clubs:member_add", args=[club_a.code]),
                                   member_data(full_name="", birth_year="1800", joined_on=future))
    errors = _errors(response)
    assert errors["full_name"] == ["Chưa nhập Họ và tên."]
    assert "Năm sinh phải từ 1900" in errors["birth_year"][0]
    assert "Ngày không được sau hôm nay" in errors["joined_on"][0]
    html = response.content.decode()
    assert html.count("Năm sinh phải từ 1900") == 1 and not Member.objects.exists()


def test_member_edit_also_says_everything_at_once(staff_a_client, club_a):
    member = MemberFactory(club=club_a, code="TV001")
    MemberFactory(club=club_a, code="TV002")
    response = staff_a_client.post(reverse("clubs:member_edit", args=[club_a.code, member.pk]),
                                   member_data(code="TV002", full_name="", birth_year="1800"))
    errors = _errors(response)
    assert set(errors) >= {"full_name", "birth_year", "code"}
    assert "TV002" in errors["code"][0]


def test_club_create_shows_a_missing_field_and_a_taken_code_together(staff_a_client, club_a):
    data = {"code": club_a.code.lower(), "name": "", "commune": commune(COMMUNE_IN_A).pk, "village": "",
            "founded_on": (TODAY + datetime.timedelta(days=3)).strftime("%d/%m/%Y"), "track": "new_budget",
            "meeting_frequency": "monthly"}
    response = staff_a_client.post(reverse("clubs:create"), data)
    errors = _errors(response)
    assert errors["name"] == ["Chưa nhập Tên CLB."]
    assert "đã được dùng" in errors["code"][0]
    assert "Ngày không được sau hôm nay" in errors["founded_on"][0]
    assert Club.objects.count() == 1


def test_club_edit_shows_a_missing_field_and_a_taken_code_together(staff_a_client, club_a):
    other = ClubFactory(code="CLB-A9", commune=club_a.commune)
    data = {"code": club_a.code, "name": "", "commune": club_a.commune_id, "founded_on": "01/03/2022",
            "track": "new_budget", "meeting_frequency": "monthly"}
    errors = _errors(staff_a_client.post(reverse("clubs:edit", args=[other.code]), data))
    assert set(errors) == {"name", "code"}


def test_activity_sheet_shows_a_future_date_with_the_other_errors_and_a_summary(staff_a_client):
    club = ClubFactory(code="CLB-A5", commune=commune(COMMUNE_IN_A), founded_on=datetime.date(2020, 1, 1))
    year, month = TODAY.year, TODAY.month
    sheet = staff_a_client.get(reverse("clubs:activity_sheet", args=[club.code, year, month])).context["formset"]
    data = {"rows-TOTAL_FORMS": str(len(sheet.forms)), "rows-INITIAL_FORMS": "0"}
    for i, form in enumerate(sheet.forms):
        data[f"rows-{i}-area"] = form.initial["area"]
    last_day = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    if TODAY.day == last_day:
        pytest.skip("no day of this month is after today")
    data.update({"rows-0-date": f"{last_day:02d}/{month:02d}/{year}", "rows-0-content": "Thăm hỏi"})  # future
    data.update({"rows-1-date": TODAY.strftime("%d/%m/%Y"), "rows-1-content": "Tập dưỡng sinh",
                 "rows-1-participants": "nhiều"})  # the form refuses this cell
    response = staff_a_client.post(reverse("clubs:activity_sheet", args=[club.code, year, month]), data)
    forms = response.context["formset"].forms
    assert "Ngày không được sau hôm nay" in forms[0].errors["date"][0]
    assert forms[1].errors["participants"] == ["Nhập số người, ví dụ 35."]
    html = response.content.decode()
    assert 'id="error-summary"' in html
    summary = html[html.index('id="error-summary"'):html.index("</ul>", html.index('id="error-summary"'))]
    assert "Ngày không được sau hôm nay" in summary and "Nhập số người" in summary
    assert not club.activities.exists()


# ---------------------------------------------------------------- namesakes


def test_a_namesake_in_the_same_club_is_asked_then_saved(staff_a_client, club_a):
    MemberFactory(club=club_a, code="TV001", full_name="Vàng Thị Lả", gender="female", birth_year=1950)
    url = reverse("clubs:member_add", args=[club_a.code])
    data = member_data(code="TV002", full_name="Vàng Thị Lả", birth_year="1950")
    response = staff_a_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="duplicate-warning"' in html and "đã có trong CLB này" in html
    assert 'type="checkbox" name="confirm_duplicate"' in html
    response = staff_a_client.post(url, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert club_a.members.filter(full_name="Vàng Thị Lả").count() == 2


# ---------------------------------------------------------------- board


def test_a_second_chair_is_refused_with_who_holds_the_seat(staff_a_client, club_a):
    chair = BoardMembershipFactory(member=MemberFactory(club=club_a, full_name="Lò Văn Chủ"),
                                   role=BoardMembership.Role.CHAIR, started_on=datetime.date(2023, 1, 1))
    newcomer = MemberFactory(club=club_a, full_name="Tòng Thị Mới")
    url = reverse("clubs:board", args=[club_a.code])
    data = {"member": newcomer.pk, "role": "chair", "started_on": "01/06/2024"}
    response = staff_a_client.post(url, data)
    errors = _errors(response)
    assert "Lò Văn Chủ đang giữ chức vụ Chủ nhiệm từ ngày 01/01/2023" in errors["role"][0]
    assert 'type="checkbox" name="end_current"' in response.content.decode()
    assert club_a.board.count() == 1
    response = staff_a_client.post(url, {**data, "end_current": "on"})
    assert response.status_code == 302
    chair.refresh_from_db()
    assert chair.ended_on == datetime.date(2024, 6, 1)
    assert club_a.board.get(ended_on__isnull=True).member == newcomer


def test_one_holder_is_the_services_rule_so_every_caller_follows(club_a, officer):
    BoardMembershipFactory(member=MemberFactory(club=club_a), role=BoardMembership.Role.TREASURER,
                           started_on=datetime.date(2023, 1, 1))
    with pytest.raises(services.ValidationError) as exc:
        services.board_assign(user=officer, club=club_a, member=MemberFactory(club=club_a),
                              role=BoardMembership.Role.TREASURER, started_on=datetime.date(2024, 1, 1))
    assert exc.value.error_dict["role"][0].code == "role_held"
    # Vice-chairs and ordinary board members may be several.
    for _ in range(2):
        services.board_assign(user=officer, club=club_a, member=MemberFactory(club=club_a),
                              role=BoardMembership.Role.VICE_CHAIR, started_on=datetime.date(2024, 1, 1))
    # A holder whose term ended before is no obstacle.
    ended = BoardMembershipFactory(member=MemberFactory(club=club_a), role=BoardMembership.Role.SECRETARY,
                                   started_on=datetime.date(2022, 3, 1), ended_on=datetime.date(2023, 1, 1))
    services.board_assign(user=officer, club=club_a, member=MemberFactory(club=club_a),
                          role=BoardMembership.Role.SECRETARY, started_on=ended.ended_on)


# ---------------------------------------------------------------- meetings


def test_a_meeting_with_nobody_ticked_asks_before_saving(staff_a_client, club_a):
    MemberFactory(club=club_a)
    url = reverse("clubs:meeting_add", args=[club_a.code])
    data = {"held_on": "05/03/2025", "notes": "Họp"}
    response = staff_a_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and str(rules.MEETING_NO_ATTENDEES) in html
    assert 'type="checkbox" name="confirm_no_attendees"' in html and not Meeting.objects.exists()
    response = staff_a_client.post(url, {**data, "confirm_no_attendees": "on"})
    assert response.status_code == 302 and Meeting.objects.count() == 1


def test_meeting_checkboxes_carry_the_membership_dates_for_choose_all(staff_a_client, club_a):
    late = MemberFactory(club=club_a, joined_on=datetime.date(2025, 4, 1))
    html = staff_a_client.get(reverse("clubs:meeting_add", args=[club_a.code])).content.decode()
    assert 'data-joined="2025-04-01"' in html and f'value="{late.pk}"' in html
    assert 'data-members-on="#id_held_on"' in html


def test_the_board_form_says_the_seat_is_held_along_with_a_missing_member(staff_a_client, club_a):
    BoardMembershipFactory(member=MemberFactory(club=club_a, full_name="Lò Văn Chủ"), role=BoardMembership.Role.CHAIR,
                           started_on=datetime.date(2023, 1, 1))
    response = staff_a_client.post(reverse("clubs:board", args=[club_a.code]),
                                   {"member": "", "role": "chair", "started_on": "01/06/2024"})
    errors = _errors(response)
    assert errors["member"] == ["Chưa chọn Thành viên."]
    assert "Lò Văn Chủ đang giữ chức vụ Chủ nhiệm" in errors["role"][0]
