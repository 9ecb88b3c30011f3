from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clubs.fields import AppVoice

from .reader import NOT_XLSX, TOO_LARGE, UnsafeWorkbook, _mb, check_file


class UploadForm(AppVoice, forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.WORKBOOK_MAX_UPLOAD_BYTES
        # Name and size are refused before reading a byte of it; check_file then looks inside.
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(NOT_XLSX, code="not_xlsx")
        if upload.size > limit:
            raise ValidationError(TOO_LARGE, code="too_large", params={"size": _mb(upload.size), "limit": _mb(limit)})
        data = upload.read()
        try:
            check_file(data)
        except UnsafeWorkbook as exc:
            raise ValidationError(str(exc), code="unsafe") from None
        self.cleaned_data["data"] = data
        return upload
