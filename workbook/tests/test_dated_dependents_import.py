"""Dates edited after the fact by a file (issue 18, point 8): the import runs the forms' rule
(clubs.rules.*_dated_dependents) against the rows already in the books, names the first row in the way,
and saves nothing."""
import datetime

import pytest

from clubs.models import Club, Member
from clubs.rules import DISSOLVED_BEFORE_RECORDED, FOUNDED_AFTER_RECORDED, JOINED_AFTER_RECORDED
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, MemberFactory, commune
from funds.tests.factories import FundEntryFactory, LoanFactory
from workbook.importer import import_workbook

from .helpers import club_row, member_row, xlsx

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def saved_club():
    club = ClubFactory(code="CLB-X1", commune=commune(COMMUNE_IN_A), founded_on=D(2023, 3, 1))
    member = MemberFactory(club=club, code="TV001", full_name="Lò Thị Mai", birth_year=1958, joined_on=D(2023, 3, 1))
    LoanFactory(club=club, member=member, code="KV-2023-004", disbursed_on=D(2023, 4, 5), principal=5_000_000)
    FundEntryFactory(club=club, voucher_no="PT-2023-0001", date=D(2023, 3, 20))
    return club


def _problems(sheets):
    result = import_workbook(xlsx(sheets), user=None, commit=True)
    assert not result.saved
    return [(p.sheet, p.row, p.column, p.reason) for p in result.problems]


def test_a_founding_date_moved_after_saved_entries_is_refused(saved_club):
    found = _problems({"CLB": [club_row(**{"Ngày thành lập": "01/04/2023", "Ngày ban hành quy chế": "01/04/2023"})]})
    assert ("CLB", 2, "Ngày thành lập", str(FOUNDED_AFTER_RECORDED % {
        "row": "phiếu PT-2023-0001 (quỹ Tăng thu nhập)", "date": "20/03/2023"})) in found
    assert Club.objects.get().founded_on == D(2023, 3, 1)


def test_a_dissolution_date_before_saved_entries_is_refused(saved_club):
    found = _problems({"CLB": [club_row(**{"Ngày giải thể": "01/04/2023"})]})
    assert found == [("CLB", 2, "Ngày giải thể", str(DISSOLVED_BEFORE_RECORDED % {
        "row": "khoản vay KV-2023-004", "date": "05/04/2023"}))]
    assert Club.objects.get().dissolved_on is None


def test_a_joining_date_moved_after_a_saved_loan_is_refused(saved_club):
    found = _problems({"Thành viên": [member_row(**{"Ngày tham gia": "01/05/2023"})]})
    assert found == [("Thành viên", 2, "Ngày tham gia", str(JOINED_AFTER_RECORDED % {
        "row": "khoản vay KV-2023-004", "date": "05/04/2023"}))]
    assert Member.objects.get().joined_on == D(2023, 3, 1)


def test_dates_that_keep_every_row_inside_are_saved(saved_club):
    result = import_workbook(xlsx({
        "CLB": [club_row(**{"Ngày thành lập": "20/03/2023", "Ngày ban hành quy chế": "20/03/2023",
                            "Ngày giải thể": "05/04/2023"})],
        "Thành viên": [member_row(**{"Ngày tham gia": "20/03/2023"})],
    }), user=None, commit=True)
    assert result.saved, result.problems
    club = Club.objects.get()
    assert (club.founded_on, club.dissolved_on) == (D(2023, 3, 20), D(2023, 4, 5))
