"""The web import and the large export run as tasks (jobs/): progress, located errors, failure and retry,
who may open the results. Tasks run with the immediate backend here (settings/test.py); the journey
with a real worker is in test_browser_worker.py."""
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from clubs.models import Club, Member
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, add_members, commune
from jobs import runner
from jobs.models import Job
from workbook import messages as M
from workbook.importer import WorkbookImport
from workbook.models import Upload

from .helpers import full_file, member_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, data, name="clb.xlsx"):
    return client.post(reverse("workbook:upload"), {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def seen(monkeypatch):
    """Every progress write of a job, as (step, done, total), in order."""
    writes = []
    original = runner.Progress.write

    def spy(self):
        writes.append((self.name, self.done, self.total))
        original(self)

    monkeypatch.setattr(runner.Progress, "write", spy)
    return writes


def test_the_check_and_the_import_report_their_steps_and_rows(officer_client, seen):
    members = [member_row(code=f"TV{i:03d}", **{"Họ và tên": f"Lò Thị {name}"}) for i, name in enumerate("ABCDE", 1)]
    upload(officer_client, xlsx(full_file(**{"Thành viên": members})))
    check = Job.objects.get(kind=Job.Kind.IMPORT_CHECK)
    assert (check.state, check.owner.username) == (Job.State.DONE, "officer")
    # One CLB row, five members, one row on each of four more sheets: ten rows in all.
    assert (check.done, check.total) == (10, 10) and check.percent == 100
    steps = [s for s, _done, _total in seen]
    assert str(M.STEP_CHECKING % {"sheet": "CLB"}) in steps and str(M.STEP_CHECKING % {"sheet": "Thành viên"}) in steps
    done_at = {s: d for s, d, _t in seen}
    # The members' step begins after the one CLB row: the count grows through the file.
    assert done_at[str(M.STEP_CHECKING % {"sheet": "Thành viên"})] == 1
    assert done_at[str(M.STEP_CHECKING % {"sheet": "Khoản vay"})] == 6

    seen.clear()
    officer_client.post(reverse("workbook:confirm", args=[Upload.objects.get().pk]))
    write = Job.objects.get(kind=Job.Kind.IMPORT_WRITE)
    assert write.state == Job.State.DONE and Member.objects.count() == 5
    writing = [(s, d, t) for s, d, t in seen if s.startswith("Đang ghi")]
    assert (str(M.STEP_WRITING % {"sheet": "Thành viên"}), 1, 10) in writing
    assert (str(M.STEP_WRITING % {"sheet": "Khoản vay"}), 6, 10) in writing
    assert (write.done, write.total) == (10, 10)


def test_a_running_check_shows_a_progress_bar_that_polls(officer_client):
    upload(officer_client, xlsx(full_file()))
    record = Upload.objects.get()
    Job.objects.update(state=Job.State.RUNNING, step="Đang kiểm tra sheet Thành viên", done=3, total=12)
    html = officer_client.get(reverse("workbook:preview", args=[record.pk])).content.decode()
    job = Job.objects.get()
    assert f'hx-get="{reverse("jobs:status", args=[job.pk])}"' in html and 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="25"' in html and "Đang kiểm tra sheet Thành viên" in html and "Đã xử lý 3 / 12 dòng" in html
    assert "Xác nhận nhập" not in html
    # Polled while it runs: the fragment again; once ended, htmx is told to reload the page.
    poll = officer_client.get(reverse("jobs:status", args=[job.pk]), headers={"HX-Request": "true"})
    assert 'id="job-status"' in poll.content.decode() and "HX-Refresh" not in poll
    Job.objects.update(state=Job.State.DONE)
    assert officer_client.get(reverse("jobs:status", args=[job.pk]), headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_errors_found_by_the_task_are_located_and_the_marked_file_downloads(officer_client):
    sheets = full_file(**{"Thành viên": [member_row(**{"Giới tính": "?"})]})
    page = officer_client.get(upload(officer_client, xlsx(sheets))["Location"])
    result = Job.objects.get().result
    assert result["problem_count"] == 1
    assert result["problems"][0][:3] == ["Thành viên", 2, "Giới tính"]
    html = page.content.decode()
    assert "Chưa có gì được lưu" in html and str(M.BAD_CHOICE % {"choices": "Nam, Nữ"}) in html
    assert 'id="download-errors"' in html
    marked = officer_client.get(reverse("workbook:errors", args=[Upload.objects.get().pk]))
    ws = load_workbook(io.BytesIO(marked.content))["Thành viên"]
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("Giới tính") + 1).fill.start_color.rgb.endswith("FFC7CE")


def test_a_failed_import_saves_nothing_says_why_and_can_be_retried(officer_client, monkeypatch):
    upload(officer_client, xlsx(full_file()))
    record = Upload.objects.get()

    def breaks(self, plan):  # the last step of the write, after every other sheet was written
        raise RuntimeError("disk full")

    monkeypatch.setattr(WorkbookImport, "write_home_care", breaks)
    response = officer_client.post(reverse("workbook:confirm", args=[record.pk]), follow=True)
    job = Job.objects.get(kind=Job.Kind.IMPORT_WRITE)
    assert job.state == Job.State.FAILED and job.error == str(runner.FAILED_UNEXPECTED % {"error": "RuntimeError"})
    assert not Club.objects.exists() and not Member.objects.exists()
    record.refresh_from_db()
    assert record.imported_at is None
    html = response.content.decode()
    assert "Chưa có gì được lưu" in html and 'id="job-retry"' in html and "Thử lại" in html

    monkeypatch.undo()
    back = officer_client.post(reverse("jobs:retry", args=[job.pk]), {"next": job.next_url}, follow=True)
    job.refresh_from_db()
    assert (job.state, job.attempt) == (Job.State.DONE, 2)
    assert Club.objects.get().code == "CLB-X1" and Member.objects.count() == 1
    assert 'id="import-done"' in back.content.decode()
    # A job that ended well is not run again.
    assert officer_client.post(reverse("jobs:retry", args=[job.pk])).status_code == 302
    assert Job.objects.get(pk=job.pk).attempt == 2


def test_a_job_whose_worker_died_is_failed_and_retryable(officer_client, settings):
    upload(officer_client, xlsx(full_file()))
    record = Upload.objects.get()
    long_ago = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    Job.objects.update(state=Job.State.RUNNING, heartbeat_at=long_ago, started_at=long_ago)
    html = officer_client.get(reverse("workbook:preview", args=[record.pk])).content.decode()
    assert "Máy xử lý đã dừng giữa chừng" in html and 'id="job-retry"' in html
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    officer_client.post(reverse("jobs:retry", args=[job.pk]))
    assert Job.objects.get().state == Job.State.DONE
    assert "Xác nhận nhập" in officer_client.get(reverse("workbook:preview", args=[record.pk])).content.decode()


def test_an_unreadable_file_is_refused_without_a_retry(officer_client):
    upload(officer_client, xlsx(full_file()))
    record = Upload.objects.get()
    record.file.save(f"{record.pk}-broken.xlsx", SimpleUploadedFile("b.xlsx", b"PK\x03\x04 broken"), save=True)
    job = Job.objects.get()
    officer_client.post(reverse("jobs:retry", args=[job.pk]))  # not a failed job: nothing happens
    Job.objects.update(state=Job.State.FAILED)
    officer_client.post(reverse("jobs:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.result == {"refused": True} and job.error
    page = officer_client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert job.error in page and 'id="job-retry"' not in page


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_only_the_owner_and_officers_open_a_job(staff_a, staff_b, officer, outsider, settings):
    ClubFactory(commune=commune(COMMUNE_IN_A))
    settings.WORKBOOK_EXPORT_INLINE_CLUBS = 0
    owner = _client(staff_a)
    assert owner.get(reverse("workbook:export")).status_code == 302
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    officer_client, other, anonymous = _client(officer), _client(staff_b), _client()
    for name in ("detail", "status", "download"):
        url = reverse(f"jobs:{name}", args=[job.pk])
        assert owner.get(url).status_code == 200
        assert officer_client.get(url).status_code == 200
        assert other.get(url).status_code == 404
        assert anonymous.get(url)["Location"].startswith(reverse("login"))
        assert _client(outsider).get(url).status_code == 403
    assert other.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    Job.objects.update(state=Job.State.FAILED)
    # Officers see every result, but only its owner starts it again (it runs with the owner's rights).
    assert officer_client.post(reverse("jobs:retry", args=[job.pk])).status_code == 403
    assert owner.post(reverse("jobs:retry", args=[job.pk])).status_code == 302
    assert Job.objects.get().attempt == 2


def test_only_the_uploader_and_officers_see_the_check_job(staff_a, staff_b, officer):
    owner = _client(staff_a)
    upload(owner, xlsx(full_file(**{"CLB": []})))
    job = Job.objects.get()
    assert owner.get(reverse("jobs:detail", args=[job.pk]))["Location"] == job.next_url  # on to the preview
    # An officer sees who checked what and when; the upload itself stays its uploader's (workbook.views).
    seen = _client(officer).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Yêu cầu bởi staff_a" in seen and 'id="job-done"' in seen
    assert _client(staff_b).get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_a_large_export_runs_as_a_task_and_its_file_is_kept_for_its_owner(staff_a_client, staff_a, club_a, club_b, settings):
    settings.WORKBOOK_EXPORT_INLINE_CLUBS = 1
    add_members(ClubFactory(commune=commune(COMMUNE_IN_A)), women=2, men=1)
    page = staff_a_client.get(reverse("workbook:export"), follow=True)
    job = Job.objects.get()
    assert (job.kind, job.owner, job.state, job.result) == (Job.Kind.EXPORT, staff_a, Job.State.DONE, {"clubs": 2})
    html = page.content.decode()
    assert 'id="job-download"' in html and "Yêu cầu bởi" in html and job.finished_at
    download = staff_a_client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="clb-tat-ca-')
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    codes = sorted(r[0] for r in book["CLB"].iter_rows(min_row=2, values_only=True))
    assert club_a.code in codes and club_b.code not in codes and len(codes) == 2
    # A small export is still the file itself, at once.
    one = staff_a_client.get(reverse("workbook:export"), {"club": club_a.code})
    assert one["Content-Type"].startswith("application/vnd.openxmlformats") and Job.objects.count() == 1
