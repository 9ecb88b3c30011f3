"""Form fields for the way staff type from paper registers."""
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .formatting import format_vnd, parse_vnd

MONEY_INVALID = _("Số tiền không hợp lệ: nhập số đồng, ví dụ 15.000.000 hoặc 15000000.")
AMOUNT_TOO_BIG = _("Số tiền quá lớn: mỗi khoản tối đa %(max)s.")
# The one ceiling for every money amount (fund entry, loan, repayment principal or interest), in the
# forms and the workbook import alike: a thousand billion đồng, far above any club's fund. It also keeps
# every sum safe. PostgreSQL sums bigint into numeric, which cannot overflow; SQLite sums into a 64-bit
# integer (max 9.2 x 10^18), which would take over nine million entries at the ceiling in one sum, where
# the whole province books a few hundred thousand amounts that are mostly below 10^8.
MAX_AMOUNT = 10**12


def amount_error(value):
    """The message (already formatted) when an amount is over the ceiling, else None."""
    if value is not None and value > MAX_AMOUNT:
        return AMOUNT_TOO_BIG % {"max": format_vnd(MAX_AMOUNT)}
    return None


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
        if amount_error(value):
            raise ValidationError(AMOUNT_TOO_BIG, code="max_value", params={"max": format_vnd(MAX_AMOUNT)})
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
