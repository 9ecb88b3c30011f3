import datetime

import pytest
from openpyxl import load_workbook

from clubs.models import Club, Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_download_template_fill_it_upload_preview_and_confirm(page, login, staff_a, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    login(page, staff_a)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Nhập/xuất Excel").click()
    with page.expect_download() as download:
        page.click("#download-template")
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)

    book = load_workbook(template)
    communes = [c.value for c in book["Danh mục"]["A"][1:] if c.value]
    book["CLB"].append(["CLB-W1", "CLB Bản Mới", communes[0], "Bản Mới", datetime.date(2024, 2, 1), "Mới - ngân sách",
                        None, "05/02/2024", None])
    book["Thành viên"].append(["CLB-W1", "TV01", "Lò Thị Mai", "Nữ", 1958, None, "Thái", "Hộ nghèo",
                               datetime.date(2024, 2, 1), None])
    book["Thành viên"].append(["CLB-W1", "TV02", "Lò Văn Pọm", "Nam", "1990", "14/07/1990", "Thái", None, "01/03/2024", None])
    filled = tmp_path / "da-dien.xlsx"
    book.save(filled)

    page.set_input_files("input[name=file]", str(filled))
    page.click("#upload-form button[type=submit]")
    summary = page.locator("#import-summary")
    assert "CLB" in summary.inner_text()
    assert page.locator("tr[data-sheet=members] td").nth(1).inner_text() == "2"
    assert "Lò Văn Pọm" in page.locator("#rows-members").inner_text()
    assert not Club.objects.exists()

    page.click("#confirm-import")
    page.locator("#import-done").wait_for()
    assert Club.objects.get().code == "CLB-W1"
    assert Member.objects.count() == 2
    assert Member.objects.get(code="TV02").history.get().history_user == staff_a
