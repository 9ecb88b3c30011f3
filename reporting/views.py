"""The provincial dashboard (officers; district staff see their own former district) and plans."""
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clubs.access import officer_or_404, staff_or_403
from laichau_clb.routers import replica_view
from clubs.collation import vi_key
from clubs.fields import add_service_errors
from clubs.models import Area, Track

from . import allocation, charts, figure_rows, snapshots
from .forms import AsOfForm
from .figures import CHECKS, TRACKS
from .rollup import club_cells
from .indicators import compute, compute_breakdown
from .models import Plan
from .plan_forms import AllocationForm, PlanForm, TargetFormSet
from .plans import active_plan, chart_years, founding_schedule, progress
from .trajectory import trajectories

SCOPE_LEVELS = (Area.Level.PROVINCE, Area.Level.DISTRICT, Area.Level.COMMUNE)
CHECK_LABELS = {
    "size_ok": gettext_lazy("≥ 40 TV"),
    "women_ok": gettext_lazy("60–70% nữ"),
    "older_ok": gettext_lazy("60–70% NCT"),
    "composition_ok": gettext_lazy("Cơ cấu"),
    "funds_ok": gettext_lazy("Quỹ, quy chế"),
    "areas_ok": gettext_lazy("8 mảng"),
    "borrowers_ok": gettext_lazy("≥ 50% vay"),
    "well_run": gettext_lazy("Hiệu quả"),
    "meetings_ok": gettext_lazy("Sinh hoạt đủ"),
    "standard_ok": gettext_lazy("Đạt chuẩn"),
}
# The health and home-care columns (docs/indicators-care.md): (key, header, the header's long form).
CARE_COLUMNS = (
    ("members_checked", gettext_lazy("Khám/đo"), gettext_lazy("Thành viên được khám/đo trong năm")),
    ("older_checked", gettext_lazy("NCT khám/đo"), gettext_lazy("NCT được khám/đo trong năm")),
    ("members_high", gettext_lazy("HA cao"), gettext_lazy("Cần theo dõi huyết áp")),
    ("volunteers_active", gettext_lazy("TNV"), gettext_lazy("Tình nguyện viên chăm sóc tại nhà")),
    ("recipients_active", gettext_lazy("Được CS"), gettext_lazy("Người được chăm sóc")),
    ("recipients_visited_ok", gettext_lazy("Thăm đủ"), gettext_lazy("Được thăm đủ các tháng")),
    ("visits", gettext_lazy("Lượt thăm"), gettext_lazy("Lượt thăm trong năm")),
)
SORT_KEYS = ("code", "name", "commune_name", "n", "women", "older", "borrowers", *CHECKS,
             *(key for key, _label, _title in CARE_COLUMNS))
MATRIX_PAGE_SIZE = 100
PLANS_PER_PAGE = 50


def _figures(area, on, years):
    """Club rows and chart series for (area, D): figure_rows.cached_figures (the kept rows, or computed
    and cached until the next committed write)."""
    return figure_rows.cached_figures(area, on, years)



def _scope_area(request, staff):
    """The area named by ?area=level:code, within what the user may see; their own area by default."""
    text = request.GET.get("area", "")
    if not text:
        return staff.area  # the province or a former district: no commune's parent to show
    level, _sep, code = text.partition(":")
    if level not in SCOPE_LEVELS:
        raise Http404
    return get_object_or_404(
        Area.objects.visible_to(request.user).select_related("parent"), level=level, code=code
    )


def _link(on, area=None, **extra):
    params = {"on": on.isoformat()}
    if area is not None:
        level = getattr(area, "scope_level", None) or area.level
        code = getattr(area, "scope_code", None) or area.code
        params["area"] = f"{level}:{code}"
    params.update(extra)
    return "?" + urlencode(params)


