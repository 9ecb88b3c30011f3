"""Writes across districts by file (issue 18, point 7b, 7c): the import takes as rotation source only a
club the user may open (the club form's rule), and its errors say the same thing of a code that is
nowhere and of one in another district, without a word about that club (its founding date included)."""
import datetime

import pytest

from clubs.models import Club, Track
from clubs.rules import CLUB_CODE_TAKEN, CLUB_NOT_AVAILABLE
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, ClubFactory, MemberFactory, commune
from workbook.importer import import_workbook

from .helpers import club_row, loan_row, member_row, xlsx

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def club_b_late(db):
    """A club of district 106 founded after the rotation clubs below: the date a leak would show."""
    return ClubFactory(code="CLB-B1", commune=commune(COMMUNE_IN_B), founded_on=D(2024, 6, 1))


def _rotation_row(source, **kw):
    return club_row("CLB-X1", **{"Nguồn thành lập": "Mới - luân chuyển vốn", "Mã CLB luân chuyển vốn": source, **kw})


def _reasons(sheets, user):
    result = import_workbook(xlsx(sheets), user=user, commit=True)
    assert not result.saved
    return [(p.sheet, p.column, p.reason) for p in result.problems]


def test_another_districts_club_is_refused_as_rotation_source_like_a_missing_code(staff_a, club_b_late):
    theirs = _reasons({"CLB": [_rotation_row("CLB-B1")]}, staff_a)
    assert theirs == [("CLB", "Mã CLB luân chuyển vốn", str(CLUB_NOT_AVAILABLE % {"code": "CLB-B1"}))]
    nowhere = _reasons({"CLB": [_rotation_row("CLB-B9")]}, staff_a)
    assert nowhere == [("CLB", "Mã CLB luân chuyển vốn", str(CLUB_NOT_AVAILABLE % {"code": "CLB-B9"}))]
    assert "01/06/2024" not in str(theirs)  # the other club's founding date
    assert not Club.objects.filter(code="CLB-X1").exists()


def test_the_officer_may_import_a_rotation_across_districts(officer):
    ClubFactory(code="CLB-B1", commune=commune(COMMUNE_IN_B), founded_on=D(2022, 1, 1))
    result = import_workbook(xlsx({"CLB": [_rotation_row("CLB-B1")]}), user=officer, commit=True)
    assert result.saved, result.problems
    assert Club.objects.get(code="CLB-X1").source_club.code == "CLB-B1"


def test_district_staff_keep_a_source_the_officer_recorded_across_districts(staff_a):
    source = ClubFactory(code="CLB-B1", commune=commune(COMMUNE_IN_B), founded_on=D(2022, 1, 1))
    ClubFactory(code="CLB-X1", commune=commune(COMMUNE_IN_A), founded_on=D(2023, 3, 1), track=Track.NEW_ROTATION,
                source_club=source)
    result = import_workbook(xlsx({"CLB": [_rotation_row("CLB-B1", **{"Tên CLB": "CLB tên mới"})]}),
                             user=staff_a, commit=True)
    assert result.saved, result.problems
    assert Club.objects.get(code="CLB-X1").name == "CLB tên mới"


def test_rows_naming_another_districts_club_read_as_a_missing_code(staff_a, club_b_late):
    sheets = {"Thành viên": [member_row(club="CLB-B1"), member_row(club="CLB-B9", code="TV002")],
              # dated before CLB-B1's founding: a leak would say "thành lập 01/06/2024"
              "Khoản vay": [loan_row(club="CLB-B1", **{"Ngày giải ngân": "01/04/2023"})]}
    found = _reasons(sheets, staff_a)
    assert found == [
        ("Thành viên", "Mã CLB", str(CLUB_NOT_AVAILABLE % {"code": "CLB-B1"})),
        ("Thành viên", "Mã CLB", str(CLUB_NOT_AVAILABLE % {"code": "CLB-B9"})),
        ("Khoản vay", "Mã CLB", str(CLUB_NOT_AVAILABLE % {"code": "CLB-B1"})),
    ]


def test_a_row_for_another_districts_club_says_nothing_of_its_books(staff_a, club_b_late):
    from funds.tests.factories import FundEntryFactory

    FundEntryFactory(club=club_b_late, voucher_no="PT-2024-0001", date=D(2024, 6, 2))
    MemberFactory(club=club_b_late, joined_on=D(2024, 6, 3))
    found = _reasons({"CLB": [club_row("CLB-B1", **{"Ngày thành lập": "01/07/2024", "Ngày ban hành quy chế": ""})]},
                     staff_a)
    assert found == [("CLB", "Mã CLB", str(CLUB_CODE_TAKEN % {"code": "CLB-B1"}))]
