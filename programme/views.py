"""The pages of the plan's activities: one list per kind (a year at a time, paginated, a fixed number of
queries), the entry and correction forms, cancelling a row, and a club's supervision visits.

Officers see every row; district staff the rows of their former district and its communes, anything else
is a 404 (programme.models.EntryQuerySet.visible_to); a login without a staff role gets 403."""
import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clubs.access import get_club_for_user, staff_or_403
from clubs.fields import run_check
from clubs.paging import query_string, year_param
from clubs.services import today

from . import forms, services
from .history import row_history
from .models import BudgetLine, Communication, ExchangeVisit, SupervisionVisit, Training

PER_PAGE = 30


@dataclass(frozen=True)
class Kind:
    key: str
    model: type
    form: type
    save: object
    check: object
    instance: str  # the service's keyword for the row being corrected
    title: object
    add_title: object
    related: tuple = ()
    prefetch: tuple = ()
    by_year_field: bool = False  # budget lines have a year, the others a date
    extra: dict = field(default_factory=dict)


KINDS = {k.key: k for k in (
    Kind("training", Training, forms.TrainingForm, services.training_save, services.training_check, "training",
         gettext_lazy("Tập huấn"), gettext_lazy("Ghi lớp tập huấn"), related=("area",)),
    Kind("communication", Communication, forms.CommunicationForm, services.communication_save,
         services.communication_check, "communication", gettext_lazy("Truyền thông"),
         gettext_lazy("Ghi hoạt động truyền thông"), related=("area",)),
    Kind("exchange", ExchangeVisit, forms.ExchangeForm, services.exchange_save, services.exchange_check, "exchange",
         gettext_lazy("Giao lưu, học tập kinh nghiệm"), gettext_lazy("Ghi chuyến giao lưu"), related=("area",),
         prefetch=("clubs",)),
    Kind("supervision", SupervisionVisit, forms.SupervisionForm, services.supervision_save,
         services.supervision_check, "visit", gettext_lazy("Kiểm tra, giám sát"),
         gettext_lazy("Ghi lần kiểm tra, giám sát"), related=("club__commune",)),
    Kind("budget", BudgetLine, forms.BudgetForm, services.budget_save, services.budget_check, "line",
         gettext_lazy("Kinh phí"), gettext_lazy("Ghi dòng kinh phí"), related=("area",), by_year_field=True),
)}


def _years(kind):
    last = today().year + (1 if kind.by_year_field else 0)
    return services.FIRST_YEAR, last


def _in_year(kind, rows, year):
    if kind.by_year_field:
        return rows.filter(year=year)
    return rows.between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def index(request):
    staff_or_403(request)
    return redirect("programme:training_list")


def entry_list(request, kind):
    staff_or_403(request)
    first, last = _years(kind)
    year = year_param(request, default=today().year, first=first, last=last)
    cancelled = request.GET.get("huy") == "1"
    rows = _in_year(kind, kind.model.objects.visible_to(request.user), year).filter(cancelled=cancelled)
    rows = rows.select_related(*kind.related).prefetch_related(*kind.prefetch)
    open_only = kind.key == "supervision" and request.GET.get("mo") == "1"
    if open_only:
        rows = rows.open_follow_up()
    page = Paginator(rows.order_by(*kind.model._meta.ordering), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "kind": kind, "kinds": KINDS.values(), "page": page, "year": year, "years": range(last, first - 1, -1),
        "cancelled": cancelled, "open_only": open_only, "query_string": query_string(request),
        "row_template": f"programme/rows_{kind.key}.html",
    }
    if kind.by_year_field and not cancelled:
        context["totals"] = rows.aggregate(estimate=Sum("estimate"), actual=Sum("actual"))
    return render(request, "programme/entry_list.html", context)


def _list_url(kind, year):
    return f"{reverse(f'programme:{kind.key}_list')}?year={year}"


def _row_year(kind, obj):
    return obj.year if kind.by_year_field else obj.date.year


def _entry_form(request, kind, obj=None):
    initial = {}
    if obj is None and kind.key == "supervision" and request.GET.get("club"):
        club = get_club_for_user(request.user, request.GET["club"])
        initial["club"] = club.pk
    if obj is None and not kind.by_year_field:
        initial["date"] = today()
    if obj is None and kind.by_year_field:
        initial["year"] = today().year
    form = kind.form(request.POST or None, instance=obj, user=request.user, initial=initial)
    if request.method == "POST":
        context = {"user": request.user, kind.instance: obj}
        if form.is_valid():
            try:
                saved = kind.save(**context, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Đã lưu: %(row)s.") % {"row": saved})
                if kind.key == "supervision" and request.GET.get("club"):
                    return redirect("programme:club_visits", saved.club.code)
                return redirect(_list_url(kind, _row_year(kind, saved)))
        else:
            run_check(form, kind.check, **context)
    return render(request, "programme/entry_form.html", {
        "kind": kind, "kinds": KINDS.values(), "form": form, "obj": obj,
        "history": row_history(obj) if obj is not None else [],
        "back": _list_url(kind, _row_year(kind, obj) if obj is not None else today().year),
    })


def _row(request, kind, pk):
    staff_or_403(request)
    rows = kind.model.objects.visible_to(request.user).kept().select_related(*kind.related)
    return get_object_or_404(rows, pk=pk)


def entry_add(request, kind):
    staff_or_403(request)
    return _entry_form(request, kind)


def entry_edit(request, kind, pk):
    return _entry_form(request, kind, _row(request, kind, pk))


def entry_cancel(request, kind, pk):
    obj = _row(request, kind, pk)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(user=request.user, obj=obj, reason=form.cleaned_data["reason"])
        except ValidationError as exc:  # an approved year (clubs.locks): said on the page, nothing changed
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Đã hủy: %(row)s.") % {"row": obj})
            return redirect(_list_url(kind, _row_year(kind, obj)))
    return render(request, "programme/entry_cancel.html", {
        "kind": kind, "kinds": KINDS.values(), "form": form, "obj": obj,
        "back": reverse(f"programme:{kind.key}_edit", args=[obj.pk]),
    })


def club_visits(request, club_code):
    """The supervision and support visits a club received, newest first."""
    club = get_club_for_user(request.user, club_code)
    visits = SupervisionVisit.objects.kept().filter(club=club).order_by("-date", "-pk")
    page = Paginator(visits, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "programme/club_visits.html", {
        "club": club, "page": page, "open_count": visits.open_follow_up().count(),
        "query_string": query_string(request),
    })
