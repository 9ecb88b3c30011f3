"""Generating an annual or six-month report as a django.tasks task (see jobs/)."""
from django.tasks import task

from jobs.runner import Outcome, run_job

from . import report_files
from .models import AnnualReport


def _generate(job, progress):
    report = AnnualReport.objects.select_related("area", "plan").get(pk=job.params["report"])
    version = report_files.generate_version(report=report, user=job.owner, progress=progress)
    return Outcome({"number": version.number, "data_date": version.data_date.strftime("%d/%m/%Y")})


@task(takes_context=True)
def generate_report(context, job_id, attempt):
    return run_job(context, job_id, attempt, _generate)
