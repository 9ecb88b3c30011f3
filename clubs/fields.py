"""Form fields for the way staff type from paper registers."""
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .formatting import format_vnd, parse_vnd

MONEY_INVALID = _("Số tiền không hợp lệ: nhập số đồng, ví dụ 15.000.000 hoặc 15000000.")


class MoneyInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_vnd(value, unit=False)
        return super().format_value(value)


class MoneyField(forms.Field):
    """Whole đồng; accepts '15.000.000', '15000000' or '15.000.000 đ'."""

    widget = MoneyInput
    default_error_messages = {"invalid": MONEY_INVALID}

    def __init__(self, *, min_value=None, **kwargs):
        self.min_value = min_value
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_vnd(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        super().validate(value)
        if value is not None and self.min_value is not None and value < self.min_value:
            raise ValidationError(
                _("Số tiền phải từ %(min)s trở lên."), code="min_value", params={"min": format_vnd(self.min_value)}
            )


class DateInput(forms.DateInput):
    """dd/mm/yyyy text so it works the same on every phone and with pasted values."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}, format="%d/%m/%Y")


DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


def date_field(label, required=True, **kwargs):
    return forms.DateField(
        label=label, required=required, widget=DateInput(), input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/03/2025.")},
        **kwargs,
    )


def add_service_errors(form, exc):
    """Put each message of a service's ValidationError next to its field (or on top)."""
    errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    for field, errors in errors_by_field.items():
        form.add_error(field if field in form.fields else None, errors)
