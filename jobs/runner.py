"""Running a job inside a task: its state, its progress and its outcome on the Job row.

A task function calls `run_job(context, job_id, attempt, work)`; `work(job, progress)` does the work and
returns an Outcome, in the language the owner asked in (Job.language). Whatever `work` raises marks the
job failed with a reason in that language; `work`
writes all-or-nothing itself (the import in one transaction, a report version in one transaction, an
export's file only once it is complete), so a failure leaves nothing saved.

Under a real worker the progress is written by a side thread on its own database connection, every
JOBS_PROGRESS_SECONDS: so it shows while the work holds a transaction open (on PostgreSQL; on SQLite
the import's transaction holds the only write lock and the thread's writes wait for it), and its
writes double as the heartbeat by which a dead worker is noticed (models.JobQuerySet.stale). Under
the immediate backend (tests) the work runs in the request and progress is written in line.
"""
import dataclasses
import logging
import threading

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connections
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext_lazy

from .models import Job

logger = logging.getLogger(__name__)

FAILED_UNEXPECTED = gettext_lazy(
    "Có lỗi không mong đợi khi xử lý (%(error)s). Chưa có gì được lưu. Bấm “Thử lại”; nếu vẫn lỗi, báo cho quản trị viên.")


class JobRefused(Exception):
    """The work cannot be done for a reason the user can act on (an unreadable file, an area not theirs):
    the job fails with this message, and trying the same again would not help."""


@dataclasses.dataclass
class Outcome:
    result: dict = dataclasses.field(default_factory=dict)
    file_name: str = ""
    content: bytes | None = None


class Progress:
    """What a running job says of itself: the step's name, rows done of rows in all."""

    def __init__(self, job, *, background):
        self.job_id, self.attempt = job.pk, job.attempt
        self.name, self.done, self.total = "", 0, 0
        self.background = background
        self._stop = threading.Event()
        self._thread = None

    def step(self, name, *, total=None, done=None):
        self.name = str(name)[:200]
        if total is not None:
            self.total = total
        if done is not None:
            self.done = done
        if not self.background:
            self.write()

    def advance(self, n=1):
        self.done += n

    def write(self):
        Job.objects.filter(pk=self.job_id, attempt=self.attempt, state=Job.State.RUNNING).update(
            step=self.name, done=min(self.done, 2**31 - 1), total=min(self.total, 2**31 - 1), heartbeat_at=timezone.now())

    def _beat(self):
        try:
            while not self._stop.wait(settings.JOBS_PROGRESS_SECONDS):
                try:
                    self.write()
                except DatabaseError:  # SQLite: the work's transaction holds the database; the next beat tries again
                    logger.debug("progress of job %s not written this time", self.job_id)
        finally:
            connections.close_all()

    def __enter__(self):
        if self.background:
            self._thread = threading.Thread(target=self._beat, name=f"job-{self.job_id}", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
        return False


def _runs_in_a_worker(context):
    return not isinstance(task_backends[context.task_result.backend], ImmediateBackend)


def _reason(exc):
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def run_job(context, job_id, attempt, work):
    """Run `work` for attempt `attempt` of the job; a job retried since, or already ended, is left alone."""
    rows = Job.objects.filter(pk=job_id, attempt=attempt)
    now = timezone.now()
    if not rows.filter(state=Job.State.QUEUED).update(state=Job.State.RUNNING, started_at=now, heartbeat_at=now):
        return {"skipped": True}
    job = rows.select_related("owner").get()
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _run(context, job, rows, work)


def _run(context, job, rows, work):
    try:
        with Progress(job, background=_runs_in_a_worker(context)) as progress:
            outcome = work(job, progress)
    except (JobRefused, ValidationError) as exc:
        _end(rows, Job.State.FAILED, error=_reason(exc), result={"refused": True})
        return {"refused": _reason(exc)}
    except Exception as exc:
        _end(rows, Job.State.FAILED, error=str(FAILED_UNEXPECTED % {"error": type(exc).__name__}))
        raise  # the worker keeps the traceback (DBTaskResult) for the administrator
    fields = {}
    if outcome.content is not None:
        fields["file"] = job.file.storage.save(job.file.field.generate_filename(job, outcome.file_name), ContentFile(outcome.content))
        fields["file_name"] = outcome.file_name
    _end(rows, Job.State.DONE, result=outcome.result, done=progress.total or progress.done, total=progress.total, **fields)
    return {"done": True}


def _end(rows, state, **fields):
    # Not filtered on the state: a worker thought dead that finishes after all tells the truth.
    rows.update(state=state, finished_at=timezone.now(), heartbeat_at=timezone.now(), **fields)
