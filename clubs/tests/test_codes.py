"""One rule for codes (clubs/codes.py): forms and the workbook import refuse the same codes with the
same message, and the data migration repairs codes saved before the rule."""
import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from clubs.codes import BAD_CODE, code_error, repair_model, repairs
from clubs.models import Club, Member
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, MemberFactory, commune
from funds.models import Fund, FundEntry
from workbook.importer import import_workbook
from workbook.tests.helpers import club_row, full_file, member_row, xlsx

pytestmark = pytest.mark.django_db

BAD = ["SLASH/1", "CLB 1", "CLB-😀", "Bản-1", "A\x00B", "a?b", "x#1"]


@pytest.mark.parametrize("code", ["CLB-105-01", "tv_001", "PT-2025.001", "A"])
def test_letters_digits_dash_underscore_dot_are_codes(code):
    assert code_error(code) is None


@pytest.mark.parametrize("code", BAD)
def test_anything_else_is_refused(code):
    assert code_error(code) == BAD_CODE


@pytest.mark.parametrize("code", ["SLASH/1", "CLB-😀"])
def test_club_form_refuses_the_code_with_the_message_and_saves_nothing(staff_a_client, code):
    response = staff_a_client.post(reverse("clubs:create"), {
        "code": code, "name": "CLB Tân Phong", "commune": commune(COMMUNE_IN_A).pk, "founded_on": "15/04/2023",
        "track": "new_budget", "meeting_frequency": "monthly",
    })
    assert response.status_code == 200
    assert str(BAD_CODE) in response.context["form"].errors["code"]
    assert str(BAD_CODE) in response.content.decode()  # shown, not a server error
    assert not Club.objects.exists()


def test_the_form_help_text_states_the_rule(staff_a_client):
    html = staff_a_client.get(reverse("clubs:create")).content.decode()
    assert "Chỉ dùng chữ cái không dấu (A–Z, a–z), chữ số và các dấu - _ ." in html


def test_member_form_refuses_a_bad_code(staff_a_client, club_a):
    response = staff_a_client.post(reverse("clubs:member_add", args=[club_a.code]), {
        "code": "TV 1", "full_name": "Lò Thị Mai", "gender": "female", "birth_year": "1958", "joined_on": "01/03/2024",
    })
    assert response.status_code == 200 and str(BAD_CODE) in response.context["form"].errors["code"]
    assert not Member.objects.filter(code="TV 1").exists()


def test_import_refuses_bad_codes_with_the_same_message_and_saves_nothing():
    sheets = full_file(**{"CLB": [club_row(code="SLASH/1")], "Thành viên": [member_row(club="SLASH/1", code="TV/1")]})
    result = import_workbook(xlsx(sheets))
    assert not result.saved and not Club.objects.exists()
    refused = {(p.sheet, p.column) for p in result.problems if p.reason == str(BAD_CODE)}
    assert {("CLB", "Mã CLB"), ("Thành viên", "Mã CLB"), ("Thành viên", "Mã thành viên")} <= refused


def test_repairs_replace_forbidden_characters_and_keep_codes_unique():
    rows = [(1, (), "SLASH/1"), (2, (), "SLASH-1"), (3, (), "slash 1"), (4, (), "Bản Đông"), (5, (), "CLB-OK"),
            (6, (), "😀"), (7, (), "X" * 29 + "/")]
    fixed = repairs(rows)
    assert fixed == {1: "SLASH-1-2", 3: "slash-1-3", 4: "Ban-Dong", 6: "MA", 7: "X" * 29}
    assert all(code_error(c) is None for c in fixed.values())
    # Uniqueness is per group: the same repaired code may stand in two clubs.
    assert repairs([(1, ("a",), "TV/1"), (2, ("b",), "TV/1")]) == {1: "TV-1", 2: "TV-1"}


def test_the_data_migration_repairs_saved_codes():
    club = ClubFactory(code="CLB-OK")
    Club.objects.filter(pk=club.pk).update(code="SLASH/1")  # saved before the rule existed
    other = ClubFactory(code="SLASH-1")
    member = MemberFactory(club=other, code="TV001")
    Member.objects.filter(pk=member.pk).update(code="TV 001")
    entry = FundEntry.objects.create(club=other, fund=Fund.ACTIVITY, voucher_no="PT/1", date=datetime.date(2024, 1, 2),
                                     kind="in", source="province_budget", amount=1000)
    importlib.import_module("clubs.migrations.0007_repair_codes").repair(apps, None)
    importlib.import_module("funds.migrations.0005_repair_codes").repair(apps, None)
    assert Club.objects.get(pk=club.pk).code == "SLASH-1-2" and Club.objects.get(pk=other.pk).code == "SLASH-1"
    assert Member.objects.get(pk=member.pk).code == "TV-001"
    assert FundEntry.objects.get(pk=entry.pk).voucher_no == "PT-1"
    repair_model(Club, ())  # a second run changes nothing
    assert Club.objects.get(pk=club.pk).code == "SLASH-1-2"
