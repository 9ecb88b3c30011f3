"""A job runs in the language its owner asked in, wherever the worker runs (issue 16 §1: a failure says
why in the user's language)."""
import types

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from jobs import runner
from jobs import services as jobs
from jobs.models import Job
from workbook import tasks

pytestmark = pytest.mark.django_db

# The task's context as django.tasks hands it to the function; the backend's name is all run_job reads.
CONTEXT = types.SimpleNamespace(task_result=types.SimpleNamespace(backend="default"))


def _queued(user, language):
    return Job.objects.create(owner=user, kind=Job.Kind.EXPORT, task_path="x", language=language)


def _fails(job, progress):
    progress.step(gettext_lazy("Đang ghi tệp"))
    raise RuntimeError("boom")


def test_a_job_started_in_english_records_english(officer):
    with translation.override("en"):
        job = jobs.start(owner=officer, kind=Job.Kind.EXPORT, task=tasks.export_clubs,
                         params={"area": None, "file_name": "clb.xlsx"})
    assert job.language == "en" and job.state == Job.State.DONE


def test_a_worker_in_vietnamese_fails_an_english_job_in_english(officer):
    job = _queued(officer, "en")
    with translation.override("vi"), pytest.raises(RuntimeError):  # the worker process's own language
        runner.run_job(CONTEXT, job.pk, 1, _fails)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error.startswith("An unexpected error stopped the work (RuntimeError). Nothing has been saved.")


def test_a_job_of_unknown_language_fails_in_the_sites_language(officer):
    job = _queued(officer, "")
    with translation.override("en"), pytest.raises(RuntimeError):
        runner.run_job(CONTEXT, job.pk, 1, _fails)
    job.refresh_from_db()
    assert job.error.startswith("Có lỗi không mong đợi khi xử lý (RuntimeError). Chưa có gì được lưu.")


def test_a_refusal_is_said_in_the_owners_language(officer):
    from workbook.messages import BAD_INT as REFUSAL  # any message with an English translation

    def refuses(job, progress):
        raise runner.JobRefused(REFUSAL)

    job = _queued(officer, "en")
    with translation.override("vi"):
        runner.run_job(CONTEXT, job.pk, 1, refuses)
    job.refresh_from_db()
    with translation.override("en"):
        assert job.error == str(REFUSAL)
    with translation.override("vi"):
        assert job.error != str(REFUSAL)
