"""An officer exports everything held about one member; each export is in the history."""
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from clubs.models import MemberDataExport
from clubs.tests.factories import MemberFactory
from reporting.tests.builders import loan, repay

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(club_a):
    person = MemberFactory(club=club_a, full_name="=Lò Thị Xuân", phone="0912345678", ethnicity="Thái", birth_year=1950)
    credit = loan(person, principal=5_000_000)
    repay(credit, principal=1_000_000, paid_on=datetime.date(2025, 5, 1))
    return person


def _export(client, member):
    return client.post(reverse("funds:member_export", args=[member.club.code, member.pk]))


def test_officer_exports_every_record_of_the_member(officer_client, officer, member):
    response = _export(officer_client, member)
    assert response.status_code == 200
    assert "du-lieu-ca-nhan-CLB-A1-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Thành viên", "Ban chủ nhiệm", "Sinh hoạt", "Khoản vay", "Trả nợ", "Lịch sử"]
    register = {row[0]: row[1] for row in book["Thành viên"].iter_rows(min_row=2, values_only=True)}
    assert register["Họ và tên"] == "=Lò Thị Xuân"  # text, not a formula
    assert book["Thành viên"]["B3"].data_type == "s"
    assert register["Điện thoại"] == "0912345678" and register["Dân tộc"] == "Thái" and register["Năm sinh"] == 1950
    loans = list(book["Khoản vay"].iter_rows(min_row=2, values_only=True))
    assert len(loans) == 1 and loans[0][2] == 5_000_000
    repayments = list(book["Trả nợ"].iter_rows(min_row=2, values_only=True))
    assert len(repayments) == 1 and repayments[0][2] == 1_000_000
    assert any("Tạo mới" in (row[2] or "") for row in book["Lịch sử"].iter_rows(min_row=2, values_only=True))

    export = MemberDataExport.objects.get()
    assert export.member == member and export.exported_by == officer


def test_each_export_shows_in_the_member_and_club_history(officer_client, member):
    _export(officer_client, member)
    _export(officer_client, member)
    page = officer_client.get(reverse("clubs:member_edit", args=[member.club.code, member.pk])).content.decode()
    assert page.count("Xuất toàn bộ dữ liệu cá nhân của =Lò Thị Xuân") == 2
    assert "Xuất dữ liệu" in page and 'id="member-export"' in page
    club_page = officer_client.get(reverse("clubs:history", args=[member.club.code])).content.decode()
    assert club_page.count("Xuất toàn bộ dữ liệu cá nhân của") == 2
    # The next export carries the earlier ones, and itself (recorded before the file is built).
    book = load_workbook(io.BytesIO(_export(officer_client, member).content))
    labels = [row[3] for row in book["Lịch sử"].iter_rows(min_row=2, values_only=True)]
    assert labels.count("Xuất toàn bộ dữ liệu cá nhân của =Lò Thị Xuân") == 3


def test_district_staff_cannot_export_even_in_their_own_district(staff_a_client, staff_b, member):
    assert _export(staff_a_client, member).status_code == 403
    other = Client()
    other.force_login(staff_b)
    assert _export(other, member).status_code == 404  # outside their area: not even there
    page = staff_a_client.get(reverse("clubs:member_edit", args=[member.club.code, member.pk])).content.decode()
    assert 'id="member-export"' not in page
    assert not MemberDataExport.objects.exists()


def test_export_is_post_only_so_a_link_cannot_trigger_it(officer_client, member):
    # The scoping test (test_scope_every_club_url) covers other districts for GET and POST alike.
    assert officer_client.get(reverse("funds:member_export", args=[member.club.code, member.pk])).status_code == 405
    assert not MemberDataExport.objects.exists()
