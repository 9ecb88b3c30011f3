"""Plans from Excel, for officers (district staff get 404, as on the plan's allocation grid): the
template, an existing plan's export, a new plan from a file, and an existing plan's targets from one."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from clubs.access import officer_or_404
from clubs.fields import add_service_errors
from clubs.models import Area
from clubs.submissions import once_per_submission
from reporting.models import Plan
from reporting.plan_forms import PlanForm
from reporting.plan_import import plan_import

from .forms import UploadForm
from .plan_sheet import export_rows, plan_areas, plan_workbook, read_targets
from .reader import UnsafeWorkbook
from .views import _xlsx_response
from .xlsx import to_bytes



def _plan(request, pk):
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("area"), pk=pk)


def plan_template(request):
    officer_or_404(request)
    return _xlsx_response(to_bytes(plan_workbook(areas=plan_areas())), "mau-ke-hoach.xlsx")


def plan_export(request, pk):
    officer_or_404(request)
    plan = _plan(request, pk)
    book = plan_workbook(export_rows(plan), areas=plan_areas())
    return _xlsx_response(to_bytes(book), f"ke-hoach-{plan.pk}-{plan.start_year}-{plan.end_year}.xlsx")


def _read(upload, **plan):
    """(rows, problems) of a valid upload; an unreadable file is the file field's error."""
    try:
        return read_targets(upload.cleaned_data["data"], **plan)
    except UnsafeWorkbook as exc:
        upload.add_error("file", str(exc))
        return [], []


def _saved(request, outcome):
    messages.success(request, _("Đã nhập chỉ tiêu từ Excel: %(created)s thêm mới, %(updated)s cập nhật, "
                                "%(unchanged)s không đổi.") % {
        "created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged})
    return redirect(reverse("reporting:plan_edit", args=[outcome.plan.pk]))


def _page(request, *, form, upload, problems, plan=None, status=200):
    context = {"form": form, "upload": upload, "plan": plan, "problems": list(problems),
               "problem_count": len(problems)}
    return render(request, "workbook/plan_import.html", context, status=status)


@once_per_submission
def plan_import_new(request):
    officer_or_404(request)
    if request.method != "POST":
        province = Area.objects.filter(level=Area.Level.PROVINCE).first()
        return _page(request, form=PlanForm(initial={"area": province}), upload=UploadForm(), problems=[])
    form, upload = PlanForm(request.POST), UploadForm(request.POST, request.FILES)
    header_ok, file_ok = form.is_valid(), upload.is_valid()
    rows, problems = [], []
    if file_ok:
        # The rows are checked against the header just typed, as far as it is valid.
        header = form.cleaned_data
        rows, problems = _read(upload, plan_area=header.get("area"), start=header.get("start_year"),
                               end=header.get("end_year"))
    if header_ok and upload.is_valid() and not problems:
        try:
            return _saved(request, plan_import(fields=form.cleaned_data, rows=rows, user=request.user))
        except ValidationError as exc:
            add_service_errors(upload, exc)
    return _page(request, form=form, upload=upload, problems=problems, status=400)


@once_per_submission
def plan_import_into(request, pk):
    """An existing plan's targets from a file: a row the plan has (same area, indicator, year, track)
    is updated, a new one added, and the plan's targets absent from the file stay as they are."""
    officer_or_404(request)
    plan = _plan(request, pk)
    if request.method != "POST":
        return _page(request, form=None, upload=UploadForm(), problems=[], plan=plan)
    upload = UploadForm(request.POST, request.FILES)
    rows, problems = [], []
    if upload.is_valid():
        rows, problems = _read(upload, plan_area=plan.area, start=plan.start_year, end=plan.end_year)
    if upload.is_valid() and not problems:
        try:
            return _saved(request, plan_import(plan=plan, rows=rows, user=request.user))
        except ValidationError as exc:
            add_service_errors(upload, exc)
    return _page(request, form=None, upload=upload, problems=problems, plan=plan, status=400)
