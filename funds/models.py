"""The club's two funds: ledgers, loans and repayments. Balances are always sums of rows, never stored."""
from django.conf import settings
from django.db import models
from django.db.models import BigIntegerField, F, FilteredRelation, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clubs.models import Club, Member


class Fund(models.TextChoices):
    INCOME = "income", _("Tăng thu nhập")
    ACTIVITY = "activity", _("Hoạt động")


class EntryKind(models.TextChoices):
    # A context, because a bare "Thu" is also Django's "Thursday" and would show as "Thứ 5".
    IN = "in", pgettext_lazy("fund entry kind", "Thu")
    OUT = "out", pgettext_lazy("fund entry kind", "Chi")


class Source(models.TextChoices):
    """Where money in (Thu) comes from: the `Nguồn` list of workbook.md."""

    PROVINCE_BUDGET = "province_budget", _("Ngân sách tỉnh")
    LOCAL_BUDGET = "local_budget", _("Ngân sách huyện/xã")
    ROTATION = "rotation", _("Luân chuyển vốn")
    MEMBERS = "members", _("Thành viên đóng góp")
    SOCIETY = "society", _("Xã hội hóa")
    INTERNATIONAL = "international", _("Tài trợ quốc tế")
    LOAN_INTEREST = "loan_interest", _("Lãi/phí cho vay")
    OTHER = "other", _("Khác")


class FundEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(club__in=Club.objects.visible_to(user))

    def upto(self, on):
        return self.filter(date__lte=on)


class FundEntry(models.Model):
    """One line of a fund's cash book (sổ quỹ): money in (Thu) or out (Chi).

    A correction is a new entry of the opposite kind that points at the one it reverses;
    nothing is edited after the fact, so every past balance stays as it was printed.
    """

    club = models.ForeignKey(Club, models.PROTECT, related_name="fund_entries", verbose_name=_("CLB"))
    fund = models.CharField(_("quỹ"), max_length=10, choices=Fund.choices)
    voucher_no = models.CharField(_("số phiếu"), max_length=30)
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=3, choices=EntryKind.choices)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices, blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền"))
    description = models.CharField(_("diễn giải"), max_length=300, blank=True)
    counterpart_club = models.ForeignKey(
        Club, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("CLB đối ứng (luân chuyển vốn)"),
    )
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name=_("bút toán đảo của")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = FundEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("bút toán quỹ")
        verbose_name_plural = _("bút toán quỹ")
        ordering = ["club", "fund", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["club", "fund", "voucher_no"], name="fundentry_voucher_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fundentry_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="out") | ~Q(source="") | Q(reverses__isnull=False),
                name="fundentry_in_has_source",
            ),
        ]
        indexes = [models.Index(fields=["club", "fund", "date"])]

    def __str__(self):
        return f"{self.voucher_no} {self.get_kind_display()} {self.amount}"


class LoanStatus(models.TextChoices):
    CURRENT = "current", _("Trong hạn")
    OVERDUE = "overdue", _("Quá hạn")
    REPAID = "repaid", _("Đã trả hết")


def _repayment_sum(field, *, on=None, before=None):
    rows = Repayment.objects.filter(loan=OuterRef("pk"))
    if on is not None:
        rows = rows.filter(paid_on__lte=on)
    if before is not None:
        rows = rows.filter(paid_on__lt=before)
    total = rows.order_by().values("loan").annotate(s=Sum(field)).values("s")
    return Coalesce(Subquery(total, output_field=BigIntegerField()), Value(0))


class LoanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(club__in=Club.objects.visible_to(user))

    def with_balance(self, on=None):
        """Annotate `repaid_principal`, `paid_interest` and `outstanding` counting repayments dated
        on or before `on` (all of them when None). One correlated subquery per column, so a list
        of loans stays one query however many repayments there are."""
        return self.annotate(
            repaid_principal=_repayment_sum("principal", on=on),
            paid_interest=_repayment_sum("interest", on=on),
        ).annotate(outstanding=F("principal") - F("repaid_principal"))

    def disbursed_by(self, on):
        return self.filter(disbursed_on__lte=on)

    def outstanding_at(self, on):
        """Loans with principal still owed at the end of `on`."""
        return self.disbursed_by(on).with_balance(on).filter(outstanding__gt=0)

    def overdue_at(self, on):
        return self.outstanding_at(on).filter(due_on__lt=on)

    def repaid_at(self, on):
        """Loans disbursed by `on` with no principal owed at the end of that day (Loan.status_on: REPAID)."""
        return self.disbursed_by(on).with_balance(on).filter(outstanding__lte=0)

    def _open_during(self, start, end):
        """One row per loan of this queryset outstanding at some time in [start, end] (indicators.md
        §3 `borrowers`), grouped by loan: disbursed on or before `end`, and either still owed at the
        end of the day before `start` (principal repaid before `start`, reversal rows included with
        their negative amounts, less than its principal) or reopened in the period (_reopened).
        A grouped query, so callers select from it with `pk__in` / `member_id__in`: one pass over the
        loans and their repayments, not a subquery per loan."""
        # Grouped by the three columns it reads (SQLite groups by every selected column), joined only
        # to the repayments dated before `start`.
        return (
            self.disbursed_by(end)
            .order_by()
            .values("pk", "member_id", "principal")
            .annotate(_before=FilteredRelation("repayments", condition=Q(repayments__paid_on__lt=start)))
            .annotate(_repaid_before=Sum("_before__principal", default=0))
            .filter(Q(_repaid_before__lt=F("principal")) | Q(pk__in=_reopened(start, end)))
        )

    def outstanding_during(self, start, end):
        """Loans outstanding at some time in [start, end], the reopen clause included (see _open_during)."""
        return self.filter(pk__in=self._open_during(start, end).values("pk"))

    def borrowers(self, start, end):
        """Members active at `end` with a loan of this queryset outstanding at some time in [start,
        end]: indicators.md §3 `borrowers` (the indicators, the statements and the club pages)."""
        return Member.objects.active(on=end).filter(pk__in=self._open_during(start, end).values("member_id"))


