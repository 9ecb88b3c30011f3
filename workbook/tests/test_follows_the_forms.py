"""The import refuses what the forms refuse, with the same messages, and warns where they warn (issue 11)."""
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from clubs import services
from clubs.models import BoardMembership, Club, Member
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, ClubFactory, MemberFactory, commune
from funds import rules as fund_rules
from workbook import messages as M
from workbook.importer import import_workbook
from workbook.models import Upload
from workbook.xlsx import communes_for, export_workbook, to_bytes

from .helpers import club_row, entry_row, full_file, loan_row, member_row, repayment_row, xlsx

pytestmark = pytest.mark.django_db


def refused(sheets, **kwargs):
    result = import_workbook(xlsx(sheets), commit=True, **kwargs)
    assert not result.saved
    return [(p.sheet, p.row, p.column, p.reason) for p in result.problems]


def clubs_only(*rows):
    return {"CLB": list(rows)}


# ------------------------------------------------------------ club codes ignore case


def test_a_club_code_differing_only_in_case_is_refused_like_the_form(officer):
    ClubFactory(code="CLB-105-01", commune=commune(COMMUNE_IN_A))
    with pytest.raises(ValidationError) as form:
        services.club_create(user=officer, code="clb-105-01", name="CLB mới", commune=commune(COMMUNE_IN_A),
                             founded_on=datetime.date(2023, 3, 1), track="new_budget")
    assert form.value.error_dict["code"][0].message == M.CLUB_CODE_TAKEN
    problems = refused(clubs_only(club_row("clb-105-01")))
    assert problems == [("CLB", 2, "Mã CLB", str(M.CLUB_CODE_TAKEN % {"code": "clb-105-01"}))]
    assert list(Club.objects.values_list("code", flat=True)) == ["CLB-105-01"]


def test_two_rows_of_one_file_with_the_same_code_in_another_case_are_refused():
    problems = refused(clubs_only(club_row("CLB-X1"), club_row("clb-x1")))
    assert ("CLB", 3, "Mã CLB", str(M.DUPLICATE % {"row": 2})) in problems
    assert not Club.objects.exists()


def test_a_member_code_differing_only_in_case_is_refused_like_the_form():
    club = ClubFactory(code="CLB-X1", commune=commune(COMMUNE_IN_A), founded_on=datetime.date(2023, 3, 1))
    MemberFactory(club=club, code="TV001", full_name="Lường Thị Xuân")
    problems = refused({"Thành viên": [member_row(code="tv001")]})
    assert problems == [("Thành viên", 2, "Mã thành viên", str(M.MEMBER_CODE_TAKEN % {"code": "tv001"}))]


# ------------------------------------------------------------ dissolution needs a reason


def test_dissolving_without_a_reason_is_refused_like_club_dissolve(officer):
    club = ClubFactory(code="CLB-X1", commune=commune(COMMUNE_IN_A), founded_on=datetime.date(2023, 3, 1))
    with pytest.raises(ValidationError) as form:
        services.club_dissolve(club=club, dissolved_on=datetime.date(2024, 12, 31), reason=" ", user=officer)
    assert form.value.error_dict["dissolution_reason"][0].message == M.DISSOLUTION_REASON_REQUIRED
    row = club_row(**{"Ngày giải thể": "31/12/2024", "Lý do giải thể": ""})
    assert refused(clubs_only(row)) == [("CLB", 2, "Lý do giải thể", str(M.DISSOLUTION_REASON_REQUIRED))]
    # An older file without the column: the date is refused, as it cannot carry the reason.
    del row["Lý do giải thể"]
    assert refused(clubs_only(row)) == [("CLB", 2, "Ngày giải thể", str(M.DISSOLUTION_REASON_REQUIRED))]
    assert Club.objects.get().dissolved_on is None


def test_a_dissolution_with_its_reason_is_saved_and_exported():
    row = club_row(**{"Ngày giải thể": "31/12/2024", "Lý do giải thể": "Sáp nhập với CLB bản bên"})
    assert import_workbook(xlsx(clubs_only(row))).saved
    club = Club.objects.get(code="CLB-X1")
    assert (club.dissolved_on, club.dissolution_reason) == (datetime.date(2024, 12, 31), "Sáp nhập với CLB bản bên")
    book = load_workbook(io.BytesIO(to_bytes(export_workbook(Club.objects.all(), communes=communes_for()))))
    headers = [c.value for c in book["CLB"][1]]
    assert book["CLB"][2][headers.index("Lý do giải thể")].value == "Sáp nhập với CLB bản bên"


