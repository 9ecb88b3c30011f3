"""Marking a club's month "đã báo cáo" and taking the mark back (the pages list months elsewhere)."""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import month_services
from .access import get_club_for_user, staff_or_403


class UnmarkForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do bỏ đánh dấu"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _back(request, club):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("clubs:detail", club.code)


def month_mark(request, code, year, month):
    staff_or_403(request)
    club = get_club_for_user(request.user, code)  # another district's club is a 404 before anything else
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        month_services.month_report_mark(user=request.user, club=club, year=year, month=month)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, f"{club.code}: {text}")
    else:
        messages.success(request, _("%(club)s: đã đánh dấu tháng %(month)02d/%(year)s đã báo cáo.") % {
            "club": club.code, "month": month, "year": year})
    return _back(request, club)


def month_unmark(request, code, year, month):
    staff_or_403(request)
    club = get_club_for_user(request.user, code)
    form = UnmarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            month_services.month_report_unmark(user=request.user, club=club, year=year, month=month,
                                               reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error("reason" if field == "reason" else None, errors)
        else:
            messages.success(request, _("%(club)s: đã bỏ đánh dấu tháng %(month)02d/%(year)s.") % {
                "club": club.code, "month": month, "year": year})
            return _back(request, club)
    return render(request, "clubs/month_unmark.html", {
        "club": club, "year": year, "month": month, "form": form,
        "next": request.POST.get("next") or request.GET.get("next") or "",
    })
