"""Preparing, generating and downloading the annual report through the pages: who may do what."""
import datetime
import io
import subprocess

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from clubs.models import Area
from clubs.tests.factories import ClubFactory, add_members, commune
from reporting import annual, report_files
from reporting.models import AnnualReport, ReportVersion
from reporting.tests.test_report import build_world, make_report

pytestmark = pytest.mark.django_db

DRAFT = {
    "year": "2025",
    "number_symbol": "15/BC-HNCT",
    "parent_body": "",
    "issuing_body": "HỘI NGƯỜI CAO TUỔI\nTỈNH LAI CHÂU",
    "place": "Lai Châu",
    "issued_on": "05/01/2026",
    "addressee": "Ủy ban nhân dân tỉnh Lai Châu",
    "signer_authority": "TM. BAN THƯỜNG VỤ",
    "signer_title": "CHỦ TỊCH",
    "signer_name": "Lò Văn Xuân",
    "recipients": "Như trên;\nSở Y tế;",
    "assessment": "Các CLB sinh hoạt đều đặn.",
    "shortcomings": "",
    "directions": "",
    "proposals": "",
}


@pytest.fixture(autouse=True)
def private_reports(settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.REPORTS_ROOT


@pytest.fixture
def world(db):
    return build_world()


def area(level, code=None):
    if level == "province":
        return Area.objects.get(level=Area.Level.PROVINCE)
    return Area.objects.get(level=Area.Level.DISTRICT, code=code)


@pytest.fixture
def report_a(world, staff_a):
    return make_report(area("district", "105"), staff_a)


@pytest.fixture
def report_province(world, officer):
    return make_report(world, officer)


def urls_of(report, number=1):
    return [
        reverse("reporting:report_detail", args=[report.pk]),
        reverse("reporting:report_edit", args=[report.pk]),
        reverse("reporting:report_preview", args=[report.pk]),
        reverse("reporting:report_download", args=[report.pk, number, "pdf"]),
        reverse("reporting:report_download", args=[report.pk, number, "xlsx"]),
    ]


# ------------------------------------------------------------------ access


def test_anonymous_is_sent_to_login(anon_client, report_province):
    for url in [reverse("reporting:reports"), reverse("reporting:report_new"), *urls_of(report_province)]:
        response = anon_client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_account_without_role_gets_403_everywhere(client, outsider, report_province):
    client.force_login(outsider)
    for url in [reverse("reporting:reports"), reverse("reporting:report_new"), *urls_of(report_province)]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("reporting:report_generate", args=[report_province.pk])).status_code == 403
    assert client.post(reverse("reporting:report_new"), {**DRAFT, "area": report_province.area_id}).status_code == 403
    assert AnnualReport.objects.count() == 1


def test_district_staff_see_only_their_district_reports(staff_a, staff_b, report_a, report_province):
    report_files.generate_version(report=report_a, user=report_a.created_by)
    staff_a_client, staff_b_client = Client(), Client()
    staff_a_client.force_login(staff_a)
    staff_b_client.force_login(staff_b)
    listing = staff_a_client.get(reverse("reporting:reports")).content.decode()
    assert reverse("reporting:report_detail", args=[report_a.pk]) in listing
    assert reverse("reporting:report_detail", args=[report_province.pk]) not in listing
    # staff of another district: 404 on every page of the report, GET and POST alike
    for url in urls_of(report_a):
        assert staff_b_client.get(url).status_code == 404, url
    assert staff_b_client.post(reverse("reporting:report_edit", args=[report_a.pk]), {
        **DRAFT, "area": report_a.area_id, "signer_name": "Kẻ lạ"}).status_code == 404
    assert staff_b_client.post(reverse("reporting:report_generate", args=[report_a.pk])).status_code == 404
    # district staff cannot open the province report either
    for url in urls_of(report_province):
        assert staff_a_client.get(url).status_code == 404, url
    report_a.refresh_from_db()
    assert report_a.signer_name == "Lò Văn Xuân" and report_a.versions.count() == 1


