"""A club's home care: its volunteers and recipients with the "not visited this month" flag, the forms of a
care period and of a visit, and the month sheet. Scoped as the health pages (clubs.access)."""
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clubs import rules as club_rules
from clubs.access import get_club_for_user
from clubs.activity_services import month_bounds
from clubs.collation import vi_order
from clubs.fields import add_check_errors
from clubs.paging import query_string
from clubs.services import today

from . import home_services as home
from .home_forms import CareForm, MonthSheetForm, VisitForm
from .models import Care, Help, Visit, covering_q
from .reads import not_visited_in_month

RECIPIENTS_PER_PAGE = 30
ENDED_PER_PAGE = 30
VISITS_PER_PAGE = 50


def club_home_care(request, club_code):
    club = get_club_for_user(request.user, club_code)
    on = today()
    first, _last = month_bounds(on.year, on.month)
    cares = Care.objects.of_club(club)
    volunteers = (club.members.active(on=on).filter(is_homecare_volunteer=True)
                  .annotate(recipients=Count("care_assignments", filter=covering_q(on, "care_assignments__")))
                  .order_by(vi_order("full_name"), "pk"))
    kept = Q(visits__removed=False)
    current = (cares.covering(on).select_related("member").prefetch_related("volunteers")
               .annotate(last_visit=Max("visits__date", filter=kept),
                         visits_month=Count("visits", filter=kept & Q(visits__date__gte=first, visits__date__lte=on)))
               .order_by(vi_order("member__full_name"), "pk"))
    page = Paginator(current, RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    flagged = not_visited_in_month(cares.covering(on), year=on.year, month=on.month, on=on)
    rows = [(care, care.member_id in flagged) for care in page]
    ended = (cares.filter(ended_on__lte=on).select_related("member").prefetch_related("volunteers")
             .order_by("-ended_on", "pk"))
    ended_page = Paginator(ended, ENDED_PER_PAGE).get_page(request.GET.get("ended_page"))
    return render(request, "care/home_club.html", {
        "club": club, "on": on, "volunteers": volunteers, "page": page, "rows": rows,
        "not_visited": len(flagged), "ended_page": ended_page,
        "query_string": query_string(request), "ended_query_string": query_string(request, "ended_page"),
    })


def _care_form(request, club, care=None):
    on = today()
    if care is not None:
        initial = {"started_on": care.started_on, "ended_on": care.ended_on, "reason": care.reason,
                   "note": care.note, "volunteers": list(care.volunteers.all())}
    else:
        initial = {"started_on": on, "reason": Care.Reason.LIMITED_MOBILITY}
    form = CareForm(request.POST or None, club=club, on=on, care=care, initial=initial)
    if request.method == "POST":
        valid = form.is_valid()
        data = form.cleaned_data
        member = care.member if care is not None else data.get("member")
        values = {"started_on": data.get("started_on"), "ended_on": data.get("ended_on"),
                  "volunteers": list(data.get("volunteers") or [])}
        try:
            if valid:
                saved = home.care_save(user=request.user, member=member, care=care, reason=data["reason"],
                                       note=data.get("note", ""), **values)
            elif member is not None:
                # The service's rules on what the form could read, so one submission shows every error.
                home.care_errors(member=member, care=care, **values).raise_if_any()
        except ValidationError as exc:
            if valid:
                form.add_service_errors(exc)
            else:
                add_check_errors(form, exc)
        else:
            if valid:
                messages.success(request, _("Đã lưu thời gian chăm sóc %(name)s.") % {"name": saved.member.full_name})
                return redirect("care:home", club.code)
    visits = None
    if care is not None:
        visits = Paginator(care.visits.kept().select_related("volunteer").order_by("-date", "-pk"),
                           VISITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "care/care_form.html", {"club": club, "form": form, "care": care, "page": visits,
                                                   "query_string": query_string(request)})


def care_add(request, club_code):
    return _care_form(request, get_club_for_user(request.user, club_code))


def _care_of(club, pk):
    return get_object_or_404(Care.objects.of_club(club).select_related("member__club"), pk=pk)


def care_edit(request, club_code, pk):
    club = get_club_for_user(request.user, club_code)
    return _care_form(request, club, _care_of(club, pk))


def _visit_form(request, club, care, visit=None):
    if visit is not None:
        initial = {"volunteer": visit.volunteer_id, "date": visit.date, "kinds": visit.kinds,
                   "minutes": visit.minutes, "note": visit.note}
    else:
        assigned = list(care.volunteers.all()[:2])
        initial = {"date": today(), "kinds": [Help.CHEER],
                   "volunteer": assigned[0].pk if len(assigned) == 1 else None}
    form = VisitForm(request.POST or None, care=care, visit=visit, initial=initial)
    if request.method == "POST":
        valid = form.is_valid()
        values = form.check_values()
        try:
            if valid:
                home.visit_save(user=request.user, care=care, visit=visit, note=form.cleaned_data.get("note", ""),
                                **values)
            else:
                home.visit_errors(care=care, visit=visit, **values).raise_if_any()
        except ValidationError as exc:
            if valid:
                form.add_service_errors(exc)
            else:
                add_check_errors(form, exc)
        else:
            if valid:
                messages.success(request, _("Đã lưu lần thăm %(name)s ngày %(date)s.") % {
                    "name": care.member.full_name, "date": club_rules.d(values["on"])})
                return redirect("care:care_edit", club.code, care.pk)
    return render(request, "care/visit_form.html", {"club": club, "care": care, "visit": visit, "form": form})


def visit_add(request, club_code, pk):
    club = get_club_for_user(request.user, club_code)
    return _visit_form(request, club, _care_of(club, pk))


def _visit_of(club, pk):
    return get_object_or_404(Visit.objects.kept().filter(care__member__club=club)
                             .select_related("care__member__club", "volunteer"), pk=pk)


def visit_edit(request, club_code, pk):
    club = get_club_for_user(request.user, club_code)
    visit = _visit_of(club, pk)
    return _visit_form(request, club, visit.care, visit)


def visit_remove(request, club_code, pk):
    club = get_club_for_user(request.user, club_code)
    visit = _visit_of(club, pk)
    refused = []
    if request.method == "POST":
        try:
            home.visit_remove(user=request.user, visit=visit)
        except ValidationError as exc:  # an approved year (clubs.locks): said on the page, nothing changed
            refused = exc.messages
        else:
            messages.success(request, _("Đã bỏ lần thăm ngày %(date)s.") % {"date": club_rules.d(visit.date)})
            return redirect("care:care_edit", club.code, visit.care_id)
    return render(request, "care/visit_remove.html", {"club": club, "visit": visit, "care": visit.care,
                                                      "refused": refused})


# ---------------------------------------------------------------- the month sheet


def _picked_month(request, club, on):
    """(year, month) the page's month selector asks for (?year=&month=), None when it asks for none or
    for one it does not offer."""
    try:
        year, month = int(request.GET["year"]), int(request.GET["month"])
    except (KeyError, ValueError):
        return None
    return (year, month) if 1 <= month <= 12 and year in _sheet_years(club, on) else None


def _sheet_years(club, on):
    return range(max(club.founded_on.year, 2000), on.year + 1)


def _sheet_people(club, first, last):
    """The sheet's columns, recipients cared for on a day of the month, and rows, the club's volunteers
    active on a day of it with whoever already visited one of those recipients that month."""
    cares = list(Care.objects.of_club(club).overlapping(first, last).select_related("member")
                 .order_by(vi_order("member__full_name"), "started_on", "pk"))
    visits = list(Visit.objects.kept().between(first, last).filter(care__in=[c.pk for c in cares])
                  .values_list("volunteer_id", "care_id", "date"))
    volunteers = list(club.members.filter(
        Q(is_homecare_volunteer=True, joined_on__lte=last) & (Q(left_on__isnull=True) | Q(left_on__gt=first))
        | Q(pk__in={v for v, _c, _d in visits})).order_by(vi_order("full_name"), "pk"))
    return volunteers, cares, visits


def month_sheet(request, club_code, year, month):
    club = get_club_for_user(request.user, club_code)
    on = today()
    if not 1 <= month <= 12 or year not in _sheet_years(club, on):
        raise Http404
    picked = _picked_month(request, club, on)
    if request.method == "GET" and picked and picked != (year, month):
        return redirect("care:home_sheet", club.code, *picked)
    first, last = month_bounds(year, month)
    volunteers, cares, visits = _sheet_people(club, first, last)
    days = {}
    for volunteer_id, care_id, date in sorted(visits, key=lambda row: row[2]):
        days.setdefault(f"c{volunteer_id}_{care_id}", []).append(str(date.day))
    initial = {"kinds": [Help.CHEER], **{name: ", ".join(found) for name, found in days.items()}}
    form = MonthSheetForm(request.POST or None, year=year, month=month, volunteers=volunteers, cares=cares,
                          initial=initial)
    if request.method == "POST":
        valid = form.is_valid()
        cells, kinds = form.cleaned_data.get("cells", {}), form.cleaned_data.get("kinds") or []
        try:
            if valid:
                added, removed = home.month_sheet_save(user=request.user, club=club, year=year, month=month,
                                                       cells=cells, kinds=kinds)
            else:
                home.month_sheet_errors(club=club, year=year, month=month, cells=cells, kinds=kinds).raise_if_any()
        except ValidationError as exc:
            form.add_service_errors(exc, skip_filled=not valid)
        else:
            if valid:
                messages.success(request, _("Đã lưu sổ thăm tháng %(m)02d/%(y)d: %(a)d lần thăm mới, %(r)d lần bỏ.")
                                 % {"m": month, "y": year, "a": added, "r": removed})
                return redirect("care:home_sheet", club.code, year, month)
    flagged = not_visited_in_month(Care.objects.filter(pk__in=[c.pk for c in cares]), year=year, month=month,
                                   on=min(on, last)) if cares else set()
    columns = [(care, care.member_id in flagged) for care in cares]
    previous = first - datetime.timedelta(days=1)
    following = last + datetime.timedelta(days=1)
    summary = []
    if form.errors:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            summary += [(label, message) for message in errors]
    return render(request, "care/home_sheet.html", {
        "club": club, "form": form, "year": year, "month": month, "columns": columns,
        "prev": previous, "next": following if following <= on else None, "summary": summary,
        "years": _sheet_years(club, on), "months": range(1, 13),
    })
