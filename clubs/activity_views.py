"""A club's activities by area and month (the activity calendar and the month's sheet) and its
meetings: the pages of the two books a club keeps of what it does."""
import datetime
from collections import defaultdict
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import activity_services, services
from .access import get_club_for_user
from .paging import year_param
from .forms import ActivitySheet, MeetingForm
from .models import ActivityArea, Meeting
from .views import _calendar, _saved


def activity_calendar(request, code):
    club = get_club_for_user(request.user, code)
    today = services.today()
    year = year_param(request, default=today.year, first=2000, last=today.year + 1)
    return render(request, "clubs/activity_calendar.html", {
        "club": club, "year": year, "calendar": _calendar(club, year), "areas": list(ActivityArea),
        "years": range(max(club.founded_on.year, 2017), services.today().year + 1),
    })


def _sheet_initial(club, year, month):
    first, last = activity_services.month_bounds(year, month)
    by_area = defaultdict(list)
    for activity in club.activities.filter(date__range=(first, last)).order_by("date", "pk"):
        by_area[activity.area].append(activity)
    rows = []
    for area in ActivityArea:
        for activity in by_area[area.value]:
            rows.append({"id": activity.pk, "area": area.value, "date": activity.date, "content": activity.content,
                         "participants": activity.participants})
        rows.append({"id": None, "area": area.value})  # a blank line to add one more in this area
    return rows


def activity_sheet(request, code, year, month):
    club = get_club_for_user(request.user, code)
    if not 1 <= month <= 12 or not 2000 <= year <= services.today().year + 1:
        raise Http404
    if request.method == "POST":
        formset = ActivitySheet(request.POST, year=year, month=month, prefix="rows")
        if not formset.is_valid():
            # The sheet's rules on every cell the forms could read, so one submission shows every error.
            rows = [form.cleaned_data if form.cleaned_data.get("area") else None for form in formset.forms]
            try:
                activity_services.activity_sheet_check(club=club, year=year, month=month, rows=rows)
            except ValidationError as exc:
                for key, errors in exc.error_dict.items():
                    index, field = key.split(".", 1)
                    form = formset.forms[int(index)]
                    if field not in form.errors:
                        form.add_error(field if field in form.fields else None, errors)
        else:
            rows = [form.cleaned_data for form in formset.forms if form.cleaned_data.get("area")]
            try:
                created, updated = activity_services.activity_sheet_save(user=request.user, club=club, year=year, month=month, rows=rows)
            except ValidationError as exc:
                for key, errors in exc.error_dict.items():
                    if "." in key:
                        index, field = key.split(".", 1)
                        formset.forms[int(index)].add_error(field, errors)
                    else:
                        formset.forms[0].add_error(None, errors)
            else:
                messages.success(request, _("Đã lưu sổ hoạt động tháng %(m)02d/%(y)d: %(c)d mới, %(u)d sửa.") % {
                    "m": month, "y": year, "c": created, "u": updated})
                return redirect("clubs:activity_sheet", club.code, year, month)
    else:
        formset = ActivitySheet(initial=_sheet_initial(club, year, month), year=year, month=month, prefix="rows")
    first = datetime.date(year, month, 1)
    prev_month = (first - datetime.timedelta(days=1))
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "clubs/activity_sheet.html", {
        "club": club, "formset": formset, "year": year, "month": month,
        "prev": prev_month, "next": next_month if next_month <= services.today() else None,
        "errors": any(f.errors for f in formset.forms),
        "error_summary": _sheet_error_summary(formset),
    })


def _sheet_error_summary(formset):
    """(area, date typed, message) for every wrong cell, listed on top of the long sheet."""
    if not formset.is_bound:
        return []
    summary = []
    for form in formset.forms:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                summary.append((form.area_label(), label, message))
    return summary


# ---------------------------------------------------------------- meetings


def meeting_list(request, code):
    club = get_club_for_user(request.user, code)
    meetings = club.meetings.annotate(present=Count("attendees")).order_by("-held_on")
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(request, "clubs/meeting_list.html", {"club": club, "page": page})


def _meeting_form(request, club, meeting=None):
    if meeting is not None:
        initial = {"held_on": meeting.held_on, "notes": meeting.notes, "attendees": meeting.attendees.all()}
    else:
        initial = {"held_on": services.today()}
    form = MeetingForm(request.POST or None, club=club, meeting=meeting, initial=initial)
    if _saved(request, form, partial(activity_services.meeting_record, user=request.user, club=club, meeting=meeting), _("Đã lưu buổi sinh hoạt.")):
        return redirect("clubs:meetings", club.code)
    form.offer_confirmations()
    return render(request, "clubs/meeting_form.html", {"club": club, "form": form, "meeting": meeting})


def meeting_add(request, code):
    return _meeting_form(request, get_club_for_user(request.user, code))


def meeting_edit(request, code, pk):
    club = get_club_for_user(request.user, code)
    return _meeting_form(request, club, get_object_or_404(Meeting, club=club, pk=pk))
