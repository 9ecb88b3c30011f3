"""Uploaded workbooks, kept on the server between the preview and the confirmation."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Upload(models.Model):
    """One uploaded file: who sent it, and whether (and what) it imported. The file is never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người tải lên"))
    file = models.FileField(_("tệp"), upload_to="imports/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    imported_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)
    summary = models.JSONField(_("kết quả"), default=dict, blank=True)

    class Meta:
        verbose_name = _("tệp Excel đã tải lên")
        verbose_name_plural = _("tệp Excel đã tải lên")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name

    def read(self):
        with self.file.open("rb") as f:
            return f.read()
