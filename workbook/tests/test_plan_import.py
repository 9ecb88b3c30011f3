"""Plans from Excel: an officer enters a plan and its targets from a `Chỉ tiêu` sheet, all or nothing,
with every refused cell named; the export of a plan imports back to the same targets."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.demo import seed_plan
from reporting.models import Plan, Target
from reporting.plan_rules import (
    AREA_OUTSIDE, CUMULATIVE_NOT_ALLOWED, DUPLICATE_TARGET, PERCENT_TOO_HIGH, TARGET_TOO_BIG, TARGET_YEAR_OUTSIDE,
    TRACK_NOT_ALLOWED, TRACK_REQUIRED, UNKNOWN_INDICATOR,
)
from workbook import messages as M

from .helpers import xlsx

pytestmark = pytest.mark.django_db

HEADER = {"name": "Kế hoạch thử 2026–2030", "legal_reference": "Quyết định 12/QĐ-UBND", "issued_by": "UBND tỉnh",
          "issued_on": "", "start_year": "2026", "end_year": "2030"}


def row(indicator="clubs_active", **kw):
    r = {"Mã chỉ tiêu": indicator, "Nguồn thành lập": "", "Năm": 2030, "Cách tính": "hằng năm",
         "Đơn vị": "số lượng", "Mã địa bàn": "12", "Giá trị": 80}
    r.update(kw)
    return r


GOOD = [
    row(),
    row("clubs_active", **{"Mã địa bàn": "105 - Thành phố Lai Châu", "Giá trị": 12}),
    row("clubs_active_by_track", **{"Nguồn thành lập": "Mới - ngân sách", "Giá trị": "1.200"}),
    row("clubs_founded", **{"Năm": None, "Cách tính": "cộng dồn", "Giá trị": None}),
    row("older_women_pct", **{"Năm": None, "Đơn vị": "%", "Giá trị": 50}),
    row("members_joined", **{"Năm": 2027, "Mã địa bàn": 3388, "Giá trị": 40}),
]


def _file(rows, name="Chỉ tiêu"):
    f = io.BytesIO(xlsx({name: rows}))
    f.name = "ke-hoach.xlsx"
    return f


def _post_new(client, rows, **header):
    province = Plan._meta.get_field("area").related_model.objects.get(level="province")
    data = {**HEADER, "area": province.pk, **header, "file": _file(rows)}
    return client.post(reverse("workbook:plan_import_new"), data)


def _targets(plan):
    return {(t.area.code, t.indicator, t.year, t.track): (t.value, t.unit, t.kind)
            for t in Target.objects.filter(plan=plan).select_related("area")}


def test_the_template_has_the_sheet_its_drop_downs_and_the_catalogue(officer_client):
    r = officer_client.get(reverse("workbook:plan_template"))
    assert r.status_code == 200 and "mau-ke-hoach.xlsx" in r["Content-Disposition"]
    book = load_workbook(io.BytesIO(r.content))
    ws = book["Chỉ tiêu"]
    assert [c.value for c in ws[1]] == ["Mã chỉ tiêu *", "Nguồn thành lập", "Năm", "Cách tính", "Đơn vị *",
                                        "Mã địa bàn", "Giá trị"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert set(lists) == {"A2", "B2", "D2", "E2", "F2"}
    catalogue = book["Danh mục"]

    def values(formula):
        column = formula.split("!")[1].split(":")[0].strip("$").rstrip("0123456789").strip("$")
        return [c.value for c in catalogue[column][1:] if c.value is not None]

    assert "clubs_active" in values(lists["A2"]) and "older_women_pct" in values(lists["A2"])
    assert values(lists["B2"]) == ["Duy trì 2017-2020", "Mới - ngân sách", "Mới - luân chuyển vốn", "Khác"]
    assert values(lists["D2"]) == ["hằng năm", "cộng dồn"]
    assert values(lists["E2"]) == ["số lượng", "%"]
    assert "12 - Tỉnh Lai Châu" in values(lists["F2"]) and "105 - Thành phố Lai Châu" in values(lists["F2"])
    # The catalogue says what each key means, in Vietnamese.
    labels = {r[0].value: r[1].value for r in catalogue.iter_rows(min_row=2) if r[0].value}
    assert labels["clubs_active"] == "CLB đang hoạt động"


def test_a_good_file_creates_the_plan_and_its_targets(officer_client):
    r = _post_new(officer_client, GOOD)
    assert r.status_code == 302, r.content.decode()[:3000]
    plan = Plan.objects.get(name=HEADER["name"])
    assert r["Location"] == reverse("reporting:plan_edit", args=[plan.pk])
    assert (plan.start_year, plan.end_year, plan.area.code, plan.issued_by) == (2026, 2030, "12", "UBND tỉnh")
    assert _targets(plan) == {
        ("12", "clubs_active", 2030, ""): (80, "count", "annual"),
        ("105", "clubs_active", 2030, ""): (12, "count", "annual"),
        ("12", "clubs_active_by_track", 2030, "new_budget"): (1200, "count", "annual"),
        ("12", "clubs_founded", None, ""): (None, "count", "cumulative"),
        ("12", "older_women_pct", None, ""): (50, "percent", "annual"),
        ("03388", "members_joined", 2027, ""): (40, "count", "annual"),
    }
    # Who imported it is in the history.
    assert plan.history.first().history_user.username == "officer"
    assert Target.history.filter(history_user__username="officer").count() == 6
    page = officer_client.get(r["Location"]).content.decode()
    assert "6 thêm mới" in page


def test_a_bad_file_saves_nothing_and_names_every_bad_cell(officer_client):
    rows = [
        row(),
        row("clubs_actives"),                                               # 3: unknown key
        row("women_pct", **{"Nguồn thành lập": "Mới - ngân sách", "Đơn vị": "%", "Giá trị": 60}),  # 4: track
        row(**{"Năm": 2031}),                                               # 5: year outside
        row("clubs_active_by_track", **{"Cách tính": "cộng dồn"}),          # 6: no track, not cumulative
        row("clubs_composition_ok", **{"Đơn vị": "%", "Giá trị": 120}),     # 7: percent > 100
        row(**{"Mã địa bàn": "999", "Năm": 2029}),                          # 8: unknown area
        row(**{"Giá trị": -3, "Năm": 2028}),                                # 9: negative
        row(**{"Giá trị": "mười", "Năm": 2027}),                            # 10: not a number
        row(),                                                              # 11: same as row 2
        row(**{"Giá trị": 2_000_000_000, "Năm": 2026}),                     # 12: beyond the ceiling
        row(**{"Đơn vị": "cái", "Năm": 2026, "Nguồn thành lập": "Khác"}),   # 13: unit, track
    ]
    r = _post_new(officer_client, rows)
    assert r.status_code == 400
    html = r.content.decode()
    assert not Plan.objects.filter(name=HEADER["name"]).exists() and not Target.objects.exists()
    assert "Chưa có gì được lưu" in html

    def said(line, column, message):
        assert f"Dòng {line}, cột {column}" in html and str(message) in html, (line, column, message)

    said(3, "Mã chỉ tiêu", UNKNOWN_INDICATOR % {"code": "clubs_actives"})
    said(4, "Nguồn thành lập", TRACK_NOT_ALLOWED)
    said(5, "Năm", TARGET_YEAR_OUTSIDE % {"start": 2026, "end": 2030})
    said(6, "Nguồn thành lập", TRACK_REQUIRED)
    said(6, "Cách tính", CUMULATIVE_NOT_ALLOWED)
    said(7, "Giá trị", PERCENT_TOO_HIGH)
    said(8, "Mã địa bàn", AREA_OUTSIDE)
    said(9, "Giá trị", M.BAD_INT)
    said(10, "Giá trị", M.BAD_INT)
    said(11, "Mã chỉ tiêu", DUPLICATE_TARGET % {"row": 2})
    said(12, "Giá trị", TARGET_TOO_BIG % {"max": "1.000.000.000"})
    said(13, "Đơn vị", "Giá trị không có trong danh sách")
    assert "(“mười”)" in html and "(“999”)" in html  # what was typed is shown
    assert html.count("<li>Dòng ") == 13
    # The header typed stays in the form.
    assert 'value="Kế hoạch thử 2026–2030"' in html


def test_an_area_outside_a_district_plan_gets_the_same_answer_as_an_unknown_code(officer_client):
    district = Plan._meta.get_field("area").related_model.objects.get(level="district", code="105")
    rows = [row(**{"Mã địa bàn": "03390"}), row(**{"Mã địa bàn": "12", "Năm": 2029}),
            row(**{"Mã địa bàn": "03388", "Năm": 2028})]
    r = _post_new(officer_client, rows, area=district.pk)
    html = r.content.decode()
    assert r.status_code == 400 and html.count(str(AREA_OUTSIDE)) == 2
    assert "Dòng 2, cột Mã địa bàn" in html and "Dòng 3, cột Mã địa bàn" in html and "Dòng 4," not in html
    assert not Plan.objects.filter(name=HEADER["name"]).exists()


def test_a_file_without_the_sheet_or_a_required_column_is_refused(officer_client):
    province = Plan._meta.get_field("area").related_model.objects.get(level="province")
    f = _file([row()], name="Sheet1")
    r = officer_client.post(reverse("workbook:plan_import_new"), {**HEADER, "area": province.pk, "file": f})
    assert r.status_code == 400 and "không có sheet “Chỉ tiêu”" in r.content.decode()
    r = _post_new(officer_client, [{k: v for k, v in row().items() if k != "Đơn vị"}])
    assert r.status_code == 400 and "Dòng 1, cột Đơn vị" in r.content.decode()
    assert str(M.MISSING_COLUMN) in r.content.decode()
    assert not Plan.objects.filter(name=HEADER["name"]).exists()


def test_export_then_import_into_a_new_plan_gives_the_same_targets_and_twice_changes_nothing(officer_client):
    plan = seed_plan()
    Target.objects.create(plan=plan, area=plan.area.children.get(code="105"), indicator="clubs_active",
                          year=2025, value=20)
    r = officer_client.get(reverse("workbook:plan_export", args=[plan.pk]))
    assert r.status_code == 200
    exported = r.content

    def upload(url, data=None):
        f = io.BytesIO(exported)
        f.name = "ke-hoach.xlsx"
        return officer_client.post(url, {**(data or {}), "file": f})

    new = upload(reverse("workbook:plan_import_new"),
                 {**HEADER, "name": "Bản sao", "start_year": plan.start_year, "end_year": plan.end_year,
                  "area": plan.area.pk})
    assert new.status_code == 302, new.content.decode()[:3000]
    copy = Plan.objects.get(name="Bản sao")
    assert _targets(copy) == _targets(plan) and len(_targets(plan)) == 18
    # Importing the same file into the copy again changes nothing, not even its history.
    history = Target.history.count()
    again = upload(reverse("workbook:plan_import", args=[copy.pk]))
    assert again.status_code == 302
    assert _targets(copy) == _targets(plan) and Target.history.count() == history
    assert "0 thêm mới, 0 cập nhật, 18 không đổi" in officer_client.get(again["Location"]).content.decode()


def test_an_existing_plans_targets_are_updated_and_the_others_stay(officer_client):
    plan = seed_plan()
    url = reverse("workbook:plan_import", args=[plan.pk])
    page = officer_client.get(url).content.decode()
    assert "không có trong tệp được giữ nguyên" in page
    f = _file([row(**{"Năm": 2025, "Giá trị": 75}), row("clubs_standard", **{"Năm": 2024, "Giá trị": 9})])
    assert officer_client.post(url, {"file": f}).status_code == 302
    t = _targets(plan)
    assert t[("12", "clubs_active", 2025, "")] == (75, "count", "annual")
    assert t[("12", "clubs_standard", 2024, "")] == (9, "count", "annual")
    assert t[("12", "members_by_track", 2025, "new_budget")] == (1400, "count", "annual")  # not in the file: kept
    # A year outside this plan's years is refused against the plan's own period.
    f = _file([row(**{"Năm": 2030})])
    r = officer_client.post(url, {"file": f})
    assert r.status_code == 400 and str(TARGET_YEAR_OUTSIDE % {"start": 2021, "end": 2025}) in r.content.decode()


NEW_URLS = ("workbook:plan_template", "workbook:plan_import_new")
PLAN_URLS = ("workbook:plan_import", "workbook:plan_export")


def test_district_staff_get_404_on_every_plan_import_url(staff_a_client, client):
    plan = seed_plan()
    urls = [reverse(n) for n in NEW_URLS] + [reverse(n, args=[plan.pk]) for n in PLAN_URLS]
    for url in urls:
        assert staff_a_client.get(url).status_code == 404, url
    for url in (reverse("workbook:plan_import_new"), reverse("workbook:plan_import", args=[plan.pk])):
        assert staff_a_client.post(url, {**HEADER, "file": _file([row(**{"Năm": 2025})])}).status_code == 404
    assert Target.objects.filter(plan=plan).count() == 17 and Plan.objects.count() == 2
    # The plan list does not offer the import to them.
    assert "plan-import-new" not in staff_a_client.get(reverse("reporting:plans")).content.decode()
    client.logout()
    assert client.get(urls[0]).status_code in (302, 403)


def test_the_pages_take_a_fixed_number_of_queries(officer_client, django_assert_num_queries):
    plan = seed_plan()
    # Measured once; the areas and the plan's targets are each read in one query, whatever their number.
    pages = {reverse("workbook:plan_import_new"): 4, reverse("workbook:plan_import", args=[plan.pk]): 3,
             reverse("workbook:plan_template"): 3, reverse("workbook:plan_export", args=[plan.pk]): 5}
    for url, queries in pages.items():
        with django_assert_num_queries(queries):
            assert officer_client.get(url).status_code == 200
    # More targets do not mean more queries for the export.
    Target.objects.create(plan=plan, area=plan.area.children.get(code="105"), indicator="clubs_active", year=2025)
    with django_assert_num_queries(5):
        officer_client.get(reverse("workbook:plan_export", args=[plan.pk]))


def test_an_english_session_reads_the_page_in_english_and_the_file_stays_vietnamese(officer_client):
    from clubs.tests.i18n import switch, text
    switch(officer_client, "en")
    assert "Import a plan from Excel" in text(officer_client.get(reverse("reporting:plans")))
    r = _post_new(officer_client, [row(**{"Năm": 2031})])
    page = " ".join(r.content.decode().split())
    assert r.status_code == 400
    assert "Row 2, column Năm" in page and "must fall within the plan period 2026–2030" in page
    assert "Nothing has been saved" in page and "Chưa có gì được lưu" not in page
    book = load_workbook(io.BytesIO(officer_client.get(reverse("workbook:plan_template")).content))
    labels = {r[0].value: r[1].value for r in book["Danh mục"].iter_rows(min_row=2) if r[0].value}
    assert labels["clubs_active"] == "CLB đang hoạt động"


def test_the_plan_page_and_the_file_refuse_the_same_row_in_the_same_words(officer_client):
    """One rule (reporting/plan_rules.py): a row the file refuses is refused on the plan page too."""
    from reporting.tests.test_plans import _plan_post
    bad = {"targets-0-indicator": "clubs_active", "targets-0-kind": "cumulative", "targets-0-value": "2000000000"}
    page = officer_client.post(reverse("reporting:plan_new"), _plan_post(**bad)).content.decode()
    from_file = _post_new(officer_client, [row(**{"Cách tính": "cộng dồn", "Giá trị": 2_000_000_000})]).content.decode()
    for message in (CUMULATIVE_NOT_ALLOWED, TARGET_TOO_BIG % {"max": "1.000.000.000"}):
        assert str(message) in page and str(message) in from_file
    assert not Plan.objects.exists()


def test_past_500_errors_the_page_lists_the_first_500_and_counts_them_all(officer_client):
    rows = [row(**{"Năm": 2031, "Mã địa bàn": f"{i:05d}"}) for i in range(60000, 60300)]  # two errors each
    html = _post_new(officer_client, rows).content.decode()
    assert "Tệp có 600 lỗi" in html and html.count("<li>Dòng ") == 500
    assert "Chỉ liệt kê 500 lỗi đầu tiên." in html and "Dòng 251, cột Năm" in html and "Dòng 252," not in html
