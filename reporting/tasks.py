"""Background work of reporting on Django's tasks API (django.tasks): the per-club figure rows of
reporting/figure_rows.py. Arguments are plain JSON (club ids, ISO dates), as a database backend stores them."""
import datetime

from django.tasks import task

from . import figure_rows


@task
def refresh_clubs(club_ids):
    """Recompute the kept rows of the clubs a committed write touched."""
    figure_rows.refresh(list(club_ids))


@task
def build_date(as_of):
    """Build every club's row of one date (today's after midnight), unless another task already did."""
    on = datetime.date.fromisoformat(as_of)
    if figure_rows.is_kept(on) and not figure_rows.FigureDate.objects.filter(as_of=on).exists():
        figure_rows.build(on)
