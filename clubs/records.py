"""Bookkeeping rows of the application itself, not of a club: they carry no business data."""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionToken(models.Model):
    """One per form submission that wrote something; the unique token makes a replay find the first
    result instead of writing again (clubs/submissions.py)."""

    token = models.UUIDField(_("mã lần gửi"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("người gửi"))
    path = models.CharField(_("địa chỉ gửi"), max_length=300)
    result_url = models.CharField(_("địa chỉ kết quả"), max_length=300)
    created_at = models.DateTimeField(_("lúc gửi"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần gửi biểu mẫu")
        verbose_name_plural = _("lần gửi biểu mẫu")

    def __str__(self):
        return f"{self.token} → {self.result_url}"


class DemoRecord(models.Model):
    """A row that `seed_demo` created: the demo creates and updates these and nothing else."""

    content_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dữ liệu mẫu")
        verbose_name_plural = _("dữ liệu mẫu")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="demo_record_once")]

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id}"