def test_officer_sees_every_report(officer_client, report_a, report_province):
    listing = officer_client.get(reverse("reporting:reports")).content.decode()
    for report in (report_a, report_province):
        assert reverse("reporting:report_detail", args=[report.pk]) in listing
        assert officer_client.get(reverse("reporting:report_detail", args=[report.pk])).status_code == 200


def test_district_staff_may_only_choose_their_own_district(staff_a_client, world):
    form = staff_a_client.get(reverse("reporting:report_new")).context["form"]
    assert list(form.fields["area"].queryset) == [area("district", "105")]
    response = staff_a_client.post(reverse("reporting:report_new"), {**DRAFT, "area": area("district", "106").pk})
    assert response.status_code == 200 and "area" in response.context["form"].errors
    response = staff_a_client.post(reverse("reporting:report_new"), {**DRAFT, "area": world.pk})
    assert "area" in response.context["form"].errors
    assert not AnnualReport.objects.exists()
    response = staff_a_client.post(reverse("reporting:report_new"), {**DRAFT, "area": area("district", "105").pk})
    assert response.status_code == 302
    assert AnnualReport.objects.get().area.code == "105"


def test_service_refuses_another_district_even_without_the_form(staff_a, world):
    report = annual.new_report(year=2025, area=area("district", "106"), user=staff_a)
    with pytest.raises(annual.ValidationError) as exc:
        annual.save_report(report=report, user=staff_a)
    assert annual.AREA_NOT_ALLOWED in exc.value.message_dict["area"]
    assert not AnnualReport.objects.exists()


# ------------------------------------------------------------------ drafts


def test_officer_prepares_and_edits_a_draft(officer_client, world):
    new = officer_client.get(reverse("reporting:report_new"))
    assert {a.level for a in new.context["form"].fields["area"].queryset} == {"province", "district"}
    response = officer_client.post(reverse("reporting:report_new"), {**DRAFT, "area": world.pk})
    report = AnnualReport.objects.get()
    assert response["Location"] == reverse("reporting:report_detail", args=[report.pk])
    assert report.issued_on == datetime.date(2026, 1, 5) and report.created_by.username == "officer"
    assert report.issuing_body == "HỘI NGƯỜI CAO TUỔI\nTỈNH LAI CHÂU"

    edit_url = reverse("reporting:report_edit", args=[report.pk])
    assert officer_client.get(edit_url).context["form"]["signer_name"].value() == "Lò Văn Xuân"
    officer_client.post(edit_url, {**DRAFT, "area": world.pk, "shortcomings": "Thiếu vốn.\nThiếu cán bộ."})
    report.refresh_from_db()
    assert report.shortcomings == "Thiếu vốn.\nThiếu cán bộ."
    assert report.history.count() == 2  # every change kept
    assert AnnualReport.objects.count() == 1


def test_bad_input_is_explained_and_nothing_saved(officer_client, world):
    response = officer_client.post(reverse("reporting:report_new"), {
        **DRAFT, "area": world.pk, "year": "2031", "issued_on": "32/01/2026"})
    form = response.context["form"]
    assert set(form.errors) >= {"year", "issued_on"}
    assert form.errors["year"] == [annual.YEAR_OUT_OF_RANGE % {"min": annual.FIRST_YEAR, "max": annual.year_range()[1]}]
    assert not AnnualReport.objects.exists()


def test_new_draft_takes_over_the_previous_header_settings(officer, report_province):
    draft = annual.new_report(year=2026, area=report_province.area, user=officer)
    assert draft.signer_name == "Lò Văn Xuân"
    assert draft.number_symbol == "/BC-HNCT"  # the number restarts each year; the symbol stays


# ------------------------------------------------------------------ generating and the archive


