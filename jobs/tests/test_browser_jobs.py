"""The job page in real Chromium, in each of its states (running with its bar, failed with its retry,
done with its file): nothing scrolls sideways on a 390 px phone, axe finds nothing serious (the walk of
laichau_clb/tests/test_browser_field_ready.py)."""
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from laichau_clb.tests.test_browser_field_ready import _walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_job_page_fits_a_phone_and_passes_axe_in_every_state(browser, staff_a, live_server):
    now = timezone.now()
    common = {"owner": staff_a, "kind": Job.Kind.EXPORT, "task_path": "workbook.tasks.export"}
    running = Job.objects.create(**common, state=Job.State.RUNNING, started_at=now, heartbeat_at=now,
                                 step="Đang ghi sheet Khám sức khỏe của các câu lạc bộ liên thế hệ tự giúp nhau",
                                 done=1234, total=56789)
    failed = Job.objects.create(**common, state=Job.State.FAILED, finished_at=now,
                                error="Không đọc được tệp: tệp Excel bị hỏng hoặc không phải định dạng .xlsx "
                                      "(Bao-cao-tong-hop-cac-cau-lac-bo-lien-the-he-tu-giup-nhau-2025.xlsx).")
    done = Job.objects.create(**common, state=Job.State.DONE, finished_at=now,
                              file_name="Du-lieu-cac-cau-lac-bo-lien-the-he-tu-giup-nhau-tinh-Lai-Chau-2025.xlsx")
    done.file.save("export.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    pages = [reverse("jobs:detail", args=[job.pk]) for job in (running, failed, done)]
    problems = _walk(browser, live_server, staff_a, pages)
    assert problems == [], "\n".join(problems)
