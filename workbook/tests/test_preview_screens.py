"""What a person sees after uploading: counts per sheet, the first rows, the rest page by page, sorted
errors, the blank template, failed uploads on the list (issue 12)."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from workbook.importer import PREVIEW_FIRST, SHEET_PAGE
from jobs.models import Job
from workbook.models import Upload
from workbook.xlsx import communes_for, template_workbook, to_bytes

from .helpers import club_row, full_file, loan_row, member_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def preview_of(client, data):
    response = client.post(reverse("workbook:upload"), {"file": SimpleUploadedFile("clb.xlsx", data)})
    return client.get(response["Location"]).content.decode(), Upload.objects.latest("uploaded_at")


def members(n):
    return [member_row(code=f"TV{i:04d}", **{"Họ và tên": f"Lò Thị Số {i}"}) for i in range(n)]


def test_a_large_file_shows_counts_and_the_first_rows_with_the_rest_page_by_page(officer_client):
    html, record = preview_of(officer_client, xlsx(full_file(**{"Thành viên": members(SHEET_PAGE + 30)})))
    summary = html.split('data-sheet="members"')[1].split("</tr>")[0]
    assert re.findall(r">(\d+)<", summary) == [str(SHEET_PAGE + 30), "0", "0", "0"]  # new, changed, same, errors
    table = html.split('id="rows-members"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + PREVIEW_FIRST
    assert "Xem thêm" in html
    url = reverse("workbook:sheet", args=[record.pk, "members"])
    first = officer_client.get(url).content.decode()
    assert first.split('id="rows-members"')[1].split("</table>")[0].count("<tr>") == 1 + SHEET_PAGE
    last = officer_client.get(url + "?page=2").content.decode()
    rows = last.split('id="rows-members"')[1].split("</table>")[0]
    assert rows.count("<tr>") == 1 + 30
    assert f"TV{SHEET_PAGE + 29:04d}" in rows and "TV0000" not in rows
    assert "Trang 2/2" in last
    assert officer_client.get(reverse("workbook:sheet", args=[record.pk, "nothing"])).status_code == 404


def test_the_sheet_pages_are_the_uploaders_only(officer_client, staff_a):
    _html, record = preview_of(officer_client, xlsx(full_file()))
    officer_client.force_login(staff_a)
    assert officer_client.get(reverse("workbook:sheet", args=[record.pk, "members"])).status_code == 404


def test_the_blank_template_says_the_file_has_no_data_and_offers_no_import(staff_a_client, staff_a):
    html, _record = preview_of(staff_a_client, to_bytes(template_workbook(communes=communes_for(staff_a))))
    assert "Tệp không có dữ liệu" in html
    assert "Tệp hợp lệ" not in html
    assert 'id="confirm-import"' not in html


def test_errors_are_listed_by_sheet_in_the_format_order_then_by_row(officer_client):
    sheets = full_file(**{
        "CLB": [club_row(), club_row(code="CLB-X2", **{"Ngày thành lập": "hôm qua"})],
        "Thành viên": [member_row(code="TV002", **{"Năm sinh": 58}), member_row(code="TV001", **{"Giới tính": "?"})],
        "Khoản vay": [loan_row(**{"Số tiền": "nhiều"})],
    })
    # The sheets of the file come in another order than the format's.
    data = xlsx({name: sheets[name] for name in ("Khoản vay", "Thành viên", "CLB", "Trả nợ", "Quỹ", "Hoạt động")})
    html, _record = preview_of(officer_client, data)
    table = html.split('id="import-errors"')[1].split("</table>")[0]
    cells = [re.findall(r"<td>(.*?)</td>", row)[:2] for row in table.split("<tr>")[2:]]
    assert cells == [["CLB", "3"], ["Thành viên", "2"], ["Thành viên", "3"], ["Khoản vay", "2"]]
    assert "Trang tính" in table and ">Sheet<" not in html


def test_a_refused_upload_is_listed_as_invalid_with_its_count_of_errors(officer_client):
    preview_of(officer_client, xlsx(full_file(**{"Thành viên": [member_row(**{"Năm sinh": 58, "Giới tính": "?"})]})))
    index = officer_client.get(reverse("workbook:index")).content.decode()
    listed = index.split("Tệp bạn đã tải lên")[1]
    assert "Không hợp lệ: 2 lỗi" in listed
    assert "Chưa nhập" not in listed


def test_an_unreadable_upload_is_listed_as_invalid(officer_client):
    officer_client.post(reverse("workbook:upload"), {"file": SimpleUploadedFile("x.xlsx", xlsx(full_file()))})
    record = Upload.objects.get()
    record.file.save(f"{record.pk}-broken.xlsx", SimpleUploadedFile("b.xlsx", b"PK\x03\x04 broken"), save=True)
    # As for a file uploaded before checks ran as tasks: the preview checks it (the file changed since).
    Job.objects.filter(subject=str(record.pk)).delete()
    officer_client.get(reverse("workbook:preview", args=[record.pk]))
    index = officer_client.get(reverse("workbook:index")).content.decode()
    assert "Không hợp lệ: không đọc được tệp" in index.split("Tệp bạn đã tải lên")[1]
