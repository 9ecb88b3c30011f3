"""The loan book's filters: status at a date and borrower. Each status is a LoanQuerySet rule, the
same one the overview's overdue count, the collection sheet and the indicators use."""
from django import forms
from django.utils.translation import gettext_lazy as _

from clubs.collation import vi_order
from clubs.fields import AppVoice, ModelChoiceField
from clubs.models import Member

from .models import Loan, LoanStatus

OUTSTANDING = "outstanding"
STATUSES = [
    ("", _("Tất cả")),
    (OUTSTANDING, _("Đang vay (còn dư nợ)")),
    (LoanStatus.OVERDUE.value, _("Quá hạn")),
    (LoanStatus.REPAID.value, _("Đã trả hết")),
]


class LoanFilterForm(AppVoice, forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=STATUSES, required=False)
    member = ModelChoiceField(label=_("Người vay"), queryset=Member.objects.none(), required=False,
                              empty_label=_("Tất cả"))

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        # Only members who ever borrowed: the choice list of a 60-member club stays short.
        self.fields["member"].queryset = (
            Member.objects.filter(club=club, pk__in=Loan.objects.filter(club=club).values("member_id"))
            .order_by(vi_order("full_name"), "pk")
        )
        self.fields["status"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["member"].widget.attrs["class"] = "form-select form-select-sm"

    def filter(self, loans, *, on):
        """`loans`: a Loan queryset; the valid filters applied (an unknown choice is shown as an
        error next to its field and left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        status = data.get("status")
        rule = {OUTSTANDING: Loan.objects.outstanding_at, LoanStatus.OVERDUE: Loan.objects.overdue_at,
                LoanStatus.REPAID: Loan.objects.repaid_at}.get(status)
        if rule is not None:
            # A subquery, so the caller can annotate the balance at `on` once, whatever the filter.
            loans = loans.filter(pk__in=rule(on).values("pk"))
        if data.get("member"):
            loans = loans.filter(member=data["member"])
        return loans
