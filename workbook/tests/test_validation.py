"""Every rule of workbook.md: one failing file each, refused with the sheet, row, column and reason."""
import datetime

import pytest

from clubs.models import Area, Club, Member
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, commune
from funds.models import Fund, FundEntry, Loan
from workbook import messages as M
from workbook.importer import import_workbook

from .helpers import activity_row, club_row, entry_row, full_file, loan_row, member_row, repayment_row, xlsx

pytestmark = pytest.mark.django_db

FUTURE = "01/01/2099"
THIS_YEAR = datetime.date.today().year


def problems(sheets, user=None):
    result = import_workbook(xlsx(sheets), user=user, commit=True)
    assert not result.saved
    return [(p.sheet, p.row, p.column, p.reason) for p in result.problems]


def assert_refused(sheets, sheet, row, column, reason, user=None):
    found = problems(sheets, user)
    assert (sheet, row, column, str(reason)) in found, found
    # Nothing at all was written.
    assert not Club.objects.filter(code="CLB-X1").exists()
    assert not Member.objects.exists()


def legacy_only_code():
    current = set(Area.objects.communes().values_list("code", flat=True))
    return Area.objects.filter(level=Area.Level.LEGACY_COMMUNE).exclude(code__in=current).values_list("code", flat=True)[0]


def today_text():
    return datetime.date.today().strftime("%d/%m/%Y")


# ------------------------------------------------------------ CLB

def test_required_cell_empty():
    assert_refused(full_file(CLB=[club_row(**{"Tên CLB": ""})]), "CLB", 2, "Tên CLB", M.REQUIRED)


def test_required_column_missing():
    row = club_row()
    del row["Ngày thành lập"]
    assert_refused(full_file(CLB=[row]), "CLB", 1, "Ngày thành lập", M.MISSING_COLUMN)


def test_unknown_commune_code():
    assert_refused(full_file(CLB=[club_row(**{"Mã xã": "99999"})]), "CLB", 2, "Mã xã", M.UNKNOWN_COMMUNE % {"code": "99999"})


def test_legacy_commune_code_is_refused_naming_the_commune_that_replaced_it():
    code = legacy_only_code()
    legacy = Area.objects.select_related("successor").get(level=Area.Level.LEGACY_COMMUNE, code=code)
    reason = M.LEGACY_COMMUNE_REPLACED % {"code": code, "name": legacy.name, "successor": legacy.successor.name,
                                          "successor_code": legacy.successor.code}
    assert_refused(full_file(CLB=[club_row(**{"Mã xã": code})]), "CLB", 2, "Mã xã", reason)


def test_unknown_track():
    reason = M.BAD_CHOICE % {"choices": "Duy trì 2017-2020, Mới - ngân sách, Mới - luân chuyển vốn, Khác"}
    assert_refused(full_file(CLB=[club_row(**{"Nguồn thành lập": "Ngân sách"})]), "CLB", 2, "Nguồn thành lập", reason)


def test_rotation_club_needs_source_code():
    row = club_row(**{"Nguồn thành lập": "Mới - luân chuyển vốn"})
    assert_refused(full_file(CLB=[row]), "CLB", 2, "Mã CLB luân chuyển vốn", M.ROTATION_SOURCE_REQUIRED)


def test_rotation_source_must_exist():
    row = club_row(**{"Nguồn thành lập": "Mới - luân chuyển vốn", "Mã CLB luân chuyển vốn": "KHONG-CO"})
    assert_refused(full_file(CLB=[row]), "CLB", 2, "Mã CLB luân chuyển vốn", M.CLUB_NOT_AVAILABLE % {"code": "KHONG-CO"})


def test_rotation_source_not_itself():
    row = club_row(**{"Nguồn thành lập": "Mới - luân chuyển vốn", "Mã CLB luân chuyển vốn": "CLB-X1"})
    assert_refused(full_file(CLB=[row]), "CLB", 2, "Mã CLB luân chuyển vốn", M.ROTATION_SOURCE_SELF)