def test_generating_twice_keeps_both_versions_downloadable(officer_client, report_province, private_reports):
    generate = reverse("reporting:report_generate", args=[report_province.pk])
    assert officer_client.get(generate).status_code == 405  # generating changes data: POST only
    officer_client.post(generate)
    officer_client.post(reverse("reporting:report_edit", args=[report_province.pk]),
                        {**DRAFT, "area": report_province.area_id, "number_symbol": "16/BC-HNCT"})
    response = officer_client.post(generate, follow=True)
    assert "Đã tạo phiên bản 2" in response.content.decode()

    versions = list(report_province.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    for v in versions:
        assert v.data_date == datetime.date(2025, 12, 31) and v.generated_by.username == "officer"
        assert v.pdf.path.startswith(str(private_reports))  # never under MEDIA_ROOT
    detail = response.content.decode()
    for v in versions:
        assert reverse("reporting:report_download", args=[report_province.pk, v.number, "pdf"]) in detail

    first = officer_client.get(reverse("reporting:report_download", args=[report_province.pk, 1, "pdf"]))
    second = officer_client.get(reverse("reporting:report_download", args=[report_province.pk, 2, "pdf"]))
    assert first["Content-Type"] == "application/pdf"
    assert 'attachment; filename="BaoCao-2025-' in first["Content-Disposition"]
    first_bytes, second_bytes = b"".join(first.streaming_content), b"".join(second.streaming_content)
    assert first_bytes.startswith(b"%PDF") and second_bytes.startswith(b"%PDF") and first_bytes != second_bytes

    xlsx = officer_client.get(reverse("reporting:report_download", args=[report_province.pk, 2, "xlsx"]))
    wb = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert wb["Tổng hợp"]["B5"].value == "16/BC-HNCT"


def test_download_of_unknown_version_or_kind_is_404(officer_client, report_province):
    report_files.generate_version(report=report_province, user=report_province.created_by)
    assert officer_client.get(reverse("reporting:report_download", args=[report_province.pk, 9, "pdf"])).status_code == 404
    assert officer_client.get(f"/reporting/reports/{report_province.pk}/v1.docx").status_code == 404


def test_district_staff_generate_their_own_district_report(staff_a_client, report_a):
    staff_a_client.post(reverse("reporting:report_generate", args=[report_a.pk]))
    version = ReportVersion.objects.get()
    assert version.report == report_a and version.generated_by.username == "staff_a"
    response = staff_a_client.get(reverse("reporting:report_download", args=[report_a.pk, 1, "pdf"]))
    assert response.status_code == 200


def _queries(callable_):
    with CaptureQueriesContext(connection) as ctx:
        callable_()
    return len(ctx.captured_queries)


def _add_clubs(count, start):
    for i in range(count):
        club = ClubFactory(code=f"CLB-Q{start + i:03d}", commune=commune("03390"))
        add_members(club, women=3, men=2)


def test_generation_and_pages_use_a_fixed_number_of_queries(officer_client, report_province):
    generate = reverse("reporting:report_generate", args=[report_province.pk])
    listing = reverse("reporting:reports")
    detail = reverse("reporting:report_detail", args=[report_province.pk])
    _add_clubs(1, 0)  # 3 clubs
    counts_small = [_queries(lambda: officer_client.post(generate)), _queries(lambda: officer_client.get(listing)),
                    _queries(lambda: officer_client.get(detail))]
    _add_clubs(27, 1)  # 30 clubs, and one more version in the archive
    for _ in range(3):
        make_report(report_province.area, report_province.created_by)
    counts_large = [_queries(lambda: officer_client.post(generate)), _queries(lambda: officer_client.get(listing)),
                    _queries(lambda: officer_client.get(detail))]
    assert counts_small == counts_large


def test_preview_shows_the_draft_without_keeping_a_version(officer_client, report_province, tmp_path):
    response = officer_client.get(reverse("reporting:report_preview", args=[report_province.pk]))
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("inline")
    path = tmp_path / "p.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Số: 15/BC-HNCT" in text
    assert not ReportVersion.objects.exists()
