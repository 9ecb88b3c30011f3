import datetime

import pytest

from clubs.models import Activity, ActivityArea, Club, Member, Track
from funds.models import EntryKind, Fund, FundEntry, Loan, Repayment, Source
from workbook import messages as M
from workbook.importer import import_workbook
from workbook.spec import EXAMPLE_CLUB_CODE

from .helpers import activity_row, club_row, entry_row, full_file, loan_row, member_row, repayment_row, xlsx

pytestmark = pytest.mark.django_db


def counts(result):
    return {s.name: (s.create, s.update, s.unchanged) for s in result.sheets}


def table_state():
    return (
        list(Club.objects.values_list("code", "name", "commune__code", "founded_on", "track", "source_club__code")),
        list(Member.objects.values_list("club__code", "code", "full_name", "gender", "birth_year", "joined_on", "left_on")),
        list(Loan.objects.values_list("club__code", "code", "member__code", "principal", "disbursed_on", "due_on")),
        list(Repayment.objects.values_list("loan__code", "paid_on", "principal", "interest")),
        list(FundEntry.objects.values_list("club__code", "fund", "voucher_no", "date", "kind", "source", "amount")),
        list(Activity.objects.values_list("club__code", "date", "area", "content", "participants")),
    )


def history_count():
    return sum(m.history.count() for m in (Club, Member, Loan, Repayment, FundEntry, Activity))


def test_all_six_sheets_are_imported_with_vietnamese_labels_mapped(officer):
    result = import_workbook(xlsx(full_file()), user=officer)
    assert result.saved, result.problems
    assert counts(result) == {name: (1, 0, 0) for name in ("CLB", "Thành viên", "Khoản vay", "Trả nợ", "Quỹ", "Hoạt động")}
    club = Club.objects.get(code="CLB-X1")
    assert (club.track, club.commune.code, club.founded_on, club.regulation_on) == (
        Track.NEW_BUDGET, "03388", datetime.date(2023, 3, 1), datetime.date(2023, 3, 15))
    member = Member.objects.get()
    assert (member.club, member.gender, member.birth_year, member.ethnicity) == (club, Member.Gender.FEMALE, 1958, "Thái")
    loan = Loan.objects.get()
    assert (loan.member, loan.principal, loan.due_on, loan.created_by) == (member, 5_000_000, datetime.date(2024, 4, 1), officer)
    assert Repayment.objects.get().interest == 50_000
    entry = FundEntry.objects.get()
    assert (entry.fund, entry.kind, entry.source, entry.amount) == (Fund.INCOME, EntryKind.IN, Source.PROVINCE_BUDGET, 30_000_000)
    assert Activity.objects.get().area == ActivityArea.HEALTH


def test_history_is_recorded_with_the_importing_user(officer):
    import_workbook(xlsx(full_file()), user=officer)
    for model in (Club, Member, Loan, Repayment, FundEntry, Activity):
        record = model.history.get()
        assert (record.history_type, record.history_user) == ("+", officer)


def test_importing_the_same_file_twice_changes_nothing(officer):
    data = xlsx(full_file())
    assert import_workbook(data, user=officer).saved
    before, history = table_state(), history_count()
    again = import_workbook(data, user=officer)
    assert again.saved and again.changes == 0
    assert counts(again) == {name: (0, 0, 1) for name in ("CLB", "Thành viên", "Khoản vay", "Trả nợ", "Quỹ", "Hoạt động")}
    assert table_state() == before
    assert history_count() == history