def test_rotation_cycle():
    rows = [
        club_row(),
        club_row("CLB-X2", **{"Nguồn thành lập": "Mới - luân chuyển vốn", "Mã CLB luân chuyển vốn": "CLB-X3"}),
        club_row("CLB-X3", **{"Nguồn thành lập": "Mới - luân chuyển vốn", "Mã CLB luân chuyển vốn": "CLB-X2"}),
    ]
    assert_refused(full_file(CLB=rows), "CLB", 3, "Mã CLB luân chuyển vốn", M.ROTATION_CYCLE)


def test_founding_date_in_future():
    reason = M.FUTURE_DATE % {"today": today_text()}
    assert_refused(full_file(CLB=[club_row(**{"Ngày thành lập": FUTURE})]), "CLB", 2, "Ngày thành lập", reason)


def test_impossible_date():
    assert_refused(full_file(CLB=[club_row(**{"Ngày thành lập": "31/02/2023"})]), "CLB", 2, "Ngày thành lập", M.BAD_DATE)


def test_dissolved_before_founded():
    row = club_row(**{"Ngày giải thể": "01/01/2023"})
    assert_refused(full_file(CLB=[row]), "CLB", 2, "Ngày giải thể", M.DISSOLVED_BEFORE_FOUNDED % {"date": "01/03/2023"})


def test_club_code_unique_in_file():
    assert_refused(full_file(CLB=[club_row(), club_row()]), "CLB", 3, "Mã CLB", M.DUPLICATE % {"row": 2})


def test_text_too_long():
    assert_refused(full_file(CLB=[club_row("X" * 31)]), "CLB", 2, "Mã CLB", M.TOO_LONG % {"max": 30})


# ------------------------------------------------------------ members

def test_member_of_unknown_club():
    assert_refused(full_file(**{"Thành viên": [member_row(club="KHONG-CO")]}), "Thành viên", 2, "Mã CLB",
                   M.CLUB_NOT_AVAILABLE % {"code": "KHONG-CO"})


def test_member_code_unique_within_club():
    sheets = full_file(**{"Thành viên": [member_row(), member_row(**{"Họ và tên": "Lò Văn Pọm"})]})
    assert_refused(sheets, "Thành viên", 3, "Mã thành viên", M.DUPLICATE % {"row": 2})


def test_same_member_code_in_two_clubs_is_fine():
    sheets = full_file(CLB=[club_row(), club_row("CLB-X2")],
                       **{"Thành viên": [member_row(), member_row(club="CLB-X2", **{"Họ và tên": "Tẩn Mẩy Chăn"})]})
    assert import_workbook(xlsx(sheets)).saved
    assert Member.objects.filter(code="TV001").count() == 2


def test_unknown_gender():
    assert_refused(full_file(**{"Thành viên": [member_row(**{"Giới tính": "N"})]}), "Thành viên", 2, "Giới tính",
                   M.BAD_CHOICE % {"choices": "Nam, Nữ"})


@pytest.mark.parametrize("year", ["58", 1850, 2099, "19x8"])
def test_birth_year_four_digits_in_range(year):
    assert_refused(full_file(**{"Thành viên": [member_row(**{"Năm sinh": year})]}), "Thành viên", 2, "Năm sinh",
                   M.BAD_YEAR % {"year": THIS_YEAR})


def test_birth_date_year_equals_birth_year():
    row = member_row(**{"Năm sinh": 1958, "Ngày sinh": "20/05/1959"})
    assert_refused(full_file(**{"Thành viên": [row]}), "Thành viên", 2, "Ngày sinh",
                   M.BIRTH_YEAR_MISMATCH % {"date_year": 1959, "year": 1958})


def test_unknown_household():
    assert_refused(full_file(**{"Thành viên": [member_row(**{"Hoàn cảnh": "Khó khăn"})]}), "Thành viên", 2, "Hoàn cảnh",
                   M.BAD_CHOICE % {"choices": "Hộ nghèo, Hộ cận nghèo"})


def test_joined_before_club_founded():
    assert_refused(full_file(**{"Thành viên": [member_row(**{"Ngày tham gia": "28/02/2023"})]}), "Thành viên", 2,
                   "Ngày tham gia", M.JOINED_BEFORE_FOUNDED % {"date": "01/03/2023"})


