"""Approving and reopening a year's figures (officers; issue 15)."""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clubs.access import officer_or_404
from clubs.fields import add_service_errors
from clubs.models import Area, YearApproval

from . import approval

FIRST_YEAR = 2017


class ApproveForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Năm"), coerce=int)
    area = forms.ModelChoiceField(label=gettext_lazy("Địa bàn"), queryset=Area.objects.none(), empty_label=None)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = timezone.localdate().year - 1
        self.fields["year"].choices = [(y, str(y)) for y in range(last, FIRST_YEAR - 1, -1)]
        self.fields["area"].queryset = Area.objects.filter(
            level__in=[Area.Level.PROVINCE, Area.Level.DISTRICT]).order_by("-level", "code")

    def add_service_errors(self, exc):
        add_service_errors(self, exc)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do mở lại"), widget=forms.Textarea(attrs={"rows": 2}))

    def add_service_errors(self, exc):
        add_service_errors(self, exc)


def approval_list(request):
    officer_or_404(request)
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = approval.year_approve(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Đã phê duyệt số liệu năm %(year)s của %(area)s.") % {
                "year": found.year, "area": found.area.name})
            return redirect("reporting:approvals")
    rows = YearApproval.objects.select_related("area", "approved_by", "reopened_by").order_by(
        "-year", "area__level", "area__code", "-approved_at")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "reporting/approval_list.html", {"form": form, "page": page})


def approval_reopen(request, pk):
    officer_or_404(request)
    found = get_object_or_404(YearApproval.objects.standing().select_related("area"), pk=pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            approval.year_reopen(user=request.user, area=found.area, year=found.year, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Đã mở lại số liệu năm %(year)s của %(area)s.") % {
                "year": found.year, "area": found.area.name})
            return redirect("reporting:approvals")
    return render(request, "reporting/approval_reopen.html", {"form": form, "approval": found})
