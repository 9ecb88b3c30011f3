"""The monthly completeness pages (issue 15): a month by club, and a year's 12-month grid."""
import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from clubs.access import staff_or_403
from clubs.paging import query_string, year_param
from clubs.models import Area, Club
from laichau_clb.routers import replica_view

from .completeness import month_completeness, year_grid
from .views import _scope_area

GRID_PAGE_SIZE = 100


def _month(request, today):
    """?month=YYYY-MM within 2017..this month; this month otherwise."""
    text = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in text.split("-"))
        chosen = datetime.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)
    return chosen if datetime.date(2017, 1, 1) <= chosen <= today else today.replace(day=1)


def _area_param(area):
    return "" if area.level == Area.Level.PROVINCE else f"{area.level}:{area.code}"


@replica_view
def completeness(request):
    staff = staff_or_403(request)
    today = timezone.localdate()
    area = _scope_area(request, staff)
    first = _month(request, today)
    clubs = Club.objects.visible_to(request.user).in_area(area)
    found = month_completeness(clubs, year=first.year, month=first.month, today=today)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    page = Paginator(found.rows, GRID_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reporting/completeness.html", {
        "area": area, "area_param": _area_param(area), "first": first, "found": found, "page": page,
        "previous": previous if previous.year >= 2017 else None,
        "following": following if following <= today else None,
        "sees_all": staff.sees_all, "query_string": query_string(request),
    })


@replica_view
def completeness_year(request):
    staff = staff_or_403(request)
    today = timezone.localdate()
    area = _scope_area(request, staff)
    year = year_param(request, default=today.year, first=2017, last=today.year)
    grid = year_grid(Club.objects.visible_to(request.user).in_area(area), year=year, today=today)
    page = Paginator(grid, GRID_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reporting/completeness_year.html", {
        "area": area, "area_param": _area_param(area), "year": year, "page": page,
        "years": range(today.year, 2016, -1), "months": range(1, 13), "query_string": query_string(request),
    })
