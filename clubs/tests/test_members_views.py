"""The member register and board screens."""
import datetime

import pytest
from django.urls import reverse

from clubs.models import BoardMembership, Member
from clubs.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def member_data(**overrides):
    data = {
        "code": "TV001", "full_name": "Lò Thị Xuân", "gender": "female", "birth_year": "1958",
        "birth_date": "", "ethnicity": "Thái", "household": "", "village": "Bản Hon", "phone": "",
        "joined_on": "01/04/2022",
    }
    data.update(overrides)
    return data


def test_add_member_then_add_another(staff_a_client, club_a):
    url = reverse("clubs:member_add", args=[club_a.code])
    form = staff_a_client.get(url).context["form"]
    assert form.initial["code"] == "TV001"
    response = staff_a_client.post(url, {**member_data(), "add_another": "1"})
    assert response.status_code == 302 and response["Location"] == url
    assert staff_a_client.get(url).context["form"].initial["code"] == "TV002"
    response = staff_a_client.post(url, member_data(code="TV002", full_name="Lò Văn Ún", gender="male"))
    assert response["Location"] == reverse("clubs:members", args=[club_a.code])
    assert club_a.members.count() == 2


def test_wrong_birth_year_is_explained_next_to_the_field(staff_a_client, club_a):
    response = staff_a_client.post(reverse("clubs:member_add", args=[club_a.code]), member_data(birth_year="58"))
    assert response.context["form"].errors["birth_year"] == ["Năm sinh là 4 chữ số, ví dụ 1958."]
    response = staff_a_client.post(reverse("clubs:member_add", args=[club_a.code]), member_data(birth_year="1880"))
    assert "Năm sinh phải từ 1900" in response.context["form"].errors["birth_year"][0]
    assert not Member.objects.exists()


def test_likely_duplicate_is_shown_and_saved_after_confirming(staff_a_client, club_a, club_b):
    MemberFactory(club=club_b, full_name="Lò Thị Xuân", birth_year=1958)
    url = reverse("clubs:member_add", args=[club_a.code])
    response = staff_a_client.post(url, member_data(full_name="lo thi xuan"))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="duplicate-warning"' in html
    # District A's staff may not open CLB-B1: the warning neither names it nor its commune.
    assert "huyện cũ khác" in html and "CLB-B1" not in html and "Bình Lư" not in html
    assert 'type="checkbox" name="confirm_duplicate"' in html
    assert not club_a.members.exists()
    response = staff_a_client.post(url, member_data(full_name="lo thi xuan", confirm_duplicate="on"))
    assert response.status_code == 302 and club_a.members.count() == 1


def test_likely_duplicate_names_the_club_for_the_officer_who_may_open_it(officer_client, club_a, club_b):
    MemberFactory(club=club_b, full_name="Mùa Thị Chía", birth_year=1962)
    response = officer_client.post(reverse("clubs:member_add", args=[club_a.code]),
                                   member_data(full_name="Mùa Thị Chía", birth_year=1962))
    assert "Mùa Thị Chía (1962) – CLB-B1, Xã Bình Lư" in response.content.decode()
    assert not club_a.members.exists()


def test_register_searches_without_diacritics_and_hides_leavers(staff_a_client, club_a):
    MemberFactory(club=club_a, full_name="Nguyễn Thị Hoa")
    MemberFactory(club=club_a, full_name="Đào Thị Lan")
    MemberFactory(club=club_a, full_name="Giàng Thị Sua", left_on=datetime.date(2024, 1, 1))
    url = reverse("clubs:members", args=[club_a.code])

    def names(**params):
        return [m.full_name for m, _age in staff_a_client.get(url, params).context["rows"]]

    assert names(q="nguyen") == ["Nguyễn Thị Hoa"]
    assert names(q="dao") == ["Đào Thị Lan"]
    assert "Giàng Thị Sua" not in names()
    assert names(status="left") == ["Giàng Thị Sua"]


def test_register_shows_birth_years_without_thousands_separator(staff_a_client, club_a):
    MemberFactory(club=club_a, birth_year=1958)
    html = staff_a_client.get(reverse("clubs:members", args=[club_a.code])).content.decode()
    assert "<td>1958</td>" in html and "1.958" not in html


def test_leave_form(staff_a_client, club_a):
    member = MemberFactory(club=club_a, joined_on=datetime.date(2022, 5, 1))
    url = reverse("clubs:member_leave", args=[club_a.code, member.pk])
    response = staff_a_client.post(url, {"left_on": "30/04/2022", "reason": "x"})
    assert "01/05/2022" in response.context["form"].errors["left_on"][0]
    response = staff_a_client.post(url, {"left_on": "01/06/2024", "reason": "Chuyển nơi ở"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == datetime.date(2024, 6, 1) and Member.objects.filter(pk=member.pk).exists()


def test_board_assign_and_end(staff_a_client, club_a):
    member = MemberFactory(club=club_a)
    url = reverse("clubs:board", args=[club_a.code])
    response = staff_a_client.post(url, {"member": member.pk, "role": "chair", "started_on": "01/01/2023"})
    assert response.status_code == 302
    seat = BoardMembership.objects.get()
    detail = staff_a_client.get(reverse("clubs:detail", args=[club_a.code])).content.decode()
    assert "Chủ nhiệm" in detail and member.full_name in detail
    response = staff_a_client.post(reverse("clubs:board_end", args=[club_a.code, seat.pk]), {"ended_on": "01/01/2022"})
    assert "01/01/2023" in response.context["form"].errors["ended_on"][0]
    staff_a_client.post(reverse("clubs:board_end", args=[club_a.code, seat.pk]), {"ended_on": "01/01/2025"})
    seat.refresh_from_db()
    assert seat.ended_on == datetime.date(2025, 1, 1)


def test_board_form_offers_only_this_clubs_current_members(staff_a_client, club_a, club_b):
    mine = MemberFactory(club=club_a)
    MemberFactory(club=club_a, left_on=datetime.date(2024, 1, 1))
    theirs = MemberFactory(club=club_b)
    form = staff_a_client.get(reverse("clubs:board", args=[club_a.code])).context["form"]
    assert list(form.fields["member"].queryset) == [mine]
    response = staff_a_client.post(reverse("clubs:board", args=[club_a.code]),
                                   {"member": theirs.pk, "role": "chair", "started_on": "01/01/2023"})
    assert "member" in response.context["form"].errors and not BoardMembership.objects.exists()


def test_member_page_shows_its_own_history(staff_a_client, club_a):
    url = reverse("clubs:member_add", args=[club_a.code])
    staff_a_client.post(url, member_data())
    member = club_a.members.get()
    staff_a_client.post(reverse("clubs:member_edit", args=[club_a.code, member.pk]), member_data(village="Bản Mới"))
    html = staff_a_client.get(reverse("clubs:member_edit", args=[club_a.code, member.pk])).content.decode()
    assert "Bản Hon → Bản Mới" in html and "staff_a" in html


def test_register_query_count_does_not_grow_with_members(staff_a_client, club_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clubs.tests.factories import BoardMembershipFactory, add_members

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            staff_a_client.get(reverse("clubs:members", args=[club_a.code]))
        return len(ctx.captured_queries)

    BoardMembershipFactory(member=add_members(club_a, women=2, men=1)[0])
    few = queries()
    for m in add_members(club_a, women=20, men=10)[:4]:
        BoardMembershipFactory(member=m, role="other")
    assert queries() == few