def test_joined_before_existing_club_founded():
    ClubFactory(code="CLB-DB", founded_on=datetime.date(2024, 1, 1))
    sheets = {"Thành viên": [member_row(club="CLB-DB", **{"Ngày tham gia": "01/06/2023"})]}
    assert ("Thành viên", 2, "Ngày tham gia", str(M.JOINED_BEFORE_FOUNDED % {"date": "01/01/2024"})) in problems(sheets)


def test_left_before_joined():
    assert_refused(full_file(**{"Thành viên": [member_row(**{"Ngày rời CLB": "01/02/2023"})]}), "Thành viên", 2,
                   "Ngày rời CLB", M.LEFT_BEFORE_JOINED % {"date": "01/03/2023"})


def test_joined_in_future():
    assert_refused(full_file(**{"Thành viên": [member_row(**{"Ngày tham gia": FUTURE})]}), "Thành viên", 2,
                   "Ngày tham gia", M.FUTURE_DATE % {"today": today_text()})


# ------------------------------------------------------------ loans

def test_borrower_must_belong_to_club():
    assert_refused(full_file(**{"Khoản vay": [loan_row(member="TV999")]}), "Khoản vay", 2, "Mã thành viên",
                   M.UNKNOWN_MEMBER % {"club": "CLB-X1", "code": "TV999"})


def test_borrower_of_another_club_is_refused():
    sheets = full_file(CLB=[club_row(), club_row("CLB-X2")],
                       **{"Thành viên": [member_row(), member_row(club="CLB-X2", code="TV777")],
                          "Khoản vay": [loan_row(member="TV777")]})
    assert_refused(sheets, "Khoản vay", 2, "Mã thành viên", M.UNKNOWN_MEMBER % {"club": "CLB-X1", "code": "TV777"})


def test_borrower_active_on_disbursement_date():
    sheets = full_file(**{"Thành viên": [member_row(**{"Ngày rời CLB": "15/03/2023"})]})
    assert_refused(sheets, "Khoản vay", 2, "Mã thành viên",
                   M.BORROWER_NOT_ACTIVE % {"code": "TV001", "date": "01/04/2023"})


def test_due_after_disbursement():
    assert_refused(full_file(**{"Khoản vay": [loan_row(**{"Ngày đến hạn": "01/04/2023"})]}), "Khoản vay", 2,
                   "Ngày đến hạn", M.DUE_NOT_AFTER % {"date": "01/04/2023"})


@pytest.mark.parametrize("amount,reason", [(0, M.NOT_POSITIVE), ("-5.000.000", M.NOT_POSITIVE),
                                           ("5,5 triệu", M.BAD_MONEY), (5000000.5, M.BAD_MONEY)])
def test_loan_amount_positive_whole_dong(amount, reason):
    assert_refused(full_file(**{"Khoản vay": [loan_row(**{"Số tiền": amount})]}), "Khoản vay", 2, "Số tiền", reason)


def test_loan_code_unique_within_club():
    sheets = full_file(**{"Khoản vay": [loan_row(), loan_row(**{"Số tiền": 1_000_000})]})
    assert_refused(sheets, "Khoản vay", 3, "Mã khoản vay", M.DUPLICATE % {"row": 2})


def test_disbursement_in_future():
    row = loan_row(**{"Ngày giải ngân": FUTURE, "Ngày đến hạn": "01/01/2100"})
    assert_refused(full_file(**{"Khoản vay": [row]}), "Khoản vay", 2, "Ngày giải ngân",
                   M.FUTURE_DATE % {"today": today_text()})


# ------------------------------------------------------------ repayments

def test_repayment_of_unknown_loan():
    assert_refused(full_file(**{"Trả nợ": [repayment_row(loan="KV999")]}), "Trả nợ", 2, "Mã khoản vay",
                   M.UNKNOWN_LOAN % {"club": "CLB-X1", "code": "KV999"})