@replica_view
def dashboard(request):
    staff = staff_or_403(request)
    today = timezone.localdate()
    date_form = AsOfForm({"on": request.GET.get("on", "")})
    on = date_form.day()
    area = _scope_area(request, staff)

    plan = active_plan(area, on, request.GET.get("plan") if (request.GET.get("plan") or "").isdigit() else None)
    years = chart_years(plan, on)
    bundle = _figures(area, on, years)
    rows, founded = bundle["rows"], bundle["founded"]
    cells = club_cells(rows, on)  # the province, its districts and its communes add up the same parts
    ind = compute(area=area, as_of=on, clubs=rows, cells=cells)
    by_district = by_commune = ()
    if area.level == Area.Level.PROVINCE:
        by_district = compute_breakdown(area=area, as_of=on, level="district", clubs=rows, cells=cells)
    if area.level in (Area.Level.PROVINCE, Area.Level.DISTRICT):
        by_commune = compute_breakdown(area=area, as_of=on, level="commune", clubs=rows, cells=cells)
    targets = progress(plan, ind, area)
    approval, approval_diffs = snapshots.approval_state(area, on, ind)

    sort = request.GET.get("sort", "code")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        sort, key = "code", "code"
    text = key in ("name", "commune_name")  # names in the order of the Vietnamese alphabet, as in the lists
    matrix = sorted(rows, key=lambda c: (vi_key(getattr(c, key)) if text else getattr(c, key), c.code),
                    reverse=sort.startswith("-"))
    page = Paginator(matrix, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))

    breadcrumb = []
    if staff.sees_all:
        breadcrumb.append((_("Toàn tỉnh"), _link(on)))
    if area.level == Area.Level.DISTRICT:
        breadcrumb.append((area.name, _link(on, area)))
    elif area.level == Area.Level.COMMUNE and area.parent:
        breadcrumb.append((area.parent.name, _link(on, area.parent)))
        breadcrumb.append((area.name, _link(on, area)))

    schedule = founding_schedule(plan, area)
    shortcut_years = range(min(plan.start_year if plan else today.year - 4, today.year - 1), today.year)
    context = {
        "on": on,
        "today": today,
        "date_errors": date_form.errors.get("on", []),
        "area": area,
        "area_param": "" if not request.GET.get("area") else f"{area.level}:{area.code}",
        "ind": ind,
        "by_district": [(d, _link(on, d)) for d in by_district],
        "by_commune": [(c, _link(on, c)) for c in by_commune],
        "plan": plan,
        "targets": targets,
        "trajectories": [(t, charts.trajectory_chart(t)) for t in trajectories(plan, targets, ind, area)],
        "matrix": page.object_list,
        "matrix_page": page,
        "matrix_total": len(matrix),
        "page_links": [(n, _link(on, area, sort=sort, page=n)) for n in page.paginator.page_range]
        if page.paginator.num_pages > 1 else [],
        "sort": sort,
        "sort_links": {k: _link(on, area, sort=("-" + k) if sort == k else k) for k in SORT_KEYS},
        "checks": [(name, CHECK_LABELS[name], _link(on, area, sort=("-" + name) if sort == name else name))
                   for name in CHECKS],
        "care_columns": [(name, label, title, _link(on, area, sort=("-" + name) if sort == name else name))
                         for name, label, title in CARE_COLUMNS],
        "breadcrumb": breadcrumb,
        "shortcuts": [(datetime.date(y, 12, 31), _link(datetime.date(y, 12, 31), area)) for y in shortcut_years],
        "today_link": _link(today, area),
        "chart_founded": charts.founded_chart(founded=founded, plan_schedule=schedule, years=years),
        "chart_members": charts.members_chart(bundle["bands"]),
        "chart_loans": charts.loans_chart(bundle["loans"]),
        "founded_tracks": [Track(t).label for t in TRACKS],
        "founded": [
            (y, [(founded[y][t], schedule.get((y, t))) for t in TRACKS]) for y in years
        ],
        "can_edit_plans": staff.sees_all,
        "approval": approval,
        "approval_diffs": approval_diffs,
    }
    return render(request, "reporting/dashboard.html", context)


# ------------------------------------------------------------------ plans


def _officer_or_403(request):
    staff = staff_or_403(request)
    if not staff.sees_all:
        raise PermissionDenied
    return staff


def plan_list(request):
    staff = staff_or_403(request)
    plans = (
        Plan.objects.visible_to(request.user).select_related("area").prefetch_related("targets")
        .annotate(not_set=Count("targets", filter=Q(targets__value__isnull=True)))
        .order_by("-start_year", "name", "pk")
    )
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reporting/plan_list.html", {"plans": page.object_list, "page": page,
                                                        "can_edit": staff.sees_all})


def plan_edit(request, pk=None):
    _officer_or_403(request)
    plan = get_object_or_404(Plan, pk=pk) if pk else None
    if request.method == "POST":
        form = PlanForm(request.POST, instance=plan)
        form_ok = form.is_valid()
        # The targets are checked against the years just typed, not the stored ones.
        formset = TargetFormSet(request.POST, instance=form.instance, prefix="targets")
        if form_ok and formset.is_valid():
            with transaction.atomic():
                saved = form.save()
                formset.instance = saved
                formset.save()
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect(reverse("reporting:plan_edit", args=[saved.pk]))
    else:
        form = PlanForm(instance=plan)
        formset = TargetFormSet(instance=plan or Plan(), prefix="targets")
    return render(request, "reporting/plan_form.html", {"form": form, "formset": formset, "plan": plan})


def plan_allocation(request, pk):
    """Officers allocate a province plan's targets to the districts; district staff never see it."""
    officer_or_404(request)
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("area"), pk=pk, area__level=Area.Level.PROVINCE)
    districts, columns = allocation.grid(plan)
    form = AllocationForm(request.POST or None, districts=districts, columns=columns)
    if request.method == "POST" and form.is_valid():
        try:
            allocation.allocate(plan=plan, values=form.values(), user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu phân bổ chỉ tiêu."))
            return redirect(reverse("reporting:plan_allocation", args=[plan.pk]))
    rows = [(d, [(c, form[form.cell_name(d, c)]) for c in columns]) for d in districts]
    return render(request, "reporting/plan_allocation.html",
                  {"plan": plan, "districts": districts, "columns": columns, "rows": rows, "form": form})
