"""Files are reached only through views that check access: guessing a URL or an id gets nothing."""
import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse

from reporting import report_files
from reporting.tests.test_report import build_world, make_report
from workbook.models import Upload
from workbook.reader import NOT_XLSX
from workbook.tests.helpers import full_file, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_ROOT = tmp_path / "private"
    settings.STATIC_ROOT = tmp_path / "static"


def _upload(client, data=None, name="so-lieu-huyen.xlsx"):
    return client.post(reverse("workbook:upload"), {"file": SimpleUploadedFile(name, data or xlsx(full_file()))})


def test_an_upload_is_kept_under_a_random_name_outside_the_static_root(staff_a_client, settings):
    _upload(staff_a_client)
    record = Upload.objects.get()
    stored = record.file.path
    assert stored.startswith(str(settings.MEDIA_ROOT)) and not stored.startswith(str(settings.STATIC_ROOT))
    assert "so-lieu-huyen" not in stored and record.file.name == f"imports/{record.pk}.xlsx"


def test_a_file_that_is_not_xlsx_by_name_is_refused_before_reading(staff_a_client):
    response = _upload(staff_a_client, name="so-lieu.xls")
    assert response.status_code == 400
    assert str(NOT_XLSX) in response.content.decode()
    assert not Upload.objects.exists()


@pytest.mark.parametrize("debug", [False, True])
def test_no_route_serves_media_even_under_debug(debug):
    import laichau_clb.urls

    with override_settings(DEBUG=debug):
        urls = importlib.reload(laichau_clb.urls)
        for path in ("/media/imports/00000000-0000-0000-0000-000000000000.xlsx", "/media/x.pdf"):
            with pytest.raises(Resolver404):
                resolve(path, urlconf=urls)
    importlib.reload(laichau_clb.urls)


def test_district_staff_cannot_fetch_another_districts_upload_error_file_or_report(
    staff_a, staff_a_client, staff_b, client
):
    _upload(staff_a_client)
    upload = Upload.objects.get()
    report_a = make_report(build_world().children.get(code="105"), staff_a)
    report_files.generate_version(report=report_a, user=staff_a)

    urls = [
        reverse("workbook:preview", args=[upload.pk]),
        reverse("workbook:errors", args=[upload.pk]),
        reverse("reporting:report_detail", args=[report_a.pk]),
        reverse("reporting:report_download", args=[report_a.pk, 1, "pdf"]),
        reverse("reporting:report_download", args=[report_a.pk, 1, "xlsx"]),
        reverse("reporting:report_preview", args=[report_a.pk]),
        f"/media/{upload.file.name}",
        f"/media/{report_a.versions.get().pdf.name}",
    ]
    # The owner gets the files.
    assert staff_a_client.get(urls[1]).status_code == 200
    assert staff_a_client.get(urls[3]).status_code == 200

    client.force_login(staff_b)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("workbook:confirm", args=[upload.pk])).status_code == 404