def test_payment_not_before_disbursement():
    assert_refused(full_file(**{"Trả nợ": [repayment_row(**{"Ngày trả": "31/03/2023"})]}), "Trả nợ", 2, "Ngày trả",
                   M.PAID_BEFORE_DISBURSED % {"date": "01/04/2023"})


def test_repayments_never_exceed_principal():
    rows = [repayment_row(**{"Ngày trả": "01/06/2023", "Tiền gốc": 3_000_000}),
            repayment_row(**{"Ngày trả": "01/09/2023", "Tiền gốc": "3.000.000"})]
    assert_refused(full_file(**{"Trả nợ": rows}), "Trả nợ", 3, "Tiền gốc",
                   M.OVERPAID % {"total": "6.000.000 đ", "principal": "5.000.000 đ"})


def test_repayments_counted_with_those_already_saved():
    assert import_workbook(xlsx(full_file())).saved  # 1.000.000 repaid of 5.000.000
    sheets = {"Trả nợ": [repayment_row(**{"Ngày trả": "01/12/2023", "Tiền gốc": 4_500_000})]}
    found = problems(sheets)
    assert ("Trả nợ", 2, "Tiền gốc", str(M.OVERPAID % {"total": "5.500.000 đ", "principal": "5.000.000 đ"})) in found


@pytest.mark.parametrize("column", ["Tiền gốc", "Tiền lãi/phí"])
def test_repayment_amounts_not_negative(column):
    assert_refused(full_file(**{"Trả nợ": [repayment_row(**{column: -1000})]}), "Trả nợ", 2, column, M.NEGATIVE)


def test_repayment_key_unique():
    rows = [repayment_row(), repayment_row(**{"Tiền gốc": 500_000})]
    assert_refused(full_file(**{"Trả nợ": rows}), "Trả nợ", 3, "Ngày trả", M.DUPLICATE % {"row": 2})


# ------------------------------------------------------------ fund entries

def test_money_in_needs_source():
    assert_refused(full_file(Quỹ=[entry_row(Nguồn="")]), "Quỹ", 2, "Nguồn", M.IN_NEEDS_SOURCE)


def test_fund_amount_positive():
    assert_refused(full_file(Quỹ=[entry_row(**{"Số tiền": 0})]), "Quỹ", 2, "Số tiền", M.NOT_POSITIVE)


def test_unknown_fund_and_kind_and_source_all_reported():
    found = problems(full_file(Quỹ=[entry_row(Quỹ="Quỹ chung", Loại="Nhập", Nguồn="Ngân hàng")]))
    assert {(s, r, c) for s, r, c, _ in found} >= {("Quỹ", 2, "Quỹ"), ("Quỹ", 2, "Loại"), ("Quỹ", 2, "Nguồn")}


def test_voucher_unique_within_club_fund():
    rows = [entry_row(), entry_row(**{"Số tiền": 1_000_000})]
    assert_refused(full_file(Quỹ=rows), "Quỹ", 3, "Số phiếu", M.DUPLICATE % {"row": 2})


def test_same_voucher_in_the_other_fund_is_fine():
    rows = [entry_row(), entry_row(Quỹ="Hoạt động", Nguồn="Thành viên đóng góp", **{"Số tiền": 1_000_000})]
    assert import_workbook(xlsx(full_file(Quỹ=rows))).saved


def test_withdrawal_may_not_overdraw_fund():
    rows = [entry_row(), entry_row("CLB-X1", "PC001", Loại="Chi", Nguồn="", Ngày="01/05/2023", **{"Số tiền": 26_000_000})]
    # 30.000.000 in, 5.000.000 lent on 01/04: 25.000.000 left.
    assert_refused(full_file(Quỹ=rows), "Quỹ", 3, "Số tiền", M.FUND_NEGATIVE % {
        "fund": "Tăng thu nhập", "club": "CLB-X1", "date": "01/05/2023", "balance": "-1.000.000 đ"})


def test_loan_may_not_overdraw_income_fund():
    assert_refused(full_file(**{"Khoản vay": [loan_row(**{"Số tiền": 31_000_000})]}), "Khoản vay", 2, "Số tiền",
                   M.FUND_NEGATIVE % {"fund": "Tăng thu nhập", "club": "CLB-X1", "date": "01/04/2023",
                                      "balance": "-1.000.000 đ"})


