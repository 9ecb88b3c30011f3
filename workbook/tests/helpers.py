"""Build real .xlsx files for the tests, sheet by sheet, with the headers users type."""
import datetime
import io

from openpyxl import Workbook, load_workbook

from clubs.tests.factories import COMMUNE_IN_A

FOUNDED = datetime.date(2023, 3, 1)


def xlsx(sheets):
    """sheets: {sheet name: [ {header: value}, ... ]} (headers of the first row define the columns)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        headers = []
        for row in rows:
            for h in row:
                if h not in headers:
                    headers.append(h)
        ws.append(headers)
        for row in rows:
            ws.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def club_row(code="CLB-X1", **kw):
    row = {"Mã CLB": code, "Tên CLB": f"CLB {code}", "Mã xã": COMMUNE_IN_A, "Thôn/bản": "Bản Mới",
           "Ngày thành lập": "01/03/2023", "Nguồn thành lập": "Mới - ngân sách", "Mã CLB luân chuyển vốn": "",
           "Ngày ban hành quy chế": "15/03/2023", "Ngày giải thể": None}
    row.update(kw)
    # A dissolution always has a reason (clubs.rules); tests of that rule pass "Lý do giải thể" themselves.
    row.setdefault("Lý do giải thể", "Không còn hoạt động" if row["Ngày giải thể"] else "")
    return row


def member_row(club="CLB-X1", code="TV001", **kw):
    row = {"Mã CLB": club, "Mã thành viên": code, "Họ và tên": "Lò Thị Mai", "Giới tính": "Nữ", "Năm sinh": 1958,
           "Ngày sinh": None, "Dân tộc": "Thái", "Hoàn cảnh": "", "Ngày tham gia": "01/03/2023", "Ngày rời CLB": None}
    row.update(kw)
    return row


def loan_row(club="CLB-X1", code="KV001", member="TV001", **kw):
    row = {"Mã khoản vay": code, "Mã CLB": club, "Mã thành viên": member, "Ngày giải ngân": "01/04/2023",
           "Số tiền": "5.000.000", "Ngày đến hạn": "01/04/2024", "Mục đích": "Chăn nuôi"}
    row.update(kw)
    return row


def repayment_row(club="CLB-X1", loan="KV001", **kw):
    row = {"Mã CLB": club, "Mã khoản vay": loan, "Ngày trả": "01/10/2023", "Tiền gốc": 1_000_000, "Tiền lãi/phí": 50_000}
    row.update(kw)
    return row


def entry_row(club="CLB-X1", voucher="PT001", **kw):
    row = {"Mã CLB": club, "Số phiếu": voucher, "Quỹ": "Tăng thu nhập", "Ngày": "20/03/2023", "Loại": "Thu",
           "Nguồn": "Ngân sách tỉnh", "Số tiền": "30.000.000", "Diễn giải": "Hỗ trợ vốn"}
    row.update(kw)
    return row


def activity_row(club="CLB-X1", **kw):
    row = {"Mã CLB": club, "Ngày": "10/05/2023", "Mảng hoạt động": 2, "Nội dung": "Đo huyết áp", "Số người tham gia": 35}
    row.update(kw)
    return row


def full_file(**overrides):
    """One valid club with a member, a loan, a repayment, a fund entry and an activity."""
    sheets = {
        "CLB": [club_row()],
        "Thành viên": [member_row()],
        "Khoản vay": [loan_row()],
        "Trả nợ": [repayment_row()],
        "Quỹ": [entry_row()],
        "Hoạt động": [activity_row()],
    }
    sheets.update(overrides)
    return sheets


def read(data):
    return load_workbook(io.BytesIO(data))
