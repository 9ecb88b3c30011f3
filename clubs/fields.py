"""Form fields for the way staff type from paper registers."""
import datetime

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
# Every date the app works with lies here. Python's dates start at year 1, and a period starting on
# 01/01/0001 (one day before it) or "born 60 years before 01/01/0060" raised on every page that took one.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
DATE_OUT_OF_RANGE = _("Ngày phải trong khoảng 01/01/1900 đến 31/12/2100.")


def date_error(value):
    """The message when a date lies outside MIN_DATE..MAX_DATE, else None (forms and the import call it)."""
    if value is not None and not MIN_DATE <= value <= MAX_DATE:
        return DATE_OUT_OF_RANGE
    return None


def _validate_date_range(value):
    if date_error(value):
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_range")


def date_field(label, required=True, **kwargs):
    return forms.DateField(
        label=label, required=required, widget=DateInput(), input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/03/2025.")},
        validators=[_validate_date_range], **kwargs,
    )


# The largest id a database column holds. A bigger number typed into a choice (a tampered form or
# query string) made SQLite raise OverflowError instead of answering "not a valid choice".
MAX_ID = 2**63 - 1


def _id_out_of_range(value):
    try:
        return not -MAX_ID - 1 <= int(str(value).strip()) <= MAX_ID
    except (TypeError, ValueError):  # not a number at all: the field's own check answers
        return False


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _id_out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for v in value:
            if _id_out_of_range(v):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": v})
        return super()._check_values(value)


def add_service_errors(form, exc):
    """Put each message of a service's ValidationError next to its field (or on top)."""
    errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    for field, errors in errors_by_field.items():
        form.add_error(field if field in form.fields else None, errors)


def add_check_errors(form, exc):
    """The messages of a service's rules run on a form that refused some fields: each goes next to its
    field unless that field already shows the form's own message, so one submission says everything
    once (the form's "required" is not joined by the service's "missing" for the same cell)."""
    errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    for field, errors in errors_by_field.items():
        target = field if field in form.fields else None
        if target is not None and target in form.errors:
            continue
        form.add_error(target, errors)


def run_check(form, check, **context):
    """After form.is_valid() said no: the service's rules on the fields it could read (see add_check_errors)."""
    try:
        check(**context, **form.cleaned_data)
    except ValidationError as exc:
        add_check_errors(form, exc)