def test_money_out_before_money_in_the_same_fund_is_refused_even_if_later_covered():
    rows = [entry_row(Quỹ="Hoạt động", Loại="Chi", Nguồn="", Ngày="01/04/2023", **{"Số phiếu": "PC1", "Số tiền": 100}),
            entry_row(Quỹ="Hoạt động", Nguồn="Thành viên đóng góp", Ngày="02/04/2023", **{"Số phiếu": "PT1"}),
            entry_row()]
    assert_refused(full_file(Quỹ=rows), "Quỹ", 2, "Số tiền", M.FUND_NEGATIVE % {
        "fund": "Hoạt động", "club": "CLB-X1", "date": "01/04/2023", "balance": "-100 đ"})


def test_fund_balance_counts_rows_already_in_the_database():
    club = ClubFactory(code="CLB-DB", founded_on=datetime.date(2023, 1, 1))
    FundEntry.objects.create(club=club, fund=Fund.ACTIVITY, voucher_no="PT1", date=datetime.date(2023, 2, 1),
                             kind="in", source="members", amount=10_000_000)
    FundEntry.objects.create(club=club, fund=Fund.ACTIVITY, voucher_no="PC1", date=datetime.date(2023, 3, 1),
                             kind="out", amount=8_000_000)
    sheets = {"Quỹ": [entry_row("CLB-DB", "PC2", Quỹ="Hoạt động", Loại="Chi", Nguồn="", Ngày="01/02/2023",
                                **{"Số tiền": 3_000_000})]}
    assert ("Quỹ", 2, "Số tiền", str(M.FUND_NEGATIVE % {
        "fund": "Hoạt động", "club": "CLB-DB", "date": "01/03/2023", "balance": "-1.000.000 đ"})) in problems(sheets)
    assert FundEntry.objects.count() == 2


# ------------------------------------------------------------ activities

@pytest.mark.parametrize("area", [0, 9, "Y tế"])
def test_activity_area_number_or_name(area):
    assert_refused(full_file(**{"Hoạt động": [activity_row(**{"Mảng hoạt động": area})]}), "Hoạt động", 2,
                   "Mảng hoạt động", M.BAD_AREA)


def test_activity_content_required():
    assert_refused(full_file(**{"Hoạt động": [activity_row(**{"Nội dung": " "})]}), "Hoạt động", 2, "Nội dung", M.REQUIRED)


def test_activity_date_not_in_future():
    assert_refused(full_file(**{"Hoạt động": [activity_row(Ngày=FUTURE)]}), "Hoạt động", 2, "Ngày",
                   M.FUTURE_DATE % {"today": today_text()})


def test_activity_participants_whole_number():
    assert_refused(full_file(**{"Hoạt động": [activity_row(**{"Số người tham gia": -3})]}), "Hoạt động", 2,
                   "Số người tham gia", M.BAD_INT)


def test_activity_key_unique_in_file():
    rows = [activity_row(), activity_row(**{"Số người tham gia": 20})]
    assert_refused(full_file(**{"Hoạt động": rows}), "Hoạt động", 3, "Nội dung", M.DUPLICATE % {"row": 2})


# ------------------------------------------------------------ money already in the books

def test_saved_loan_amount_is_not_edited_by_a_file():
    assert import_workbook(xlsx(full_file())).saved
    found = problems(full_file(**{"Khoản vay": [loan_row(**{"Số tiền": 6_000_000})]}))
    assert ("Khoản vay", 2, "Số tiền", str(M.MONEY_ROW_CHANGED % {"field": "Số tiền", "old": "5.000.000 đ"})) in found
    assert Loan.objects.get().principal == 5_000_000


def test_saved_fund_entry_amount_is_not_edited_by_a_file():
    assert import_workbook(xlsx(full_file())).saved
    found = problems(full_file(Quỹ=[entry_row(**{"Số tiền": 31_000_000})]))
    assert ("Quỹ", 2, "Số tiền", str(M.MONEY_ROW_CHANGED % {"field": "Số tiền", "old": "30.000.000 đ"})) in found


