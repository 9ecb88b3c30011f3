"""Starting, retrying and giving up on jobs. The work itself runs in tasks (runner.run_job)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Job

WORKER_DIED = _("Máy xử lý đã dừng giữa chừng (không còn tin từ máy xử lý). Chưa có gì được lưu. Bấm “Thử lại” để làm lại từ đầu.")
NOT_RETRYABLE = _("Chỉ thử lại được một việc không thành công.")
NOT_YOURS = _("Chỉ người đã yêu cầu việc này mới thử lại được.")


def _enqueue(job):
    # Inside the caller's transaction the task's row (django_tasks_db) commits with the job's, so a
    # worker never takes a task whose job it cannot see yet; the immediate backend runs it right here.
    import_string(job.task_path).enqueue(str(job.pk), job.attempt)
    job.refresh_from_db()
    return job


def start(*, owner, kind, task, subject="", params=None, next_url=""):
    """Record a job for `owner` and queue its task. `task`: a django.tasks Task taking (job_id, attempt)."""
    job = Job(owner=owner, kind=kind, task_path=task.module_path, subject=str(subject), params=params or {},
              next_url=next_url, language=translation.get_language() or "")
    job.full_clean()
    job.save()
    return _enqueue(job)


def notice_stale(job):
    """A running job whose worker has gone silent is failed (what it was writing was rolled back with it)."""
    if job.state == Job.State.RUNNING and Job.objects.filter(pk=job.pk).stale().update(
            state=Job.State.FAILED, error=str(WORKER_DIED), finished_at=timezone.now()):
        job.refresh_from_db()
    return job


@transaction.atomic
def retry(*, job, user):
    """Run a failed job again from the start, as a new attempt (an earlier attempt's late worker is ignored)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.owner_id != user.pk:
        raise PermissionDenied(NOT_YOURS)
    if job.state != Job.State.FAILED:
        raise ValidationError(NOT_RETRYABLE, code="not_retryable")
    job.attempt += 1
    job.state = Job.State.QUEUED
    job.step, job.done, job.total, job.error, job.result = "", 0, 0, "", {}
    job.started_at = job.heartbeat_at = job.finished_at = None
    job.save()
    return _enqueue(job)
