"""Long work run by a task worker (django.tasks): who asked for it, how far it has got, and what came of it.

One model for every kind (workbook check and import, report, large export) so that one progress page,
one access rule and one retry serve them all. The task itself (django_tasks_db's DBTaskResult) is the
queue's record; a Job is what the user sees and keeps.
"""
import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs.models import staff_of


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job and its result are its owner's; officers (and admins) see every one."""
        staff = staff_of(user)
        if staff is None:
            return self.none()
        if staff.sees_all:
            return self
        return self.filter(owner=user)

    def active(self):
        return self.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])

    def stale(self, now=None):
        """Running, but the worker has not been heard of for JOBS_STALE_AFTER: it died (or lost the database)."""
        limit = (now or timezone.now()) - stale_after()
        return self.filter(state=Job.State.RUNNING).filter(Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True))


def stale_after():
    return datetime.timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS)


class Job(models.Model):
    class Kind(models.TextChoices):
        IMPORT_CHECK = "import_check", _("Kiểm tra tệp Excel")
        IMPORT_WRITE = "import_write", _("Nhập tệp Excel")
        REPORT = "report", _("Tạo báo cáo")
        EXPORT = "export", _("Xuất tệp Excel")

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang xử lý")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không thành công")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người yêu cầu"))
    kind = models.CharField(_("loại việc"), max_length=20, choices=Kind.choices)
    # The django.tasks Task that does the work (its module path), so a retry needs no table of kinds.
    task_path = models.CharField(max_length=200)
    # What the job is about (an upload's id, a report's id): how a page finds its jobs.
    subject = models.CharField(_("đối tượng"), max_length=64, blank=True, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED)
    # Each retry is a new attempt; a late worker of an earlier attempt cannot overwrite this one.
    attempt = models.PositiveIntegerField(_("lần chạy"), default=1)
    step = models.CharField(_("bước"), max_length=200, blank=True)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    file = models.FileField(_("tệp kết quả"), upload_to="jobs/", blank=True)
    file_name = models.CharField(_("tên tệp kết quả"), max_length=255, blank=True)
    # Where the outcome is shown (the import preview, the report's page); empty: the job's own page.
    next_url = models.CharField(max_length=300, blank=True)
    error = models.TextField(_("lý do không thành công"), blank=True)
    # The language the owner asked in: the worker runs the job in it, as a request would, so its steps
    # and its reason for failing read in the owner's language.
    language = models.CharField(_("ngôn ngữ"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tin cuối của máy xử lý"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("việc chạy nền")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def active(self):
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def percent(self):
        if self.state == self.State.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
