"""Form fields for the way staff type from paper registers."""
import datetime
import functools

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import get_language
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
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
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


# The app's voice for the checks every field makes (Django's stock messages say "Trường này là bắt
# buộc." without saying which field, beside the app's own wording). %(label)s is the field's label;
# the other placeholders are filled by Django with the parameters of the check.
REQUIRED = _("Chưa nhập %(label)s.")
REQUIRED_CHOICE = _("Chưa chọn %(label)s.")
REQUIRED_TICK = _("Cần đánh dấu ô “%(label)s”.")
INVALID = _("%(label)s không hợp lệ.")
INVALID_DATE = _("%(label)s không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/03/2025.")
INVALID_INTEGER = _("%(label)s không hợp lệ: nhập một số nguyên, ví dụ 35.")
INVALID_NUMBER = _("%(label)s không hợp lệ: nhập một số, ví dụ 1,5.")
INVALID_CHOICE = _("%(label)s: lựa chọn không có trong danh sách, hãy chọn lại.")
INVALID_LIST = _("%(label)s: cần chọn từ danh sách.")
INVALID_PK = _("%(label)s: “%(pk)s” không có trong danh sách, hãy chọn lại.")
MIN_VALUE = _("%(label)s phải từ %(limit_value)s trở lên.")
MAX_VALUE = _("%(label)s tối đa là %(limit_value)s.")
MIN_LENGTH = _("%(label)s cần ít nhất %(limit_value)s ký tự (đang có %(show_value)s).")
MAX_LENGTH = _("%(label)s dài tối đa %(limit_value)s ký tự (đang có %(show_value)s).")
MAX_DIGITS = _("%(label)s có tối đa %(max)s chữ số.")
MAX_DECIMAL_PLACES = _("%(label)s có tối đa %(max)s chữ số sau dấu phẩy.")
MAX_WHOLE_DIGITS = _("%(label)s có tối đa %(max)s chữ số trước dấu phẩy.")
STEP_SIZE = _("%(label)s phải là bội số của %(limit_value)s.")
FILE_INVALID = _("%(label)s: không nhận được tệp, hãy chọn lại tệp.")
FILE_EMPTY = _("%(label)s: tệp đã chọn rỗng, hãy chọn tệp khác.")
FILE_NAME_TOO_LONG = _("%(label)s: tên tệp dài tối đa %(max)s ký tự (đang có %(length)s).")
FILE_CONTRADICTION = _("%(label)s: chọn tệp mới hoặc đánh dấu xoá, không cả hai.")
NULL_CHARACTERS = _("%(label)s có ký tự lạ (ký tự rỗng) do dán từ tệp khác: gõ lại ô này.")
# A hidden field only goes wrong when the page is stale or was tampered with; its name means nothing.
HIDDEN_INVALID = _("Biểu mẫu thiếu hoặc sai dữ liệu ẩn: tải lại trang rồi nhập lại.")

def _template(kind, code):
    """The message of `code` for a field of class `kind`."""
    if code == "required":
        if issubclass(kind, forms.BooleanField):
            return REQUIRED_TICK
        return REQUIRED_CHOICE if issubclass(kind, (forms.ChoiceField, forms.FileField)) else REQUIRED
    if issubclass(kind, forms.FileField):
        return {"invalid": FILE_INVALID, "missing": FILE_INVALID, "empty": FILE_EMPTY,
                "max_length": FILE_NAME_TOO_LONG, "contradiction": FILE_CONTRADICTION}.get(code, INVALID)
    if code == "invalid":
        if issubclass(kind, (forms.DateField, forms.DateTimeField)):
            return INVALID_DATE
        if issubclass(kind, (forms.DecimalField, forms.FloatField)):  # both are IntegerFields in Django
            return INVALID_NUMBER
        if issubclass(kind, forms.IntegerField):
            return INVALID_INTEGER
        return INVALID
    return {"invalid_choice": INVALID_CHOICE, "invalid_list": INVALID_LIST, "invalid_pk_value": INVALID_PK,
            "min_value": MIN_VALUE, "max_value": MAX_VALUE, "min_length": MIN_LENGTH, "max_length": MAX_LENGTH,
            "step_size": STEP_SIZE, "max_digits": MAX_DIGITS, "max_decimal_places": MAX_DECIMAL_PLACES,
            "max_whole_digits": MAX_WHOLE_DIGITS, "null_characters_not_allowed": NULL_CHARACTERS}.get(code, INVALID)


class _KeepOthers(dict):
    def __missing__(self, key):
        return f"%({key})s"


def _capitalised(text):
    return text[:1].upper() + text[1:]


class VoicedMessage(str):
    """The message with the label filled in. Django formats a message with `%` only when the error
    carries params, and the same message is raised both ways (DecimalField's "invalid"), so the label,
    which may hold a "%" ("Lãi/phí (%/tháng)"), is filled in here and again after Django's params."""

    def __new__(cls, text, template="", label=""):
        obj = super().__new__(cls, text)
        obj.template, obj.label = template, label
        return obj

    def __mod__(self, params):
        if not self.template or not isinstance(params, dict):
            return str.__mod__(self, params)
        return _capitalised(self.template % _KeepOthers(params, label=self.label))


def voiced(field, code, label):
    """The app's message for `code` on `field`, naming `label` (Django fills the other placeholders)."""
    if field.widget.is_hidden or not label:
        return HIDDEN_INVALID
    return _voiced(type(field), code, str(label), get_language())


@functools.lru_cache(maxsize=4096)
def _voiced(kind, code, label, language):
    # Once per process for a kind of field, a check, a label and a language: every form of every page
    # voices each of its fields' checks when it is made, and a VoicedMessage is an immutable str.
    template = str(_template(kind, code))
    return VoicedMessage(_capitalised(template % _KeepOthers(label=label)), template, label)


def stock_messages(field):
    """Django's own default messages of the field's class (by identity: a form's own is never one)."""
    return {id(m) for c in type(field).__mro__ if c.__module__.startswith("django.")
            for m in getattr(c, "default_error_messages", {}).values()}


class AppVoice:
    """Every field of the form speaks in the app's words: Django's stock messages (required, invalid,
    invalid_choice, min/max value, max length...) are replaced by ones naming the field's label; a
    message a form or field already set for itself is kept. Run again before cleaning, for fields a
    form or formset adds after __init__."""

    def __init_subclass__(cls, **kwargs):
        # After the form's own __init__ too, which may add or replace fields once the base has run.
        super().__init_subclass__(**kwargs)
        # Once per form, by the outermost __init__ only: the inner ones (a parent form's, this base's)
        # would voice the same fields again before the outer one changes them.
        init = cls.__dict__.get("__init__")
        if init is not None:
            @functools.wraps(init)
            def voiced_init(self, *args, **kw):
                init(self, *args, **kw)
                if type(self).__init__ is voiced_init:
                    self.use_app_voice()
            voiced_init.voices = True
            cls.__init__ = voiced_init

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not getattr(type(self).__init__, "voices", False):
            self.use_app_voice()

    def use_app_voice(self):
        for name, field in self.fields.items():
            stock = stock_messages(field)
            label = field.label if field.label is not None else ("" if field.widget.is_hidden else name)
            codes = {code for code, message in field.error_messages.items() if id(message) in stock}
            # A validator's message is stock unless the field carries one for its code (Django then uses it).
            codes |= {getattr(v, "code", None) for v in field.validators} - set(field.error_messages) - {None}
            for code in codes:
                field.error_messages[code] = voiced(field, code, label)

    def full_clean(self):
        self.use_app_voice()
        super().full_clean()