def _reopened(start, end):
    """Ids of loans owed again at the end of a day of [start, end] after a reversal dated that day.

    A balance only rises on a day with a negative row (a reversal), so those days are the only ones
    where a loan at 0 on the eve of `start` can be owed again; it then is outstanding in the period
    and was not "fully repaid before `start`" as the register stands at `end`. Reversal rows are
    few (a partial index), so this small set is computed once per query."""
    repaid_that_day = (
        Repayment.objects.filter(loan=OuterRef("loan"), paid_on__lte=OuterRef("paid_on"))
        .order_by().values("loan").annotate(s=Sum("principal")).values("s")
    )
    return (
        Repayment.objects.filter(principal__lt=0, paid_on__gte=start, paid_on__lte=end)
        .annotate(_repaid=Subquery(repaid_that_day, output_field=BigIntegerField()))
        .filter(_repaid__lt=F("loan__principal"))
        .values("loan_id")
    )


class Loan(models.Model):
    """An income-generation fund loan to a member. Its outstanding principal is principal minus repayments."""

    club = models.ForeignKey(Club, models.PROTECT, related_name="loans", verbose_name=_("CLB"))
    code = models.CharField(_("mã khoản vay"), max_length=30)
    member = models.ForeignKey(Member, models.PROTECT, related_name="loans", verbose_name=_("thành viên vay"))
    disbursed_on = models.DateField(_("ngày giải ngân"))
    principal = models.PositiveBigIntegerField(_("số tiền"))
    due_on = models.DateField(_("ngày đến hạn"))
    purpose = models.CharField(_("mục đích"), max_length=200, blank=True)
    rate_percent_month = models.DecimalField(
        _("lãi/phí (%/tháng)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản vay")
        verbose_name_plural = _("khoản vay")
        ordering = ["club", "disbursed_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["club", "code"], name="loan_code_unique_in_club"),
            models.CheckConstraint(condition=Q(principal__gt=0), name="loan_principal_positive"),
            models.CheckConstraint(condition=Q(due_on__gt=models.F("disbursed_on")), name="loan_due_after_disbursed"),
        ]
        indexes = [models.Index(fields=["club", "disbursed_on"])]

    def __str__(self):
        return f"{self.code} – {self.member.full_name}"

    def status_on(self, on):
        """Needs `outstanding` annotated at `on` (LoanQuerySet.with_balance(on))."""
        if self.outstanding <= 0:
            return LoanStatus.REPAID
        if self.due_on < on:
            return LoanStatus.OVERDUE
        return LoanStatus.CURRENT

    def days_overdue(self, on):
        return (on - self.due_on).days if self.outstanding > 0 and self.due_on < on else 0


class Repayment(models.Model):
    """Principal and interest/fee paid on a loan. A correction is a row with negated amounts
    pointing at the row it reverses, dated the day of the correction."""

    loan = models.ForeignKey(Loan, models.PROTECT, related_name="repayments", verbose_name=_("khoản vay"))
    paid_on = models.DateField(_("ngày trả"))
    principal = models.BigIntegerField(_("tiền gốc"), default=0)
    interest = models.BigIntegerField(_("tiền lãi/phí"), default=0)
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name=_("bút toán đảo của")
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trả nợ")
        verbose_name_plural = _("trả nợ")
        ordering = ["loan", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=False) | Q(principal__gte=0, interest__gte=0),
                name="repayment_non_negative_unless_reversal",
            ),
        ]
        indexes = [
            # Covering: the indicators sum principal per loan up to a date from the index alone. A key
            # column rather than INCLUDE, which SQLite ignores (it then reads every row's page).
            models.Index(fields=["loan", "paid_on", "principal"], name="repayment_loan_paid_principal"),
            # Reversal rows (negative principal) are rare; the indicators look them up by date.
            models.Index(fields=["paid_on", "loan"], condition=Q(principal__lt=0), name="repayment_negative_paid"),
        ]

    def __str__(self):
        return f"{self.loan.code} {self.paid_on:%d/%m/%Y}"
