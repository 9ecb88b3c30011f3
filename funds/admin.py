"""Fund rows are corrected by reversing entries on the funds screens, never edited or deleted, so every
printed balance stays true; the admin only shows them and their history (clubs.admin.ReadOnlyHistoryAdmin)."""
from django.contrib import admin

from clubs.admin import ReadOnlyHistoryAdmin

from .models import FundEntry, Loan, Repayment


@admin.register(FundEntry)
class FundEntryAdmin(ReadOnlyHistoryAdmin):
    list_display = ["club", "fund", "voucher_no", "date", "kind", "source", "amount", "reverses"]
    list_filter = ["fund", "kind", "source"]
    search_fields = ["club__code", "voucher_no", "description"]


@admin.register(Loan)
class LoanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["club", "code", "member", "disbursed_on", "principal", "due_on"]
    search_fields = ["club__code", "code", "member__full_name"]


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["loan", "paid_on", "principal", "interest", "reverses"]
    # The loan column names the borrower and a reversal names its loan: one list query, not one per row.
    list_select_related = ["loan__member", "reverses__loan"]
    search_fields = ["loan__code", "loan__club__code"]