def test_changed_rows_are_updated_in_place_with_history(officer):
    assert import_workbook(xlsx(full_file()), user=officer).saved
    sheets = full_file(**{"Thành viên": [member_row(**{"Họ và tên": "Lò Thị Mai Anh", "Hoàn cảnh": "Hộ nghèo"}),
                                         member_row(code="TV002", **{"Họ và tên": "Lò Văn Pọm", "Giới tính": "Nam"})],
                          "Hoạt động": [activity_row(**{"Số người tham gia": 40})]})
    result = import_workbook(xlsx(sheets), user=officer)
    assert result.saved
    assert counts(result)["Thành viên"] == (1, 1, 0)
    assert counts(result)["Hoạt động"] == (0, 1, 0)
    member = Member.objects.get(code="TV001")
    assert (member.full_name, member.household) == ("Lò Thị Mai Anh", Member.Household.POOR)
    assert Member.objects.count() == 2
    latest = member.history.first()
    assert (latest.history_type, latest.history_user, latest.full_name) == ("~", officer, "Lò Thị Mai Anh")
    assert Activity.objects.get().participants == 40


def test_absent_optional_columns_keep_saved_values():
    assert import_workbook(xlsx(full_file())).saved
    row = member_row(**{"Họ và tên": "Lò Thị Mai Anh"})
    del row["Dân tộc"]
    assert import_workbook(xlsx({"Thành viên": [row]})).saved
    assert Member.objects.get().ethnicity == "Thái"


def test_header_rules_case_spaces_star_order_and_unknown_columns():
    rows = [{"  mã clb *": "CLB-X1", "TÊN CLB": "CLB Bản Mới", "Ghi chú riêng": "bỏ qua", "Ngày Thành Lập*": "01/03/2023",
             "nguồn thành lập": "duy trì 2017-2020", "Mã xã": "03388"}]
    result = import_workbook(xlsx({"clb": rows}))
    assert result.saved, result.problems
    club = Club.objects.get()
    assert (club.name, club.track) == ("CLB Bản Mới", Track.EXISTING)


def test_dates_as_excel_cells_or_text_and_money_as_number_or_text():
    sheets = full_file(
        CLB=[club_row(**{"Ngày thành lập": datetime.datetime(2023, 3, 1)})],
        **{"Khoản vay": [loan_row(**{"Số tiền": 5_000_000, "Ngày giải ngân": datetime.date(2023, 4, 1)})],
           "Trả nợ": [repayment_row(**{"Tiền gốc": "1.000.000", "Tiền lãi/phí": "50.000"})],
           "Quỹ": [entry_row(**{"Số tiền": 30000000.0})]},
    )
    assert import_workbook(xlsx(sheets)).saved
    assert Loan.objects.get().principal == 5_000_000
    assert Repayment.objects.get().principal == 1_000_000
    assert FundEntry.objects.get().amount == 30_000_000


@pytest.mark.parametrize("value", ["03388", "03388 - Phường Đoàn Kết", 3388])
def test_commune_as_code_dropdown_label_or_number(value):
    assert import_workbook(xlsx({"CLB": [club_row(**{"Mã xã": value})]})).saved
    assert Club.objects.get().commune.name == "Phường Đoàn Kết"


def test_activity_area_by_name():
    sheets = full_file(**{"Hoạt động": [activity_row(**{"Mảng hoạt động": "Thể thao, văn hoá, văn nghệ"})]})
    assert import_workbook(xlsx(sheets)).saved
    assert Activity.objects.get().area == ActivityArea.CULTURE


def test_empty_rows_are_skipped():
    sheets = {"CLB": [club_row(), {"Mã CLB": None, "Tên CLB": "  "}, club_row("CLB-X2")]}
    result = import_workbook(xlsx(sheets))
    assert result.saved and Club.objects.count() == 2


def test_template_example_rows_are_skipped():
    sheets = full_file(
        CLB=[club_row(EXAMPLE_CLUB_CODE), club_row()],
        **{"Thành viên": [member_row(club=EXAMPLE_CLUB_CODE), member_row()]},
    )
    result = import_workbook(xlsx(sheets))
    assert result.saved
    assert not Club.objects.filter(code=EXAMPLE_CLUB_CODE).exists()
    assert Member.objects.count() == 1


