"""Preparing, generating and downloading the annual report.

Officers report on the province or any former district; district staff only on their own former
district. Every report is reached through `AnnualReport.objects.visible_to(user)`, so another
district's report is a 404, for GET and POST alike; accounts without a staff role get 403.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clubs.models import staff_of
from clubs.submissions import once_per_submission
from jobs import services as jobs
from jobs.models import Job
from laichau_clb.routers import replica_view

from . import annual, programme_figures, report_files, tasks
from .forms import AnnualReportForm
from .models import AnnualReport

REPORTS_PER_PAGE = 50


def _require_staff(request):
    if staff_of(request.user) is None:
        raise PermissionDenied(annual.NO_PERMISSION)


def _report_for(request, pk):
    _require_staff(request)
    return get_object_or_404(AnnualReport.objects.visible_to(request.user).select_related("area", "plan"), pk=pk)


def report_list(request):
    _require_staff(request)
    reports = (
        AnnualReport.objects.visible_to(request.user)
        .select_related("area", "created_by")
        .annotate(version_count=Count("versions"), last_generated=Max("versions__generated_at"))
        .order_by("-year", "area__code", "-updated_at")
    )
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reporting/report_list.html", {"reports": page.object_list, "page": page})


@once_per_submission
def report_new(request):
    _require_staff(request)
    return _edit(request, None)


@once_per_submission
def report_edit(request, pk):
    return _edit(request, _report_for(request, pk))


def _edit(request, report):
    if report is None:
        staff = staff_of(request.user)
        lo, hi = annual.year_range()
        try:
            year = int(request.GET.get("year", hi - 1))
        except ValueError:
            year = hi - 1
        instance = annual.new_report(year=max(lo, min(hi, year)), area=staff.area, user=request.user)
        if request.GET.get("period") == AnnualReport.Period.HALF:
            instance.period = AnnualReport.Period.HALF
    else:
        instance = report
    form = AnnualReportForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = annual.save_report(report=form.save(commit=False), user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu dự thảo báo cáo."))
            return redirect("reporting:report_detail", pk=saved.pk)
    return render(request, "reporting/report_form.html", {"form": form, "report": report})


def report_detail(request, pk):
    report = _report_for(request, pk)
    versions = report.versions.select_related("generated_by").order_by("-number")
    running = Job.objects.visible_to(request.user).active().filter(subject=_subject(report)).first()
    return render(request, "reporting/report_detail.html", {"report": report, "versions": versions, "job": running,
                                                            "programme": programme_figures.for_report(report)})


def _subject(report):
    return f"report:{report.pk}"


@require_POST
@once_per_submission
def report_generate(request, pk):
    report = _report_for(request, pk)
    detail = reverse("reporting:report_detail", args=[report.pk])
    job = jobs.start(owner=request.user, kind=Job.Kind.REPORT, task=tasks.generate_report, subject=_subject(report),
                     params={"report": report.pk}, next_url=detail)
    # The task may have run already (the immediate backend, or a quick worker): say how it went, as before.
    if job.state == Job.State.DONE:
        messages.success(
            request, _("Đã tạo phiên bản %(n)d của báo cáo (số liệu đến %(d)s).")
            % {"n": job.result["number"], "d": job.result["data_date"]},
        )
        return redirect(detail)
    if job.state == Job.State.FAILED and job.result.get("refused"):
        messages.error(request, job.error)
        return redirect(detail)
    return redirect("jobs:detail", pk=job.pk)


@replica_view
def report_preview(request, pk):
    """The draft as it would print today, without keeping a version (for proofreading)."""
    report = _report_for(request, pk)
    pdf = report_files.render_pdf(annual.build_context(report))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report_files.file_stem(report)}-xem-truoc.pdf"'
    return response


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_download(request, pk, number, kind):
    report = _report_for(request, pk)
    if kind not in CONTENT_TYPES:
        raise Http404
    version = get_object_or_404(report.versions, number=number)
    stored = getattr(version, kind)
    if not stored:
        raise Http404
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=f"{report_files.file_stem(report, number)}.{kind}",
        content_type=CONTENT_TYPES[kind],
    )
