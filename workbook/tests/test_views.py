import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from clubs.models import Club, Member
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, add_members, commune
from workbook import messages as M
from workbook.models import Upload

from .helpers import activity_row, club_row, entry_row, full_file, loan_row, member_row, repayment_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, data, name="clb.xlsx"):
    return client.post(reverse("workbook:upload"), {"file": SimpleUploadedFile(name, data)})


def test_pages_need_login_and_a_staff_role(anon_client, outsider, client):
    assert anon_client.get(reverse("workbook:index")).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("workbook:index")).status_code == 403
    assert client.get(reverse("workbook:template")).status_code == 403


def test_index_page_queries_do_not_grow_with_clubs(staff_a_client, django_assert_max_num_queries):
    url = reverse("workbook:index")
    for n in range(3):
        ClubFactory(commune=commune(COMMUNE_IN_A))
    with django_assert_max_num_queries(12) as three:
        assert staff_a_client.get(url).status_code == 200
    for n in range(27):
        ClubFactory(commune=commune(COMMUNE_IN_A))
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = staff_a_client.get(url)
    assert "Tải mẫu trống" in response.content.decode()


def test_template_download_is_a_real_xlsx(staff_a_client):
    response = staff_a_client.get(reverse("workbook:template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert "Khoản vay" in book.sheetnames


def test_export_is_scoped_to_what_the_user_may_see(staff_a_client, club_a, club_b):
    book = load_workbook(io.BytesIO(staff_a_client.get(reverse("workbook:export")).content))
    assert [r[0] for r in book["CLB"].iter_rows(min_row=2, values_only=True)] == [club_a.code]
    assert staff_a_client.get(reverse("workbook:export"), {"area": club_b.commune.parent_id}).status_code == 404
    assert staff_a_client.get(reverse("workbook:export"), {"area": club_b.commune_id}).status_code == 404
    assert staff_a_client.get(reverse("workbook:export"), {"club": club_b.code}).status_code == 404
    assert staff_a_client.get(reverse("workbook:export"), {"area": "abc"}).status_code == 404
    one = staff_a_client.get(reverse("workbook:export"), {"club": club_a.code})
    assert one.status_code == 200


def test_upload_preview_confirm(officer_client, officer, media):
    response = upload(officer_client, xlsx(full_file()))
    record = Upload.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workbook:preview", args=[record.pk])
    assert (media / "imports" / f"{record.pk}.xlsx").exists()
    assert record.user == officer
    page = officer_client.get(response["Location"])
    assert [(s.name, s.create, s.update, s.unchanged) for s in page.context["result"].sheets][0] == ("CLB", 1, 0, 0)
    assert "Xác nhận nhập" in page.content.decode()
    assert not Club.objects.exists()
    done = officer_client.post(reverse("workbook:confirm", args=[record.pk]), follow=True)
    assert "Đã nhập" in done.content.decode()
    assert Member.objects.get().history.get().history_user == officer
    record.refresh_from_db()
    assert record.imported_at and record.summary["CLB"] == {"create": 1, "update": 0, "unchanged": 0}
    # A second confirmation does nothing.
    officer_client.post(reverse("workbook:confirm", args=[record.pk]))
    assert Member.objects.count() == 1


def test_confirm_validates_again(officer_client, club_a):
    response = upload(officer_client, xlsx({"Thành viên": [member_row(club=club_a.code, **{"Ngày tham gia": "01/04/2022"})]}))
    assert not officer_client.get(response["Location"]).context["result"].problems
    Club.objects.filter(pk=club_a.pk).update(founded_on=datetime.date(2023, 1, 1))
    record = Upload.objects.get()
    refused = officer_client.post(reverse("workbook:confirm", args=[record.pk]))
    assert refused.status_code == 400
    assert str(M.JOINED_BEFORE_FOUNDED % {"date": "01/01/2023"}) in refused.content.decode()
    assert not Member.objects.exists()


def test_errors_are_listed_and_downloadable_with_bad_cells_marked(officer_client):
    sheets = full_file(**{"Thành viên": [member_row(**{"Giới tính": "?", "Năm sinh": 58})]})
    page = officer_client.get(upload(officer_client, xlsx(sheets))["Location"])
    html = page.content.decode()
    assert "Chưa có gì được lưu" in html and "Xác nhận nhập" not in html
    assert str(M.BAD_YEAR % {"year": datetime.date.today().year}) in html
    record = Upload.objects.get()
    marked = officer_client.get(reverse("workbook:errors", args=[record.pk]))
    ws = load_workbook(io.BytesIO(marked.content))["Thành viên"]
    header = [c.value for c in ws[1]]
    gender, year = ws.cell(2, header.index("Giới tính") + 1), ws.cell(2, header.index("Năm sinh") + 1)
    assert gender.fill.start_color.rgb.endswith("FFC7CE") and year.fill.start_color.rgb.endswith("FFC7CE")
    assert ws.cell(2, header.index("Họ và tên") + 1).fill.fill_type is None
    # The first column says what is wrong with the row, one line per bad cell, in the order of the columns.
    assert header[0] == str(M.REASONS_HEADER)
    assert ws.cell(2, 1).value.splitlines() == [
        str(M.REASON_IN_COLUMN % {"column": "Giới tính", "reason": M.BAD_CHOICE % {"choices": "Nam, Nữ"}}),
        str(M.REASON_IN_COLUMN % {"column": "Năm sinh", "reason": M.BAD_YEAR % {"year": datetime.date.today().year}}),
    ]
    assert not any(c.comment for row in ws.iter_rows() for c in row)


def test_the_marked_copy_corrected_and_uploaded_again_is_saved(officer_client):
    sheets = full_file(**{"Thành viên": [member_row(**{"Giới tính": "?", "Năm sinh": 58})]})
    upload(officer_client, xlsx(sheets))
    marked = officer_client.get(reverse("workbook:errors", args=[Upload.objects.get().pk])).content
    book = load_workbook(io.BytesIO(marked))
    ws = book["Thành viên"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Giới tính") + 1).value = "Nữ"
    ws.cell(2, header.index("Năm sinh") + 1).value = 1958  # the reasons column is left as it was
    buffer = io.BytesIO()
    book.save(buffer)
    page = officer_client.get(upload(officer_client, buffer.getvalue())["Location"])
    assert not page.context["result"].problems
    assert officer_client.post(reverse("workbook:confirm", args=[page.context["upload"].pk])).status_code == 302
    member = Member.objects.get(code="TV001")
    assert (member.gender, member.birth_year) == (Member.Gender.FEMALE, 1958)


def test_a_marked_copy_marked_again_rewrites_its_reasons_column(officer_client):
    sheets = full_file(**{"Thành viên": [member_row(**{"Giới tính": "?", "Năm sinh": 58})]})
    upload(officer_client, xlsx(sheets))
    marked = officer_client.get(reverse("workbook:errors", args=[Upload.objects.get().pk])).content
    book = load_workbook(io.BytesIO(marked))
    ws = book["Thành viên"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Giới tính") + 1).value = "Nữ"  # one of the two mistakes corrected
    buffer = io.BytesIO()
    book.save(buffer)
    page = officer_client.get(upload(officer_client, buffer.getvalue())["Location"])
    again = officer_client.get(reverse("workbook:errors", args=[page.context["upload"].pk])).content
    ws = load_workbook(io.BytesIO(again))["Thành viên"]
    header = [c.value for c in ws[1]]
    assert header.count(str(M.REASONS_HEADER)) == 1 and header[1:] == [h for h in header[1:] if h]
    assert ws.cell(2, 1).value == str(
        M.REASON_IN_COLUMN % {"column": "Năm sinh", "reason": M.BAD_YEAR % {"year": datetime.date.today().year}})
    assert ws.cell(2, header.index("Năm sinh") + 1).fill.start_color.rgb.endswith("FFC7CE")
    assert ws.cell(2, header.index("Giới tính") + 1).fill.fill_type is None


def test_unsafe_uploads_are_refused_with_a_message(officer_client, settings):
    response = upload(officer_client, b"plain text, not a workbook", "clb.xlsx")
    assert response.status_code == 400
    assert "không phải là tệp Excel .xlsx hợp lệ" in response.content.decode()
    settings.WORKBOOK_MAX_UPLOAD_BYTES = 100
    response = upload(officer_client, xlsx(full_file()))
    assert "Tệp quá lớn" in response.content.decode()
    assert not Upload.objects.exists()


def test_only_the_uploader_sees_and_confirms_an_upload(officer_client, staff_a, client):
    upload(officer_client, xlsx(full_file()))
    record = Upload.objects.get()
    client.force_login(staff_a)
    for name in ("preview", "errors"):
        assert client.get(reverse(f"workbook:{name}", args=[record.pk])).status_code == 404
    assert client.post(reverse("workbook:confirm", args=[record.pk])).status_code == 404
    assert not Club.objects.exists()


def test_district_staff_see_out_of_area_rows_as_errors(staff_a_client):
    sheets = {"CLB": [club_row(**{"Mã xã": "03390"})]}
    html = staff_a_client.get(upload(staff_a_client, xlsx(sheets))["Location"]).content.decode()
    assert "không thuộc địa bàn bạn được phép nhập" in html


def test_a_file_damaged_inside_is_reported_not_crashed(officer_client):
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx(full_file()))) as source, zipfile.ZipFile(buffer, "w") as z:
        for info in source.infolist():
            body = source.read(info)
            z.writestr(info, body[: len(body) // 2] if info.filename == "xl/worksheets/sheet1.xml" else body)
    location = upload(officer_client, buffer.getvalue())["Location"]
    record = Upload.objects.get()
    for response in (officer_client.get(location, follow=True),
                     officer_client.post(reverse("workbook:confirm", args=[record.pk]), follow=True),
                     officer_client.get(reverse("workbook:errors", args=[record.pk]), follow=True)):
        assert "Không đọc được tệp Excel" in response.content.decode()
    assert not Club.objects.exists()


def test_export_queries_do_not_grow_with_clubs(staff_a_client, django_assert_max_num_queries):
    url = reverse("workbook:export")
    for n in range(3):
        add_members(ClubFactory(commune=commune(COMMUNE_IN_A)), women=2, men=1)
    with django_assert_max_num_queries(20) as three:
        assert staff_a_client.get(url).status_code == 200
    for n in range(27):
        add_members(ClubFactory(commune=commune(COMMUNE_IN_A)), women=2, men=1)
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = staff_a_client.get(url)
    assert len(list(load_workbook(io.BytesIO(response.content))["Thành viên"].iter_rows(min_row=2))) == 90


def _file_of(clubs, prefix):
    codes = [f"{prefix}{i:02d}" for i in range(clubs)]
    return xlsx({
        "CLB": [club_row(code) for code in codes],
        "Thành viên": [member_row(club=code) for code in codes],
        "Khoản vay": [loan_row(club=code) for code in codes],
        "Trả nợ": [repayment_row(club=code) for code in codes],
        "Quỹ": [entry_row(club=code) for code in codes],
        "Hoạt động": [activity_row(club=code) for code in codes],
    })


@pytest.mark.parametrize("commit", [False, True])
def test_import_queries_do_not_grow_with_clubs(commit, django_assert_max_num_queries):
    from workbook.importer import import_workbook
    small, large = _file_of(3, "CLB-A"), _file_of(30, "CLB-B")
    with django_assert_max_num_queries(60) as three:
        assert import_workbook(small, commit=commit).ok
    with django_assert_max_num_queries(len(three.captured_queries)):
        assert import_workbook(large, commit=commit).ok
    # Importing again reads the saved clubs, members, loans... once per table, not once per row.
    with django_assert_max_num_queries(60) as again_three:
        assert import_workbook(small, commit=commit).ok
    with django_assert_max_num_queries(len(again_three.captured_queries)):
        assert import_workbook(large, commit=commit).ok
