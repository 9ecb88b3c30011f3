"""The side thread that writes a job's progress under a real worker, and the rule for a dead worker."""
import datetime
import time

import pytest
from django.db import connection
from django.utils import timezone

from jobs import runner
from jobs.models import Job


def _job(user, **kw):
    return Job.objects.create(owner=user, kind=Job.Kind.EXPORT, task_path="x", state=Job.State.RUNNING, **kw)


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_by_its_own_thread_while_the_work_goes_on(officer, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database is not shared with another thread's connection")
    settings.JOBS_PROGRESS_SECONDS = 0.05
    job = _job(officer)
    with runner.Progress(job, background=True) as progress:
        progress.step("Bước một", total=10)
        progress.advance(4)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and Job.objects.get(pk=job.pk).done != 4:
            time.sleep(0.05)
        seen = Job.objects.get(pk=job.pk)
    assert (seen.step, seen.done, seen.total) == ("Bước một", 4, 10) and seen.heartbeat_at


@pytest.mark.django_db
def test_a_job_not_heard_of_for_the_stale_time_counts_as_dead(officer, settings):
    settings.JOBS_STALE_AFTER_SECONDS = 600
    now = timezone.now()
    fresh = _job(officer, heartbeat_at=now - datetime.timedelta(seconds=599))
    dead = _job(officer, heartbeat_at=now - datetime.timedelta(seconds=601))
    queued = Job.objects.create(owner=officer, kind=Job.Kind.EXPORT, task_path="x")
    assert list(Job.objects.stale(now)) == [dead]
    assert fresh not in Job.objects.stale(now) and queued not in Job.objects.stale(now)


@pytest.mark.django_db
def test_a_retried_job_ignores_the_late_end_of_its_earlier_attempt(officer):
    job = _job(officer, attempt=2)
    runner._end(Job.objects.filter(pk=job.pk, attempt=1), Job.State.DONE)
    assert Job.objects.get(pk=job.pk).state == Job.State.RUNNING