# ------------------------------------------------------------ every error at once

def test_every_error_of_every_sheet_is_reported_at_once():
    sheets = full_file(
        CLB=[club_row(), club_row("CLB-X2", **{"Mã xã": "99999"})],
        **{"Thành viên": [member_row(**{"Giới tính": "?"}), member_row(code="TV002", **{"Năm sinh": 12})],
           "Khoản vay": [loan_row(**{"Ngày đến hạn": "01/01/2023"})],
           "Trả nợ": [repayment_row(**{"Tiền gốc": -1})],
           "Quỹ": [entry_row(Nguồn="")],
           "Hoạt động": [activity_row(**{"Mảng hoạt động": 12})]},
    )
    found = {(s, r, c) for s, r, c, _ in problems(sheets)}
    assert found >= {
        ("CLB", 3, "Mã xã"), ("Thành viên", 2, "Giới tính"), ("Thành viên", 3, "Năm sinh"),
        ("Khoản vay", 2, "Ngày đến hạn"), ("Trả nợ", 2, "Tiền gốc"), ("Quỹ", 2, "Nguồn"),
        ("Hoạt động", 2, "Mảng hoạt động"),
    }


def test_problem_carries_the_cell_value():
    result = import_workbook(xlsx(full_file(**{"Thành viên": [member_row(**{"Giới tính": "Không rõ"})]})))
    problem = next(p for p in result.problems if p.column == "Giới tính")
    assert (problem.value, problem.letter) == ("Không rõ", "D")


def test_current_commune_code_means_the_current_commune():
    # 03394 was Xã Thèn Sin (former Tam Đường) before 1/7/2025; today it is Xã Sin Suối Hồ.
    assert import_workbook(xlsx(full_file(CLB=[club_row(**{"Mã xã": "03394"})]))).saved
    club = Club.objects.get(code="CLB-X1")
    assert (club.commune.level, club.commune.name) == ("commune", "Xã Sin Suối Hồ")
    assert club.commune == commune("03394")
    assert COMMUNE_IN_A != "03394"


def test_no_loan_in_a_club_already_dissolved():
    sheets = full_file(CLB=[club_row(**{"Ngày giải thể": "31/03/2023"})])
    assert_refused(sheets, "Khoản vay", 2, "Mã thành viên", M.BORROWER_NOT_ACTIVE % {"code": "TV001", "date": "01/04/2023"})


# ------------------------------------------------------------ the same rules as the entry forms

def test_source_club_only_for_rotation_track():
    rows = [club_row(), club_row("CLB-X2", **{"Mã CLB luân chuyển vốn": "CLB-X1"})]
    assert_refused(full_file(CLB=rows), "CLB", 3, "Mã CLB luân chuyển vốn", M.SOURCE_ONLY_FOR_ROTATION)


def test_source_club_founded_before_the_club_it_funds():
    rows = [club_row(**{"Ngày thành lập": "01/06/2024", "Ngày ban hành quy chế": None}),
            club_row("CLB-X2", **{"Nguồn thành lập": "Mới - luân chuyển vốn", "Mã CLB luân chuyển vốn": "CLB-X1"})]
    assert_refused({"CLB": rows}, "CLB", 3, "Mã CLB luân chuyển vốn", M.SOURCE_FOUNDED_LATER % {"date": "01/06/2024"})


def test_founding_date_may_not_move_after_saved_members_joined():
    club = ClubFactory(code="CLB-DB", founded_on=datetime.date(2023, 1, 1))
    Member.objects.create(club=club, code="TV1", full_name="Lò Thị Mai", gender="female", birth_year=1958,
                          joined_on=datetime.date(2023, 2, 1))
    found = problems({"CLB": [club_row("CLB-DB", **{"Ngày thành lập": "01/03/2023"})]})
    assert ("CLB", 2, "Ngày thành lập", str(M.FOUNDED_AFTER_MEMBERS % {"date": "01/02/2023"})) in found
    assert Club.objects.get().founded_on == datetime.date(2023, 1, 1)


