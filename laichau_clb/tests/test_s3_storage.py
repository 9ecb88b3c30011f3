"""The bucket of several app servers (settings/base.py `_storages`, docs/deploy.md) against a real S3
HTTP endpoint, moto's server on 127.0.0.1: a generated report and an uploaded workbook are written to
the bucket and read back from it by the app's own views."""
import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from clubs.models import Club, Member
from laichau_clb.settings.base import _storages
from reporting.models import ReportVersion, report_storage
from reporting.tests.test_report import build_world, make_report
from workbook.models import Upload
from workbook.tests.helpers import full_file, xlsx

pytestmark = pytest.mark.django_db

BUCKET = "clb-laichau-test"
REGION = "us-east-1"
# boto3 reads the keys from the environment, as on a server; fake ones, and no profile or config file of
# the machine running the tests, so nothing here can reach a real account.
FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
}


@pytest.fixture(scope="module")
def endpoint():
    with pytest.MonkeyPatch.context() as mp:
        for name, value in FAKE_AWS_ENV.items():
            mp.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            mp.delenv(name, raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            url = f"http://{host}:{port}"
            boto3.client("s3", endpoint_url=url, region_name=REGION).create_bucket(Bucket=BUCKET)
            yield url
        finally:
            server.stop()


@pytest.fixture
def bucket(endpoint, settings, monkeypatch, tmp_path):
    """The app on the bucket exactly as `_storages()` configures it; yields a boto3 client to look inside."""
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    monkeypatch.setenv("S3_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_S3_REGION_NAME", REGION)
    # Where the disk storages would write: the tests check that nothing does.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_ROOT = tmp_path / "private"
    settings.STORAGES = _storages()  # setting_changed empties django.core.files.storage.storages
    # ReportVersion's FileFields call report_storage() once, when the models load (Django's FileField);
    # a server has read its STORAGES by then, this process loaded them under the test settings' disk.
    for name in ("pdf", "xlsx"):
        monkeypatch.setattr(ReportVersion._meta.get_field(name), "storage", report_storage())
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
    yield s3
    # The database rolls back after each test, the bucket does not: the next test starts empty.
    for key in keys(s3):
        s3.delete_object(Bucket=BUCKET, Key=key)


def keys(s3):
    return {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def body(s3, key):
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def files_on_disk(root):
    return [p for p in root.rglob("*") if p.is_file()]


def assert_private(s3, key):
    """Nobody gets the file from the bucket without the keys: only the app's views hand it out."""
    anonymous = boto3.client("s3", endpoint_url=s3.meta.endpoint_url, region_name=REGION,
                             config=Config(signature_version=UNSIGNED))
    with pytest.raises(ClientError) as refused:
        anonymous.get_object(Bucket=BUCKET, Key=key)
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_generated_report_is_kept_privately_in_the_bucket_and_downloads_unchanged(
        bucket, officer_client, officer, tmp_path):
    report = make_report(build_world(), officer)
    officer_client.post(reverse("reporting:report_generate", args=[report.pk]))
    version = ReportVersion.objects.get()
    pdf_key, xlsx_key = f"private_reports/{version.pdf.name}", f"private_reports/{version.xlsx.name}"
    assert keys(bucket) == {pdf_key, xlsx_key}
    assert files_on_disk(tmp_path) == []

    response = officer_client.get(reverse("reporting:report_download", args=[report.pk, 1, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    downloaded = b"".join(response.streaming_content)
    assert downloaded.startswith(b"%PDF") and downloaded == body(bucket, pdf_key)
    xlsx_response = officer_client.get(reverse("reporting:report_download", args=[report.pk, 1, "xlsx"]))
    assert b"".join(xlsx_response.streaming_content) == body(bucket, xlsx_key)
    assert_private(bucket, pdf_key)
    assert_private(bucket, xlsx_key)


def test_an_uploaded_workbook_is_kept_in_the_bucket_and_imported_from_it(bucket, officer_client, officer, tmp_path):
    data = xlsx(full_file())
    response = officer_client.post(reverse("workbook:upload"), {"file": SimpleUploadedFile("clb.xlsx", data)})
    record = Upload.objects.get()
    key = f"media/imports/{record.pk}.xlsx"
    assert keys(bucket) == {key} and body(bucket, key) == data
    assert files_on_disk(tmp_path) == []
    assert_private(bucket, key)

    # The check task and the confirmation read the file back from the bucket, not from the request.
    page = officer_client.get(response["Location"])
    assert [(s.name, s.create) for s in page.context["result"].sheets][0] == ("CLB", 1)
    done = officer_client.post(reverse("workbook:confirm", args=[record.pk]), follow=True)
    assert "Đã nhập" in done.content.decode()
    assert Club.objects.count() == 1 and Member.objects.get().history.get().history_user == officer