def test_a_dissolved_club_is_not_dissolved_again_nor_reopened_by_a_file():
    ClubFactory(code="CLB-X1", commune=commune(COMMUNE_IN_A), founded_on=datetime.date(2023, 3, 1),
                dissolved_on=datetime.date(2024, 6, 30), dissolution_reason="Giải thể")
    for date in ("31/12/2024", None):
        problems = refused(clubs_only(club_row(**{"Ngày giải thể": date, "Lý do giải thể": "Giải thể"})))
        assert problems == [("CLB", 2, "Ngày giải thể", str(M.CLUB_ALREADY_DISSOLVED % {"date": "30/06/2024"}))]


# ------------------------------------------------------------ the same person twice in one club


def test_the_same_person_twice_in_one_file_is_a_warning_confirmed_like_the_member_form():
    data = xlsx(full_file(**{"Thành viên": [member_row(code="TV001"), member_row(code="TV002")]}))
    preview = import_workbook(data, commit=False)
    assert preview.ok and [(p.sheet, p.row, p.column) for p in preview.warnings] == [("Thành viên", 3, "Họ và tên")]
    assert not import_workbook(data).saved and not Member.objects.exists()
    assert import_workbook(data, confirm_duplicates=True).saved
    assert Member.objects.filter(full_name="Lò Thị Mai").count() == 2


def test_a_person_already_in_the_club_is_a_warning_whatever_the_case_and_spacing(officer):
    club = ClubFactory(code="CLB-X1", commune=commune(COMMUNE_IN_A), founded_on=datetime.date(2023, 3, 1))
    services.member_add(user=officer, club=club, code="TV001", full_name="Lò Thị Mai", gender="female", birth_year=1958,
                        joined_on=datetime.date(2023, 3, 1))
    with pytest.raises(services.LikelyDuplicate) as form:
        services.member_add(user=officer, club=club, code="TV002", full_name="lò  thị mai", gender="female", birth_year=1958,
                            joined_on=datetime.date(2023, 3, 1))
    assert form.value.code == "duplicate_member"
    data = xlsx({"Thành viên": [member_row(code="TV002", **{"Họ và tên": "lò  thị MAI"})]})
    preview = import_workbook(data, commit=False)
    assert preview.ok and [(p.sheet, p.row, p.column) for p in preview.warnings] == [("Thành viên", 2, "Họ và tên")]
    assert not import_workbook(data).saved and Member.objects.count() == 1
    assert import_workbook(data, confirm_duplicates=True).saved and Member.objects.count() == 2


def test_someone_who_left_and_joined_again_under_a_new_code_is_not_a_duplicate():
    rows = [member_row(code="TV001", **{"Ngày rời CLB": "01/06/2023"}), member_row(code="TV050", **{"Ngày tham gia": "01/01/2024"})]
    result = import_workbook(xlsx(full_file(**{"Thành viên": rows})), confirm_duplicates=True)
    assert result.saved, result.problems


# ------------------------------------------------------------ a likely duplicate is a warning the user confirms


def test_a_likely_duplicate_in_another_club_is_a_warning_saved_only_once_confirmed():
    other = ClubFactory(code="CLB-B9", commune=commune(COMMUNE_IN_B))
    MemberFactory(club=other, code="TV007", full_name="Lo Thi Mai", birth_year=1958)
    data = xlsx(full_file())
    preview = import_workbook(data, commit=False)
    assert preview.ok and [(p.sheet, p.row, p.column) for p in preview.warnings] == [("Thành viên", 2, "Họ và tên")]
    assert "Lo Thi Mai (1958) – CLB-B9" in preview.warnings[0].reason
    unconfirmed = import_workbook(data)
    assert not unconfirmed.saved and unconfirmed.needs_confirmation
    assert not Club.objects.filter(code="CLB-X1").exists()
    assert import_workbook(data, confirm_duplicates=True).saved
    assert Member.objects.filter(club__code="CLB-X1", full_name="Lò Thị Mai").exists()
    # Re-importing the same file changes nothing and warns of nothing.
    again = import_workbook(data)
    assert again.saved and again.changes == 0 and not again.warnings


