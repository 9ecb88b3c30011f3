"""The one rule for codes typed by staff: club, member, loan and voucher codes.

A code goes into URLs, file names and workbook cells, so it is kept to letters A–Z and a–z, digits
and `-`, `_`, `.`: a `/` in a club code broke every list that links to the club, and nothing could
reach the club to rename it. Forms and the workbook import both call `code_error`; the data
migrations call `repairs` for codes saved before the rule.
"""
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
BAD_CODE = _("Mã chỉ được gồm chữ cái không dấu (A–Z, a–z), chữ số và các dấu - _ . (không dấu cách, không dấu /).")
CODE_HELP = _("Chỉ dùng chữ cái không dấu (A–Z, a–z), chữ số và các dấu - _ .")
MAX_LENGTH = 30


def code_error(value):
    """None when value is a valid code (or empty: whether one is required is the caller's business)."""
    if not value or CODE_PATTERN.fullmatch(value):
        return None
    return BAD_CODE


def validate_code(value):
    if code_error(value):
        raise ValidationError(BAD_CODE, code="bad_code")


def restrict(field):
    """Apply the rule to a form field (a model form's code field): validator and help text."""
    field.validators.append(validate_code)
    field.help_text = f"{CODE_HELP} {field.help_text}".strip() if field.help_text else CODE_HELP
    return field


class CodeField(forms.CharField):
    def __init__(self, *, max_length=MAX_LENGTH, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        restrict(self)


def _ascii(code):
    code = code.replace("Đ", "D").replace("đ", "d")
    code = unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode()
    code = re.sub(r"[^A-Za-z0-9._-]+", "-", code).strip("-")
    return code or "MA"


def repairs(rows, *, max_length=MAX_LENGTH):
    """{id: new code} for each (id, group, code) whose code breaks the rule.

    Forbidden characters become `-` (accents are dropped first, so Bản → Ban), and a suffix -2, -3 …
    keeps the result unique within its group, ignoring case as the forms do. Valid codes never change.
    """
    rows = list(rows)
    taken = {}
    for _, group, code in rows:
        taken.setdefault(group, set()).add(code.casefold())
    result = {}
    for pk, group, code in rows:
        if code_error(code) is None:
            continue
        base = _ascii(code)[:max_length]
        candidate, n = base, 1
        while candidate.casefold() in taken[group]:
            n += 1
            suffix = f"-{n}"
            candidate = base[: max_length - len(suffix)] + suffix
        taken[group].add(candidate.casefold())
        result[pk] = candidate
    return result


def repair_model(model, group_fields, field="code"):
    """Run `repairs` over a model's rows (for data migrations: historical models, no history rows)."""
    rows = [(pk, tuple(rest), code) for pk, code, *rest in model.objects.values_list("pk", field, *group_fields)]
    for pk, code in repairs(rows).items():
        model.objects.filter(pk=pk).update(**{field: code})
