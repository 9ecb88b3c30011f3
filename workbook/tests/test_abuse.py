"""Hostile uploads: cell references past what the sheet declares or Excel allows, and files with
thousands of bad rows (the page lists the first ones, the marked copy is written row by row)."""
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from workbook import messages as M
from workbook.importer import PREVIEW_ERRORS, import_workbook
from workbook.reader import BEYOND_DIMENSION, BEYOND_EXCEL, UNREADABLE, UnsafeWorkbook
from workbook.xlsx import ERROR_FILL

from .helpers import full_file, member_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _members_sheet_path(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("xl/workbook.xml").decode()
        assert "Thành viên" in rels
        # helpers.xlsx writes the sheets in the order given: the members sheet is the second.
        return "xl/worksheets/sheet2.xml"


def _rewrite(data, path, change):
    """A copy of the .xlsx with one part's XML passed through change(text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == path:
                body = change(body.decode()).encode()
            z.writestr(info, body)
    return out.getvalue()


def _declare(text, dimension):
    """The sheet XML with a <dimension> (openpyxl's normal mode writes none), where the schema puts it."""
    text = re.sub(r"<dimension[^>]*/>", "", text)
    return text.replace("<sheetViews>", f'<dimension ref="{dimension}"/><sheetViews>', 1)


def _with_cell(ref, *, dimension=None):
    """The valid file of the helpers with one extra text cell at ref on the members sheet."""
    data = xlsx(full_file())
    path = _members_sheet_path(data)

    def change(text):
        row = re.match(r"[A-Z]+(\d+)", ref).group(1)
        cell = f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'
        text = text.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>')
        return _declare(text, dimension) if dimension else text

    return _rewrite(data, path, change)


@pytest.mark.parametrize("ref", ["AAAAAAA9", "XFE9", "A1048577"])
def test_a_cell_beyond_excel_limits_is_refused_at_once(ref):
    data = _with_cell(ref, dimension="A1:J2")
    assert len(data) < 10_000
    with pytest.raises(UnsafeWorkbook) as caught:
        import_workbook(data, commit=False)
    assert str(caught.value) in {str(BEYOND_EXCEL % {"sheet": "Thành viên"}),
                                 str(BEYOND_DIMENSION % {"sheet": "Thành viên", "row": 9, "column": "XFE",
                                                         "dimension": "A1:J2"})}
    assert "16.384 cột" in str(caught.value) or "tự khai báo" in str(caught.value)


def test_a_cell_beyond_excel_limits_is_refused_even_without_a_declared_dimension():
    data = _with_cell("XFE9")
    with pytest.raises(UnsafeWorkbook, match="16.384 cột"):
        import_workbook(data, commit=False)


def test_a_declared_dimension_beyond_excel_is_refused():
    data = _rewrite(xlsx(full_file()), "xl/worksheets/sheet2.xml",
                    lambda t: _declare(t, "A1:XFE2"))
    with pytest.raises(UnsafeWorkbook, match="16.384 cột"):
        import_workbook(data, commit=False)


def test_a_cell_beyond_the_declared_dimension_is_refused_not_dropped():
    data = _with_cell("C9", dimension="A1:J2")
    with pytest.raises(UnsafeWorkbook) as caught:
        import_workbook(data, commit=False)
    assert str(caught.value) == str(BEYOND_DIMENSION % {"sheet": "Thành viên", "row": 9, "column": "C",
                                                       "dimension": "A1:J2"})


def test_the_same_cell_inside_the_declared_dimension_is_read():
    data = _with_cell("C3", dimension="A1:J3")
    result = import_workbook(data, commit=False)
    assert {(p.row, p.column) for p in result.problems if p.sheet == "Thành viên"} >= {(3, "Mã CLB"), (3, "Mã thành viên")}


LAUGHS = ('<!DOCTYPE worksheet [<!ENTITY a "hahahahahahahahahaha">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")
PLAIN = '<!DOCTYPE worksheet [<!ENTITY i "Lò Thị Xuân">]>'


def _with_doctype(doctype, before_root=""):
    """The valid file with a DTD in the members sheet and its entity &i; in a cell."""
    data = xlsx(full_file())

    def change(text):
        assert text.startswith("<worksheet")  # openpyxl writes no XML declaration
        text = text.replace("</sheetData>", '<row r="9"><c r="A9" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData>', 1)
        return '<?xml version="1.0" encoding="UTF-8"?>' + before_root + doctype + text

    return _rewrite(data, _members_sheet_path(data), change)


@pytest.mark.parametrize("doctype", [LAUGHS, PLAIN], ids=["billion-laughs", "harmless"])
@pytest.mark.parametrize("before_root", ["", "<!-- <worksheet> -->", "<?pi <worksheet> ?>"])
def test_a_sheet_with_a_document_type_declaration_is_refused(doctype, before_root):
    # LAUGHS is nine levels of ten, 10^8 copies of its text if it were expanded. The rows are read with
    # the standard library's parser, not defusedxml's: entities are refused all the same, even behind
    # a comment or an instruction that looks like the root, and the harmless one is not read either.
    with pytest.raises(UnsafeWorkbook) as caught:
        import_workbook(_with_doctype(doctype, before_root), commit=False)
    assert str(caught.value).startswith(str(UNREADABLE % {"reason": ""}))


def test_the_upload_page_answers_the_huge_reference_with_the_message(officer_client):
    data = _with_cell("AAAAAAA2", dimension="A1:J2")
    response = officer_client.post(reverse("workbook:upload"), {"file": SimpleUploadedFile("x.xlsx", data)})
    page = officer_client.get(response["Location"], follow=True)
    assert str(BEYOND_EXCEL % {"sheet": "Thành viên"}) in page.content.decode()


def test_many_bad_rows_list_the_first_errors_and_count_the_rest(officer_client):
    bad = [member_row(code=f"TV{i:04d}", **{"Năm sinh": 58}) for i in range(PREVIEW_ERRORS + 150)]
    data = xlsx(full_file(**{"Thành viên": bad}))
    response = officer_client.post(reverse("workbook:upload"), {"file": SimpleUploadedFile("x.xlsx", data)})
    html = officer_client.get(response["Location"]).content.decode()
    table = html.split('id="import-errors"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + PREVIEW_ERRORS  # the header and the first 500
    assert f"Tệp có {PREVIEW_ERRORS + 151} lỗi" in html  # and the loan of the file names a member now refused
    more = html.split('id="more-errors"')[1].split("</table>")[0]
    assert re.search(r"<td>Thành viên</td><td>Năm sinh</td><td[^>]*>150</td>", more)
    assert re.search(r"<td>Khoản vay</td><td>Mã thành viên</td><td[^>]*>1</td>", more)
    # The marked copy still marks every bad cell, the last one included.
    record_url = re.search(r'id="download-errors" href="([^"]+)"', html).group(1)
    ws = load_workbook(io.BytesIO(officer_client.get(record_url).content))["Thành viên"]
    header = [c.value for c in ws[1]]
    last = ws.cell(PREVIEW_ERRORS + 151, header.index("Năm sinh") + 1)
    assert last.fill.start_color.rgb == ERROR_FILL.start_color.rgb
    assert str(M.BAD_YEAR).split("%")[0] in ws.cell(PREVIEW_ERRORS + 151, 1).value
    assert ws.cell(PREVIEW_ERRORS + 151, header.index("Mã CLB") + 1).value == "CLB-X1"


def test_the_marked_copy_keeps_formula_like_text_as_text(officer_client):
    book = load_workbook(io.BytesIO(xlsx(full_file(**{"Thành viên": [member_row(**{"Năm sinh": 58})]}))))
    name = book["Thành viên"]["C2"]
    name.value, name.data_type = '=HYPERLINK("http://x","Bấm vào")', "s"  # typed text, as Excel keeps it
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    response = officer_client.post(reverse("workbook:upload"), {"file": SimpleUploadedFile("x.xlsx", data)})
    html = officer_client.get(response["Location"]).content.decode()
    record_url = re.search(r'id="download-errors" href="([^"]+)"', html).group(1)
    ws = load_workbook(io.BytesIO(officer_client.get(record_url).content))["Thành viên"]
    header = [c.value for c in ws[1]]
    name = ws.cell(2, header.index("Họ và tên") + 1)
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")
