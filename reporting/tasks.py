"""Background work of reporting on Django's tasks API (django.tasks): the per-club figure rows of
reporting/figure_rows.py, and generating an annual or six-month report (see jobs/). Arguments are plain
JSON (ids, ISO dates), as a database backend stores them."""
import datetime

from django.tasks import task

from jobs.runner import Outcome, run_job

from . import figure_rows, report_files
from .models import AnnualReport


@task
def refresh_clubs(club_ids):
    """Recompute the kept rows of the clubs a committed write touched."""
    figure_rows.refresh(list(club_ids))


@task
def build_date(as_of):
    """Build every club's row of one date (today's after midnight), unless another task already did."""
    on = datetime.date.fromisoformat(as_of)
    if figure_rows.is_kept(on) and not figure_rows.FigureDate.objects.filter(as_of=on).exists():
        figure_rows.build_all([on])


def _generate(job, progress):
    report = AnnualReport.objects.select_related("area", "plan").get(pk=job.params["report"])
    version = report_files.generate_version(report=report, user=job.owner, progress=progress)
    return Outcome({"number": version.number, "data_date": version.data_date.strftime("%d/%m/%Y")})


@task(takes_context=True)
def generate_report(context, job_id, attempt):
    return run_job(context, job_id, attempt, _generate)