def test_rotation_club_may_name_a_club_further_down_the_sheet():
    rows = [club_row("CLB-X2", **{"Nguồn thành lập": "Mới - luân chuyển vốn", "Mã CLB luân chuyển vốn": "CLB-X1",
                                  "Ngày thành lập": "01/06/2024"}),
            club_row()]
    assert import_workbook(xlsx({"CLB": rows})).saved
    assert Club.objects.get(code="CLB-X2").source_club.code == "CLB-X1"


def test_rows_referencing_clubs_already_in_the_database(club_a):
    sheets = {"Thành viên": [member_row(club=club_a.code, **{"Ngày tham gia": "01/04/2022"})]}
    assert import_workbook(xlsx(sheets)).saved
    assert Member.objects.get().club == club_a


def test_an_error_in_the_last_row_of_the_last_sheet_saves_nothing(club_a):
    before = table_state()
    history = history_count()
    activities = [activity_row(**{"Nội dung": f"Buổi {i}"}) for i in range(5)] + [activity_row(**{"Mảng hoạt động": 9})]
    result = import_workbook(xlsx(full_file(**{"Hoạt động": activities})))
    assert not result.saved
    assert [(p.sheet, p.row) for p in result.problems] == [("Hoạt động", 7)]
    assert table_state() == before
    assert history_count() == history


def test_dry_run_counts_but_saves_nothing():
    result = import_workbook(xlsx(full_file()), commit=False)
    assert result.ok and not result.saved
    assert counts(result)["CLB"] == (1, 0, 0)
    assert not Club.objects.exists()


def test_workbook_without_any_known_sheet_is_refused():
    result = import_workbook(xlsx({"Sheet1": [{"a": 1}]}))
    assert not result.saved and result.problems
    assert [p.reason for p in result.problems] == [str(M.NO_SHEETS)]


def test_decomposed_unicode_headers_sheet_names_and_names_are_understood():
    import unicodedata
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    row = {nfd(k): (nfd(v) if isinstance(v, str) else v) for k, v in member_row().items()}
    sheets = {"CLB": [club_row()], nfd("Thành viên"): [row]}
    result = import_workbook(xlsx(sheets))
    assert result.saved, result.problems
    assert Member.objects.get().full_name == "Lò Thị Mai"


def test_preview_lists_rows_that_change_before_unchanged_ones(monkeypatch):
    from workbook.importer import parsing
    monkeypatch.setattr(parsing, "PREVIEW_ROWS", 2)
    names = ["Lò Thị Mai", "Nguyễn Thị Hoa", "Tẩn Mẩy Chăn", "Lường Thị Xuân"]
    rows = [member_row(code=f"TV00{i}", **{"Họ và tên": name}) for i, name in enumerate(names, start=1)]
    assert import_workbook(xlsx(full_file(**{"Thành viên": rows}))).saved
    rows.append(member_row(code="TV009", **{"Họ và tên": "Đào Thị Lan"}))
    rows[2] = member_row(code="TV003", **{"Họ và tên": "Lò Văn Pọm"})
    result = import_workbook(xlsx(full_file(**{"Thành viên": rows})), commit=False)
    members = next(s for s in result.sheets if s.key == "members")
    assert [(n, action) for n, action, _ in members.rows] == [(4, "update"), (6, "create")]
    assert (members.create, members.update, members.unchanged) == (1, 1, 3)


def test_a_clash_while_writing_the_last_sheet_saves_nothing(monkeypatch):
    """Someone saves the same codes between our checks and our inserts: the rows already written go too."""
    from django.db import IntegrityError

    from workbook.importer import writing as importer
    real = importer.bulk_create_with_history

    def clash(objs, model, **kwargs):
        if model is Activity:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real(objs, model, **kwargs)

    monkeypatch.setattr(importer, "bulk_create_with_history", clash)
    result = import_workbook(xlsx(full_file()))
    assert not result.saved
    assert [p.reason for p in result.problems] == [str(M.CONCURRENT_CHANGE)]
    assert table_state() == ([], [], [], [], [], [])
    assert history_count() == 0
