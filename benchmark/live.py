"""The province page cold right after a write (issue 16 §2): p50 and p95 over 20 tries, with the figures
computed live (before) and read from the per-club rows kept by reporting/figure_rows.py (after)."""
import statistics
import time

from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from benchmark.dataset import CONFIG, ms

TRIES = 20
LIVE_TRIES = 5  # the live page takes seconds at national scale: enough to compare, on a shared machine
TARGET_SECONDS = 0.3
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def section(*, stdout):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from django_tasks_db.models import DBTaskResult

    from clubs.models import Area, Club, Staff
    from funds import services as fund_services
    from funds.models import EntryKind, Fund, Source
    from clubs import compiled
    from reporting import figure_rows, indicators
    from reporting.models import ClubFigureRow, FigureDate
    from reporting.plans import active_plan, chart_years

    as_of = CONFIG["as_of"]
    user, _ = get_user_model().objects.get_or_create(username="bench.officer")
    Staff.objects.get_or_create(user=user, defaults={"role": Staff.Role.OFFICER})
    province = Area.objects.get(level=Area.Level.PROVINCE)
    years = chart_years(active_plan(province, as_of, None), as_of)
    # Today's rows too: a deployment keeps them, and the first write of a day without them builds them.
    dates = sorted({as_of, *indicators.year_ends(as_of, years), timezone.localdate()})
    clubs = list(Club.objects.active(on=as_of).order_by("pk").values_list("pk", flat=True))
    picks = [clubs[i * len(clubs) // TRIES] for i in range(TRIES)] if len(clubs) > TRIES else clubs  # spread out
    url = reverse("reporting:dashboard") + f"?on={as_of.isoformat()}"
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def write(club_id):
        """A real committed write through the service: a 1.000 đ activity-fund receipt dated D."""
        started = time.perf_counter()
        fund_services.fund_entry_record(club=Club.objects.get(pk=club_id), fund=Fund.ACTIVITY, kind=EntryKind.IN,
                                        date=as_of, amount=1000, source=Source.MEMBERS, user=user,
                                        description="benchmark: issue 16")
        return time.perf_counter() - started

    def tries(count, *, worker_behind=False):
        """`count` writes each followed by the page. With `worker_behind`, the write's task waits in the
        queue (the project's database backend, no worker running) while the page is timed, so the page
        computes the club written live; the worker's recomputation runs after the page, untimed."""
        pages, writes = [], []
        for club_id in picks[:count]:
            writes.append(write(club_id))
            cache.clear()  # the generation moved anyway: no process has this page cached
            started = time.perf_counter()
            response = client.get(url)
            pages.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code  # noqa: S101  a benchmark's sanity check
            if worker_behind:
                figure_rows.refresh([club_id])
        return pages, writes

    with override_settings(REPORTING_FIGURE_ROWS=False, TASKS=IMMEDIATE):
        live_pages, live_writes = tries(LIVE_TRIES)
    stdout.write(f"live: p50 {ms(statistics.median(live_pages))}, p95 {ms(_p95(live_pages))}\n")

    started = time.perf_counter()
    figure_rows.build_all(dates)
    build_s = time.perf_counter() - started
    rows_count = ClubFigureRow.objects.filter(as_of=as_of).count()
    with override_settings(TASKS=IMMEDIATE):
        tries(1)  # this process reads the rows once, as a server that has shown the page before
        kept_pages, kept_writes = tries(TRIES)
    stdout.write(f"kept rows: p50 {ms(statistics.median(kept_pages))}, p95 {ms(_p95(kept_pages))}\n")
    with override_settings(TASKS=QUEUED):
        behind_pages, behind_writes = tries(TRIES, worker_behind=True)
    stdout.write(f"worker behind: p50 {ms(statistics.median(behind_pages))}, p95 {ms(_p95(behind_pages))}\n")
    DBTaskResult.objects.filter(task_path="reporting.tasks.refresh_clubs", status="READY").delete()  # done above

    # One club's recomputation at every kept date, as the task after a write does it: the first in a
    # process compiles the SQL of its shape (clubs.compiled), every later one reuses it.
    compiled._COMPILED.clear()
    refreshes = []
    for club_id in picks:
        started = time.perf_counter()
        figure_rows.refresh([club_id])
        refreshes.append(time.perf_counter() - started)
    first_refresh, refreshes = refreshes[0], refreshes[1:] or refreshes
    read = figure_rows.read(province, as_of, years)
    live = indicators.dashboard_figures(area=province, as_of=as_of, years=years)
    same = read is not None and list(read["rows"]) == list(live["rows"]) and all(
        read[k] == live[k] for k in ("founded", "bands", "loans"))
    # The other sections measure the live path: the rows go again (refresh_figures rebuilds them).
    FigureDate.objects.filter(as_of__in=dates).delete()
    ClubFigureRow.objects.filter(as_of__in=dates).delete()

    p95 = max(_p95(kept_pages), _p95(behind_pages))
    return "\n".join([
        "## Province page cold right after a write (issue 16 §2)",
        "",
        f"{len(picks)} tries ({min(LIVE_TRIES, len(picks))} before): each commits a 1.000 đ activity-fund receipt dated "
        f"{as_of:%d/%m/%Y} in another club",
        "through `funds.services.fund_entry_record` (so every process's cached page is stale), then times",
        "the officer's province page for that date through the test client (full HTML with the charts). Before:",
        "the figures are aggregated live for every club (`REPORTING_FIGURE_ROWS = False`). After, two cases:",
        "- *worker caught up*: the write's task (Django's ImmediateBackend, so it runs inside the write, before",
        "  the page) has recomputed the club at every kept date, and the page reads every row;",
        "- *worker behind*: the task still waits in the queue (the project's database backend, no worker), so",
        "  the page reads the other clubs' rows and computes the club written live; the recomputation runs",
        "  after the page, untimed, as the worker would.",
        "In both, the page takes the data only of the rows written since this process last read them.",
        "",
        "| province page, cold after a write | p50 | p95 | write (with its task when immediate) p50 |",
        "|---|---:|---:|---:|",
        f"| before: computed live | {ms(statistics.median(live_pages))} | {ms(_p95(live_pages))} "
        f"| {ms(statistics.median(live_writes))} |",
        f"| after, worker caught up | {ms(statistics.median(kept_pages))} | {ms(_p95(kept_pages))} "
        f"| {ms(statistics.median(kept_writes))} |",
        f"| after, worker behind | {ms(statistics.median(behind_pages))} | {ms(_p95(behind_pages))} "
        f"| {ms(statistics.median(behind_writes))} |",
        "",
        f"Target p95 < {ms(TARGET_SECONDS)} (in both cases): **{'met' if p95 < TARGET_SECONDS else 'NOT met'}**. "
        f"Building the rows of the {len(dates)} dates the page reads (D and the chart's year ends; "
        f"{rows_count:,} clubs at D): ".replace(",", ".") + f"{ms(build_s)}, once (`refresh_figures`). "
        f"One club recomputed at those dates, as the task after a write: p50 {ms(statistics.median(refreshes))}, "
        f"p95 {ms(_p95(refreshes))} over {len(refreshes)} clubs, so {ms(statistics.median(refreshes) / len(dates))} "
        f"per date (the first in a process, which compiles the SQL: {ms(first_refresh)}). "
        f"Rows read equal to the live figures: **{'yes' if same else 'NO'}**.",
        "",
    ])
