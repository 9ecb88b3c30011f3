from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clubs.access import get_club_for_user, staff_or_403
from clubs.models import Area, Club
from clubs.submissions import once_per_submission
from jobs import services as jobs
from jobs.models import Job

from . import tasks
from .forms import UploadForm
from .importer import SHEET_PAGE, import_workbook
from .models import Upload
from .reader import UnsafeWorkbook
from .stored import StoredResult
from .spec import SHEETS
from .xlsx import communes_for, export_workbook, marked_copy, template_workbook, to_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



def _xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _index(request, form, status=200):
    staff = staff_or_403(request)
    areas = Area.objects.visible_to(request.user).filter(level__in=[Area.Level.DISTRICT, Area.Level.COMMUNE])
    context = {
        "form": form,
        "staff": staff,
        "districts": [a for a in areas if a.level == Area.Level.DISTRICT],
        "communes": [a for a in areas if a.level == Area.Level.COMMUNE],
        "club_count": Club.objects.visible_to(request.user).count(),
        "uploads": Upload.objects.filter(user=request.user)[:10],
    }
    return render(request, "workbook/index.html", context, status=status)


def index(request):
    return _index(request, UploadForm())


def template_download(request):
    staff_or_403(request)
    return _xlsx_response(to_bytes(template_workbook(communes=communes_for(request.user))), "mau-nhap-lieu-clb.xlsx")


def export(request):
    staff_or_403(request)
    clubs = Club.objects.visible_to(request.user)
    scope = "tat-ca"
    if request.GET.get("club"):
        club = get_club_for_user(request.user, request.GET["club"])
        clubs, scope = clubs.filter(pk=club.pk), club.code
    elif request.GET.get("area"):
        if not request.GET["area"].isdigit():
            raise Http404
        area = get_object_or_404(Area.objects.visible_to(request.user), pk=request.GET["area"])
        clubs, scope = clubs.in_area(area), area.code
    name = f"clb-{scope}-{timezone.localdate():%Y%m%d}.xlsx"
    if clubs.count() > settings.WORKBOOK_EXPORT_INLINE_CLUBS:
        # Many clubs take long enough to write that the browser would wait with no word: a task.
        params = {"area": int(request.GET["area"]) if request.GET.get("area") else None, "file_name": name}
        job = jobs.start(owner=request.user, kind=Job.Kind.EXPORT, task=tasks.export_clubs, params=params)
        return redirect("jobs:detail", pk=job.pk)
    book = export_workbook(clubs, communes=communes_for(request.user))
    return _xlsx_response(to_bytes(book), name)


@require_POST
@once_per_submission
def upload(request):
    staff_or_403(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form, status=400)
    f = form.cleaned_data["file"]
    record = Upload(user=request.user, original_name=f.name[:255], size=f.size)
    record.file.save(f"{record.id}.xlsx", ContentFile(form.cleaned_data["data"]), save=False)
    record.save()
    _check(request, record)
    return redirect("workbook:preview", pk=record.pk)


def _check(request, record):
    return jobs.start(owner=request.user, kind=Job.Kind.IMPORT_CHECK, task=tasks.check_upload, subject=record.pk,
                      params={"upload": str(record.pk)}, next_url=reverse("workbook:preview", args=[record.pk]))


def _upload_for(request, pk):
    """Only the person who uploaded a file may see, confirm or download it."""
    staff_or_403(request)
    return get_object_or_404(Upload, pk=pk, user=request.user)


def _preview(request, record, result, status=200, job=None):
    return render(request, "workbook/preview.html", {"upload": record, "result": result, "job": job}, status=status)


def _outcome(request, record, job, status=200):
    """The page for an upload whose last job (check or import) is `job`: its progress, its failure, or
    what it found. A file that cannot be read goes back to the upload form with the reason, as before."""
    if record.imported_at:
        return _preview(request, record, None)
    if job.state == Job.State.FAILED and job.result.get("refused"):
        messages.error(request, job.error)
        return redirect("workbook:index")
    if job.state != Job.State.DONE:
        return _preview(request, record, None, job=job)
    return _preview(request, record, StoredResult(job.result), status=status)


def _last_job(record):
    return Job.objects.filter(subject=str(record.pk), kind__in=[Job.Kind.IMPORT_CHECK, Job.Kind.IMPORT_WRITE]).first()


def preview(request, pk):
    record = _upload_for(request, pk)
    if record.imported_at:
        return _preview(request, record, None)
    job = _last_job(record)
    if job is None:  # uploaded before imports ran as tasks
        job = _check(request, record)
    return _outcome(request, record, jobs.notice_stale(job))


def sheet_rows(request, pk, key):
    """One sheet of an upload, a page of its valid rows at a time, in file order (the preview shows the first)."""
    record = _upload_for(request, pk)
    if record.imported_at or key not in {s.key for s in SHEETS}:
        raise Http404
    data = record.read()
    wanted = request.GET.get("page", "1")
    wanted = int(wanted) if wanted.isdigit() and 0 < len(wanted) < 7 else 1

    def page_of(number):
        window = (key, (number - 1) * SHEET_PAGE, number * SHEET_PAGE)
        return _sheet_of(import_workbook(data, user=request.user, commit=False, window=window), key)

    try:
        summary = page_of(wanted)
        page = Paginator(range(summary.total), SHEET_PAGE).get_page(wanted)
        if page.number != wanted:  # past the last page: the last one (validated again, rarely)
            summary = page_of(page.number)
    except UnsafeWorkbook as exc:
        messages.error(request, str(exc))
        return redirect("workbook:index")
    return render(request, "workbook/sheet.html", {"upload": record, "sheet": summary, "page": page})


def _sheet_of(result, key):
    summary = next((s for s in result.sheets if s.key == key), None)
    if summary is None:
        raise Http404
    return summary


@require_POST
@once_per_submission
def confirm(request, pk):
    record = _upload_for(request, pk)
    if record.imported_at:
        messages.info(request, _("Tệp này đã được nhập rồi."))
        return redirect("workbook:preview", pk=record.pk)
    last = _last_job(record)
    if last is not None and last.active:  # a second click while the first import runs: that one goes on
        return redirect("workbook:preview", pk=record.pk)
    job = jobs.start(owner=request.user, kind=Job.Kind.IMPORT_WRITE, task=tasks.write_upload, subject=record.pk,
                     params={"upload": str(record.pk), "confirm_duplicates": bool(request.POST.get("confirm_duplicates"))},
                     next_url=reverse("workbook:preview", args=[record.pk]))
    if job.state == Job.State.DONE:
        # The task has already run (the immediate backend, or a worker quicker than this request).
        record.refresh_from_db()
        result = StoredResult(job.result)
        if not record.imported_at:
            return _outcome(request, record, job, status=400)
        if not job.result.get("already"):
            messages.success(request, _("Đã nhập xong: %(n)s dòng được thêm hoặc cập nhật.") % {"n": result.changes})
    elif job.state == Job.State.FAILED and job.result.get("refused"):
        return _outcome(request, record, job)
    return redirect("workbook:preview", pk=record.pk)


def errors_download(request, pk):
    record = _upload_for(request, pk)
    data = record.read()
    try:
        result = import_workbook(data, user=request.user, commit=False, marks=True)
    except UnsafeWorkbook as exc:
        messages.error(request, str(exc))
        return redirect("workbook:index")
    name = record.original_name.rsplit(".", 1)[0]
    return _xlsx_response(marked_copy(data, result.marks), f"{name}-loi.xlsx")
