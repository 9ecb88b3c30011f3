"""The money sanity limits, written once for the loan and repayment forms, funds.services and the
workbook import. Same shape as clubs.rules: plain values in, messages to an `Errors` collector keyed
by field name (tests import the constants), warnings returned for the user to confirm.

Limits per club come from its regulation (Club.max_loan, Club.max_rate_percent_month); a club that
sets none has the province's defaults (settings.FUNDS_MAX_LOAN, settings.FUNDS_MAX_RATE_PERCENT_MONTH).
"""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clubs.formatting import format_vnd

LOAN_OVER_LIMIT = _("Số tiền vay vượt mức tối đa %(max)s mỗi khoản theo quy chế CLB.")
RATE_OVER_LIMIT = _("Lãi/phí vượt mức tối đa %(max)s %%/tháng theo quy chế CLB.")
INTEREST_OVER_LIMIT = _(
    "Tiền lãi/phí quá lớn so với khoản vay: tối đa %(max)s (%(rate)s %%/tháng trên %(principal)s trong %(months)d tháng)."
)
SAME_DAY_LOANS = _(
    "%(name)s đã có %(count)d khoản vay giải ngân ngày %(date)s. Nếu đúng là thêm một khoản nữa, đánh dấu xác nhận "
    "rồi lưu lại."
)


def limits(club):
    """(maximum principal of one loan in đồng, maximum rate in %/tháng) for the club."""
    max_loan = club.max_loan if club.max_loan is not None else settings.FUNDS_MAX_LOAN
    max_rate = club.max_rate_percent_month
    if max_rate is None:
        max_rate = Decimal(settings.FUNDS_MAX_RATE_PERCENT_MONTH)
    return max_loan, max_rate


def _pct(rate):
    return f"{Decimal(rate).normalize():f}".replace(".", ",")


def loan_terms(errors, *, principal, rate, max_loan, max_rate):
    """A loan's size and rate within the club's limits (the size is checked before any balance)."""
    if principal is not None and principal > max_loan:
        errors.add("principal", LOAN_OVER_LIMIT, "over_limit", max=format_vnd(max_loan))
    if rate not in (None, "") and Decimal(str(rate)) > max_rate:
        errors.add("rate_percent_month", RATE_OVER_LIMIT, "rate_over_limit", max=_pct(max_rate))


def months_between(start, end):
    """Calendar months begun from `start` to `end`, at least 1 (a month's interest is due once it has
    begun): 01/05 to 01/06 is 1, to 02/06 is 2."""
    months = (end.year - start.year) * 12 + end.month - start.month + (1 if end.day > start.day else 0)
    return max(1, months)


def max_interest(*, principal, max_rate, disbursed_on, paid_on):
    """The most interest one repayment may bring: the maximum rate on the whole principal for every
    month begun since disbursement. Deliberately generous (a club may collect months in arrears), yet
    99.999.999 đ on a 1.000.000 đ loan never passes."""
    months = months_between(disbursed_on, paid_on)
    return int(Decimal(principal) * Decimal(max_rate) / 100 * months), months


def repayment_interest(errors, *, interest, principal, max_rate, disbursed_on, paid_on, field="interest"):
    if not interest or not principal or not disbursed_on or not paid_on:
        return
    ceiling, months = max_interest(principal=principal, max_rate=max_rate, disbursed_on=disbursed_on, paid_on=paid_on)
    if interest > ceiling:
        errors.add(field, INTEREST_OVER_LIMIT, "interest_over_limit", max=format_vnd(ceiling), rate=_pct(max_rate),
                   principal=format_vnd(principal), months=months)


def same_day_loans(*, name, date, count):
    """A warning (ValidationError) when the member already has `count` >= 1 loans disbursed that day."""
    if count:
        return ValidationError(SAME_DAY_LOANS, code="same_day_loans",
                               params={"name": name, "count": count, "date": date.strftime("%d/%m/%Y")})
    return None


def suggested_instalment(loan):
    """The usual monthly instalment of a loan annotated with `outstanding` (LoanQuerySet.with_balance):
    the principal spread evenly over the months of its term, rounded up to 1.000 đ, never more than is
    owed. A hint only, on the collection sheet and its printed copy: staff write what was actually paid."""
    months = max(1, round((loan.due_on - loan.disbursed_on).days / 30.4))
    return min(loan.outstanding, -(-loan.principal // months // 1000) * 1000)