def test_no_member_joins_a_dissolved_club():
    sheets = {"CLB": [club_row(**{"Ngày giải thể": "31/12/2023"})],
              "Thành viên": [member_row(**{"Ngày tham gia": "31/12/2023"})]}
    assert_refused(sheets, "Thành viên", 2, "Ngày tham gia", M.JOINED_AFTER_DISSOLVED % {"date": "31/12/2023"})


def test_fund_entry_not_before_founding():
    assert_refused(full_file(Quỹ=[entry_row(Ngày="28/02/2023")]), "Quỹ", 2, "Ngày",
                   M.BEFORE_FOUNDED % {"date": "01/03/2023"})


def test_activity_not_after_dissolution():
    sheets = full_file(CLB=[club_row(**{"Ngày giải thể": "31/12/2023"})],
                       **{"Hoạt động": [activity_row(Ngày="02/01/2024")]})
    assert_refused(sheets, "Hoạt động", 2, "Ngày", M.AFTER_DISSOLVED % {"date": "31/12/2023"})


def test_repayment_of_nothing_is_refused():
    assert_refused(full_file(**{"Trả nợ": [repayment_row(**{"Tiền gốc": 0, "Tiền lãi/phí": 0})]}), "Trả nợ", 2,
                   "Tiền gốc", M.REPAYMENT_EMPTY)


def test_interest_only_repayment_is_fine():
    assert import_workbook(xlsx(full_file(**{"Trả nợ": [repayment_row(**{"Tiền gốc": 0})]}))).saved


# ------------------------------------------------------------ numbers the database could not hold

def test_amount_too_large_for_the_books_is_a_cell_error_not_a_crash():
    from clubs.fields import AMOUNT_TOO_BIG

    message = str(AMOUNT_TOO_BIG % {"max": "1.000.000.000.000 đ"})
    found = problems(full_file(Quỹ=[entry_row(**{"Số tiền": "99999999999999999999"})]))
    assert ("Quỹ", 2, "Số tiền", message) in found
    assert not FundEntry.objects.exists()
    # The same ceiling as the forms, on every money column: 10^12 passes, one đồng more does not.
    found = problems(full_file(**{"Trả nợ": [repayment_row(**{"Tiền lãi/phí": 9_223_372_036_854_775_807})],
                                  "Khoản vay": [loan_row(**{"Số tiền": 10**12 + 1})]}))
    assert ("Trả nợ", 2, "Tiền lãi/phí", message) in found and ("Khoản vay", 2, "Số tiền", message) in found
    assert import_workbook(xlsx(full_file(Quỹ=[entry_row(**{"Số tiền": 10**12})]))).saved


def test_participants_too_large_is_a_cell_error_not_a_crash():
    assert_refused(full_file(**{"Hoạt động": [activity_row(**{"Số người tham gia": 10**12})]}), "Hoạt động", 2,
                   "Số người tham gia", M.TOO_BIG % {"max": "2.147.483.647"})


def test_repayment_dated_before_a_recorded_reversal_counts_from_its_own_day():
    # Saved: 1.000.000 repaid on 01/10/2023, reversed on 01/12/2023. A file row of 4.500.000 on
    # 15/11/2023 would owe -500.000 at the end of that day (the service refuses it too).
    from funds import services
    from funds.models import Repayment

    assert import_workbook(xlsx(full_file())).saved
    services.repayment_reverse(repayment=Repayment.objects.get(), on=datetime.date(2023, 12, 1), reason="nhầm", user=None)
    sheets = {"Trả nợ": [repayment_row(**{"Ngày trả": "15/11/2023", "Tiền gốc": 4_500_000})]}
    assert ("Trả nợ", 2, "Tiền gốc", str(M.OVERPAID % {"total": "5.500.000 đ", "principal": "5.000.000 đ"})) in problems(sheets)
    # After the reversal the same amount fits.
    later = {"Trả nợ": [repayment_row(**{"Ngày trả": "02/12/2023", "Tiền gốc": 4_500_000})]}
    assert import_workbook(xlsx(later)).saved
