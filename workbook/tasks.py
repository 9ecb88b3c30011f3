"""The workbook's long work as django.tasks tasks (see jobs/): checking an upload, importing it, a large export.

Each task takes (job_id, attempt) and runs through jobs.runner.run_job, which records progress and outcome.
"""
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from clubs.models import Area, Club
from jobs.runner import JobRefused, Outcome, run_job

from .importer import import_workbook
from .models import Upload
from .reader import UnsafeWorkbook
from .messages import EXPORTING
from .stored import as_json


def note_failure(record, summary):
    """What the list of uploads says of a file not imported: refused (with its count of errors) or not."""
    if record.summary != summary:
        record.summary = summary
        record.save(update_fields=["summary"])


def _check(job, progress):
    record = Upload.objects.get(pk=job.params["upload"])
    try:
        result = import_workbook(record.read(), user=job.owner, commit=False, progress=progress)
    except UnsafeWorkbook as exc:
        note_failure(record, {"unreadable": True})
        raise JobRefused(str(exc)) from None
    note_failure(record, {"errors": result.problem_count} if result.problem_count else {})
    return Outcome(as_json(result))


def _write(job, progress):
    # One transaction with the upload locked: a double click (or a retry) imports once, and the rows and
    # the "imported" mark are saved together or not at all. The file is validated again: the database
    # may have changed since the check.
    with transaction.atomic():
        record = Upload.objects.select_for_update().get(pk=job.params["upload"])
        if record.imported_at:
            return Outcome({"already": True})
        try:
            result = import_workbook(record.read(), user=job.owner, commit=True, progress=progress,
                                     confirm_duplicates=job.params.get("confirm_duplicates", False))
        except UnsafeWorkbook as exc:
            raise JobRefused(str(exc)) from None
        if result.saved:
            record.imported_at = timezone.now()
            record.summary = {s.name: {"create": s.create, "update": s.update, "unchanged": s.unchanged} for s in result.sheets}
            record.save(update_fields=["imported_at", "summary"])
    return Outcome(as_json(result))


def _export(job, progress):
    from .xlsx import communes_for, export_workbook, to_bytes

    clubs = Club.objects.visible_to(job.owner)
    if job.params.get("area"):
        clubs = clubs.in_area(Area.objects.get(pk=job.params["area"]))
    progress.step(EXPORTING, total=clubs.count())
    content = to_bytes(export_workbook(clubs, communes=communes_for(job.owner)))
    return Outcome({"clubs": progress.total}, file_name=job.params["file_name"], content=content)


@task(takes_context=True)
def check_upload(context, job_id, attempt):
    return run_job(context, job_id, attempt, _check)


@task(takes_context=True)
def write_upload(context, job_id, attempt):
    return run_job(context, job_id, attempt, _write)


@task(takes_context=True)
def export_clubs(context, job_id, attempt):
    return run_job(context, job_id, attempt, _export)