def test_the_preview_page_lists_the_warning_and_confirm_needs_the_tick(staff_a_client, staff_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    MemberFactory(club=ClubFactory(code="CLB-B9", commune=commune(COMMUNE_IN_B)), full_name="Lò Thị Mai", birth_year=1958)
    staff_a_client.post(reverse("workbook:upload"), {"file": SimpleUploadedFile("clb.xlsx", xlsx(full_file()))})
    record = Upload.objects.get()
    page = staff_a_client.get(reverse("workbook:preview", args=[record.pk])).content.decode()
    assert 'id="import-warnings"' in page and "CLB-B9" in page and 'name="confirm_duplicates"' in page
    response = staff_a_client.post(reverse("workbook:confirm", args=[record.pk]))
    assert response.status_code == 400 and not Club.objects.filter(code="CLB-X1").exists()
    response = staff_a_client.post(reverse("workbook:confirm", args=[record.pk]), {"confirm_duplicates": "1"})
    assert response.status_code == 302 and Club.objects.filter(code="CLB-X1").exists()


# ------------------------------------------------------------ leaving, and the 2026 member columns


def test_the_new_member_columns_are_imported_and_exported():
    row = member_row(**{"Điện thoại": "0912 345 678", "Thôn/bản": "Bản Hon", "Tình nguyện viên chăm sóc tại nhà": "có",
                        "Ngày rời CLB": "01/06/2024", "Lý do rời CLB": "Chuyển nơi ở"})
    assert import_workbook(xlsx(full_file(**{"Thành viên": [row]}))).saved
    m = Member.objects.get()
    assert (m.phone, m.village, m.is_homecare_volunteer, m.leave_reason) == ("0912 345 678", "Bản Hon", True, "Chuyển nơi ở")
    book = load_workbook(io.BytesIO(to_bytes(export_workbook(Club.objects.all(), communes=communes_for()))))
    headers = [c.value for c in book["Thành viên"][1]]
    values = dict(zip(headers, (c.value for c in book["Thành viên"][2])))
    assert (values["Điện thoại"], values["Thôn/bản"], values["Tình nguyện viên chăm sóc tại nhà"], values["Lý do rời CLB"]) == (
        "0912 345 678", "Bản Hon", "Có", "Chuyển nơi ở")
    problems = refused(full_file(**{"Thành viên": [member_row(code="TV002", **{
        "Họ và tên": "Giàng Thị Sua", "Tình nguyện viên chăm sóc tại nhà": "x"})]}))
    assert [(s, c) for s, _r, c, _ in problems] == [("Thành viên", "Tình nguyện viên chăm sóc tại nhà")]


def test_leaving_by_file_ends_the_board_seat_and_happens_once(officer):
    club = ClubFactory(code="CLB-X1", commune=commune(COMMUNE_IN_A), founded_on=datetime.date(2023, 3, 1))
    chair = MemberFactory(club=club, code="TV001", full_name="Lò Thị Mai", birth_year=1958, joined_on=datetime.date(2023, 3, 1))
    seat = services.board_assign(user=officer, club=club, member=chair, role="chair", started_on=datetime.date(2023, 3, 1))
    row = member_row(**{"Ngày rời CLB": "01/06/2024", "Lý do rời CLB": "Chuyển nơi ở"})
    assert import_workbook(xlsx({"Thành viên": [row]}), confirm_duplicates=True).saved
    assert BoardMembership.objects.get(pk=seat.pk).ended_on == datetime.date(2024, 6, 1)
    problems = refused({"Thành viên": [member_row(**{"Ngày rời CLB": "01/07/2024"})]})
    assert problems == [("Thành viên", 2, "Ngày rời CLB", str(M.ALREADY_LEFT % {"date": "01/06/2024"}))]


# ------------------------------------------------------------ activities


def test_activities_follow_the_sheet_rules_on_participants_and_case():
    from .helpers import activity_row

    problems = refused(full_file(**{"Hoạt động": [activity_row(**{"Số người tham gia": 5000})]}))
    assert problems == [("Hoạt động", 2, "Số người tham gia", str(M.ACTIVITY_TOO_MANY_PARTICIPANTS % {"max": 1000}))]
    rows = [activity_row(), activity_row(**{"Nội dung": "đo  HUYẾT áp"})]
    problems = refused(full_file(**{"Hoạt động": rows}))
    assert problems == [("Hoạt động", 3, "Nội dung", str(M.DUPLICATE % {"row": 2}))]
    assert import_workbook(xlsx(full_file())).saved
    again = import_workbook(xlsx(full_file(**{"Hoạt động": [activity_row(**{"Nội dung": "ĐO HUYẾT ÁP"})]})))
    assert again.saved and again.changes == 0


# ------------------------------------------------------------ the money limits of the loan forms (issue 12)


def test_a_loan_over_the_clubs_limit_is_refused_like_the_loan_form():
    sheets = full_file(**{"Khoản vay": [loan_row(**{"Số tiền": "60.000.000"})],
                          "Quỹ": [entry_row(**{"Số tiền": "100.000.000"})]})
    problems = refused(sheets)
    assert ("Khoản vay", 2, "Số tiền", str(fund_rules.LOAN_OVER_LIMIT % {"max": "50.000.000 đ"})) in problems
    sheets = full_file(**{"Trả nợ": [repayment_row(**{"Tiền lãi/phí": 99_999_999})]})
    problems = refused(sheets)
    assert [(s, r, c) for s, r, c, _ in problems] == [("Trả nợ", 2, "Tiền lãi/phí")]
    assert "Tiền lãi/phí quá lớn" in problems[0][3]
