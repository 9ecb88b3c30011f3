"""The page of a job: its progress while it runs (htmx polls the status fragment), then its outcome."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clubs.access import staff_or_403

from . import services
from .models import Job


def job_for(request, pk):
    """The job if it is the user's own, or the user is an officer; anyone else gets a 404."""
    staff_or_403(request)
    job = get_object_or_404(Job.objects.visible_to(request.user).select_related("owner"), pk=pk)
    return services.notice_stale(job)


def detail(request, pk):
    job = job_for(request, pk)
    # The outcome's own page (an upload's preview) may be its owner's alone: officers stay here.
    if job.state == Job.State.DONE and job.next_url and not job.file and job.owner_id == request.user.pk:
        return redirect(job.next_url)
    return render(request, "jobs/detail.html", {"job": job})


def status(request, pk):
    """The progress fragment. Once the job has ended the page that shows it reloads to show the outcome."""
    job = job_for(request, pk)
    if not job.active and request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "jobs/status.html", {"job": job})


@require_POST
def retry(request, pk):
    job = job_for(request, pk)
    try:
        services.retry(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("jobs:detail", pk=job.pk)


def download(request, pk):
    job = job_for(request, pk)
    if job.state != Job.State.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)
