"""The `Sinh hoạt` sheet (workbook.md): meetings by club and date with how many came, and the loan
form's same-day warning on the `Khoản vay` sheet."""
import datetime

import pytest

from clubs import rules
from clubs.models import Club, Meeting
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, add_members, commune
from funds.models import Loan
from funds.rules import SAME_DAY_LOANS
from workbook import messages as M
from workbook.importer import import_workbook

from .helpers import full_file, loan_row, member_row, xlsx

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)


def meeting_row(club="CLB-X1", **kw):
    row = {"Mã CLB": club, "Ngày sinh hoạt": "10/05/2023", "Số người dự": 2, "Nội dung": "Đo huyết áp, thu quỹ"}
    row.update(kw)
    return row


def two_members():
    return [member_row(), member_row(code="TV002", **{"Họ và tên": "Lò Văn Hùng", "Giới tính": "Nam", "Năm sinh": 1950})]


def counts(result, name):
    sheet = next(s for s in result.sheets if s.name == name)
    return sheet.create, sheet.update, sheet.unchanged


def test_meetings_are_created_with_their_count_and_an_unchanged_file_changes_nothing(officer):
    sheets = full_file(**{"Thành viên": two_members(),
                          "Sinh hoạt": [meeting_row(), meeting_row(**{"Ngày sinh hoạt": "30/06/2023", "Số người dự": None,
                                                                      "Nội dung": ""})]})
    result = import_workbook(xlsx(sheets), user=officer, today=TODAY)
    assert result.saved, result.problems
    assert counts(result, "Sinh hoạt") == (2, 0, 0)
    assert list(Meeting.objects.values_list("club__code", "held_on", "attendee_count", "notes")) == [
        ("CLB-X1", datetime.date(2023, 5, 10), 2, "Đo huyết áp, thu quỹ"), ("CLB-X1", datetime.date(2023, 6, 30), None, "")]
    histories = Meeting.history.count()
    again = import_workbook(xlsx(sheets), user=officer, today=TODAY)
    assert again.saved and counts(again, "Sinh hoạt") == (0, 0, 2)
    assert Meeting.history.count() == histories
    sheets["Sinh hoạt"][0]["Số người dự"] = 1
    corrected = import_workbook(xlsx(sheets), user=officer, today=TODAY)
    assert corrected.saved and counts(corrected, "Sinh hoạt") == (0, 1, 1)
    assert Meeting.objects.get(held_on=datetime.date(2023, 5, 10)).attendee_count == 1


def test_bad_meeting_rows_are_located_and_nothing_is_saved(officer):
    sheets = full_file(**{"Thành viên": two_members(), "Sinh hoạt": [
        meeting_row(),
        meeting_row(**{"Số người dự": 5}),                                         # row 3: the same club and day
        meeting_row(**{"Ngày sinh hoạt": "01/07/2025"}),                           # row 4: after today
        meeting_row(**{"Ngày sinh hoạt": "28/02/2023"}),                           # row 5: before the founding
        meeting_row(**{"Ngày sinh hoạt": "11/05/2023", "Số người dự": 3}),         # row 6: more than the 2 members
        meeting_row(club="CLB-NONE", **{"Ngày sinh hoạt": "12/05/2023"}),          # row 7: no such club
        meeting_row(**{"Ngày sinh hoạt": "13/05/2023", "Số người dự": "nhiều"}),   # row 8: not a number
    ]})
    result = import_workbook(xlsx(sheets), user=officer, today=TODAY)
    assert not result.saved
    found = {(p.sheet, p.row, p.column): p.reason for p in result.problems}
    assert found[("Sinh hoạt", 3, "Ngày sinh hoạt")] == M.DUPLICATE % {"row": 2}
    assert found[("Sinh hoạt", 4, "Ngày sinh hoạt")] == M.FUTURE_DATE % {"today": "30/06/2025"}
    assert ("Sinh hoạt", 5, "Ngày sinh hoạt") in found
    assert found[("Sinh hoạt", 6, "Số người dự")] == str(rules.MEETING_TOO_MANY_PRESENT % {
        "count": 3, "active": 2, "date": "11/05/2023"})
    assert found[("Sinh hoạt", 7, "Mã CLB")] == M.CLUB_NOT_AVAILABLE % {"code": "CLB-NONE"}
    assert found[("Sinh hoạt", 8, "Số người dự")] == M.BAD_INT
    assert not Club.objects.exists() and not Meeting.objects.exists()


def test_a_meeting_listed_by_name_keeps_its_list(officer):
    club = ClubFactory(code="CLB-M1", commune=commune(COMMUNE_IN_A), founded_on=datetime.date(2023, 1, 1))
    members = add_members(club, women=3, men=0, joined_on=datetime.date(2023, 1, 1))
    meeting = Meeting.objects.create(club=club, held_on=datetime.date(2024, 5, 10), notes="Tháng 5")
    meeting.attendees.set(members[:2])
    same = import_workbook(xlsx({"Sinh hoạt": [meeting_row("CLB-M1", **{"Ngày sinh hoạt": "10/05/2024", "Số người dự": 2,
                                                                        "Nội dung": "Tháng 5"})]}), user=officer, today=TODAY)
    assert same.saved and counts(same, "Sinh hoạt") == (0, 0, 1)
    other = import_workbook(xlsx({"Sinh hoạt": [meeting_row("CLB-M1", **{"Ngày sinh hoạt": "10/05/2024", "Số người dự": 3,
                                                                         "Nội dung": "Tháng 5"})]}), user=officer, today=TODAY)
    assert [(p.row, p.column, p.reason) for p in other.problems] == [
        (2, "Số người dự", M.MEETING_COUNT_NAMED % {"count": 2})]
    assert meeting.attendees.count() == 2


def test_a_second_loan_the_same_day_is_a_warning_to_confirm(officer):
    sheets = full_file(**{"Khoản vay": [loan_row(), loan_row(code="KV002")]})
    result = import_workbook(xlsx(sheets), user=officer, today=TODAY)
    assert not result.saved and not result.problems
    assert [(w.sheet, w.row, w.column, w.reason) for w in result.warnings] == [
        ("Khoản vay", 3, "Mã thành viên", SAME_DAY_LOANS % {"name": "Lò Thị Mai", "count": 1, "date": "01/04/2023"})]
    assert not Loan.objects.exists()
    confirmed = import_workbook(xlsx(sheets), user=officer, today=TODAY, confirm_duplicates=True)
    assert confirmed.saved and Loan.objects.count() == 2
    # The loans now in the books count too: a third that day warns of two.
    third = import_workbook(xlsx({"Khoản vay": [loan_row(code="KV003")]}), user=officer, today=TODAY)
    assert [w.reason for w in third.warnings] == [
        SAME_DAY_LOANS % {"name": "Lò Thị Mai", "count": 2, "date": "01/04/2023"}]
