import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from clubs.actors import SYSTEM_USERNAME
from clubs.models import Club, Member
from clubs.tests.factories import COMMUNE_IN_B
from workbook import messages as M
from workbook.importer import import_workbook
from workbook.reader import NOT_XLSX, UnsafeWorkbook, check_file

from .helpers import club_row, full_file, member_row, read, xlsx

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------ safety

def test_file_over_the_size_limit_is_refused(settings):
    data = xlsx(full_file())
    settings.WORKBOOK_MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(UnsafeWorkbook, match="Tệp quá lớn"):
        check_file(data)


@pytest.mark.parametrize("data", [b"Ho ten,Nam sinh\nLo Thi Mai,1958\n", b"\xd0\xcf\x11\xe0 old .xls", b""])
def test_not_a_zip_is_refused(data):
    with pytest.raises(UnsafeWorkbook) as exc:
        check_file(data)
    assert str(exc.value) == str(NOT_XLSX)


def test_zip_without_workbook_part_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<doc/>")
    with pytest.raises(UnsafeWorkbook) as exc:
        check_file(buffer.getvalue())
    assert str(exc.value) == str(NOT_XLSX)


def test_zip_bomb_is_refused_before_openpyxl_reads_it(settings, monkeypatch):
    settings.WORKBOOK_MAX_UNPACKED_BYTES = 10 * 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx(full_file()))) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info, source.read(info))
        z.writestr("xl/media/padding.bin", b"\0" * (11 * 1024 * 1024))  # compresses to a few kB
    data = buffer.getvalue()
    assert len(data) < 200 * 1024

    def fail(*args, **kwargs):
        raise AssertionError("openpyxl must not open it")

    monkeypatch.setattr("workbook.reader.load_workbook", fail)
    with pytest.raises(UnsafeWorkbook, match="giải nén ra quá lớn"):
        import_workbook(data)


# ------------------------------------------------------------ scope

def test_district_staff_may_not_create_clubs_outside_their_district(staff_a):
    sheets = {"CLB": [club_row(), club_row("CLB-X2", **{"Mã xã": COMMUNE_IN_B})]}
    result = import_workbook(xlsx(sheets), user=staff_a)
    assert not result.saved
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (3, "Mã xã", str(M.COMMUNE_OUT_OF_SCOPE % {"name": "03390 - Xã Bình Lư"}))]
    assert not Club.objects.exists()


def test_district_staff_may_not_touch_clubs_of_another_district(staff_a, club_b):
    sheets = {"CLB": [club_row(club_b.code)],  # moving it into their own commune is refused too
              "Thành viên": [member_row(club=club_b.code)]}
    result = import_workbook(xlsx(sheets), user=staff_a)
    found = {(p.sheet, p.column, p.reason) for p in result.problems}
    # What the club form says of a code already used (codes are unique in the province), and no more.
    assert ("CLB", "Mã CLB", str(M.CLUB_CODE_TAKEN % {"code": club_b.code})) in found
    assert not Member.objects.exists()


def test_district_staff_import_rows_of_their_own_district(staff_a, club_a):
    result = import_workbook(xlsx({"Thành viên": [member_row(club=club_a.code, **{"Ngày tham gia": "01/04/2022"})]}), user=staff_a)
    assert result.saved
    assert Member.objects.get().history.get().history_user == staff_a


def test_current_code_of_a_commune_now_in_another_district_is_out_of_scope(staff_b):
    # 03394 was Thèn Sin of staff_b's Tam Đường; today it is Sin Suối Hồ, under another former district.
    result = import_workbook(xlsx({"CLB": [club_row(**{"Mã xã": "03394"})]}), user=staff_b)
    assert [p.column for p in result.problems] == ["Mã xã"]


def test_account_without_staff_role_imports_nothing(outsider):
    result = import_workbook(xlsx({"CLB": [club_row()]}), user=outsider)
    assert not result.saved and result.problems


# ------------------------------------------------------------ command line

def test_import_command_saves_and_reports(tmp_path, capsys):
    path = tmp_path / "clb.xlsx"
    path.write_bytes(xlsx(full_file()))
    call_command("import_workbook", str(path))
    out = capsys.readouterr().out
    assert "Thành viên: thêm mới 1, cập nhật 0, không đổi 0" in out
    assert Member.objects.count() == 1
    # Full rights without --as, and the history names the system account rather than nobody.
    assert Member.objects.get().history.get().history_user.username == SYSTEM_USERNAME


def test_import_command_dry_run_saves_nothing(tmp_path, capsys):
    path = tmp_path / "clb.xlsx"
    path.write_bytes(xlsx(full_file()))
    call_command("import_workbook", str(path), "--dry-run")
    assert "CLB: thêm mới 1" in capsys.readouterr().out
    assert not Club.objects.exists()


def test_import_command_lists_errors_and_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "clb.xlsx"
    path.write_bytes(xlsx(full_file(**{"Thành viên": [member_row(**{"Năm sinh": 58})]})))
    with pytest.raises(CommandError, match="không lưu gì"):
        call_command("import_workbook", str(path))
    assert "LỖI Thành viên, dòng 2, cột Năm sinh: “58”" in capsys.readouterr().out
    assert not Club.objects.exists()


def test_import_command_as_district_staff_is_scoped(tmp_path, staff_a, capsys):
    path = tmp_path / "clb.xlsx"
    path.write_bytes(xlsx({"CLB": [club_row(**{"Mã xã": COMMUNE_IN_B})]}))
    with pytest.raises(CommandError):
        call_command("import_workbook", str(path), "--as", "staff_a")
    assert "không thuộc địa bàn" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("import_workbook", str(path), "--as", "nobody")


def test_import_command_refuses_a_file_that_is_not_xlsx(tmp_path):
    path = tmp_path / "clb.xlsx"
    path.write_text("not excel")
    with pytest.raises(CommandError, match="không phải là tệp Excel"):
        call_command("import_workbook", str(path))


def test_export_command_by_district_and_commune(tmp_path, club_a, club_b):
    path = tmp_path / "out.xlsx"
    call_command("export_workbook", str(path), "--district", club_b.commune.parent.code)
    assert [r[0] for r in read(path.read_bytes())["CLB"].iter_rows(min_row=2, values_only=True)] == [club_b.code]
    call_command("export_workbook", str(path), "--commune", club_a.commune.code)
    assert [r[0] for r in read(path.read_bytes())["CLB"].iter_rows(min_row=2, values_only=True)] == [club_a.code]
    call_command("export_workbook", str(path))
    assert len(list(read(path.read_bytes())["CLB"].iter_rows(min_row=2))) == 2


# ------------------------------------------------------------ the reader

def test_reader_keeps_row_numbers_text_and_types():
    import datetime

    from workbook.reader import open_workbook, read_sheets
    from workbook.xlsx import communes_for, template_workbook, to_bytes

    book = read(to_bytes(template_workbook(communes=communes_for())))
    book["Thành viên"].append(["CLB-1", 17, "=1+1 không phải công thức", "Nữ", 1958.0, datetime.date(1958, 2, 1), None,
                               None, "01/03/2023", True])
    book["Thành viên"].append([])
    book["Thành viên"].append([None, None, "sau dòng trống", None, 1.5])
    book["Quỹ"]["H5"] = "chỉ một ô, xa"
    book["Thành viên"]["C3"].data_type = "s"
    sheets = read_sheets(open_workbook(to_bytes(book)))
    assert [r.number for r in sheets["members"].rows] == [2, 3, 5]
    third = sheets["members"].rows[1].values
    assert third["full_name"] == "=1+1 không phải công thức"
    assert third["birth_date"] == datetime.datetime(1958, 2, 1)
    assert [r.values["description"] for r in sheets["entries"].rows if r.number == 5] == ["chỉ một ô, xa"]


def test_damaged_sheet_is_refused_with_a_message():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx(full_file()))) as source, zipfile.ZipFile(buffer, "w") as z:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]  # cut in the middle of the XML
            z.writestr(info, body)
    with pytest.raises(UnsafeWorkbook, match="Không đọc được tệp Excel"):
        import_workbook(buffer.getvalue())
