"""Per-club figure rows kept up to date (issue 16 §2): the dashboard, the matrix and the reports read
them for today and each 31 December instead of aggregating every club of the area again.

What is kept: reporting.models.ClubFigureRow, one row per club active at the date, holding the club's
ClubFigures and its members per age band (the dashboard's chart), for the dates of FigureDate: today
and each 31 December a chart may reach (`kept_dates`). The rows are computed by the very
queries of the live figures (indicators._club_figures over a set of clubs instead of an area), so a
stored row and a live one cannot differ; reporting/tests/test_figure_rows.py checks it after every
kind of write.

How it stays current:
- every write path hands the clubs it wrote to clubs/touched.py; once the transaction commits,
  `clubs_written` marks those clubs' rows stale (rows added for a new club) and enqueues
  reporting.tasks.refresh_clubs, which recomputes just those clubs at every kept date (nine queries per
  date whatever the number of clubs, their SQL compiled once per process by club_aggregates.run, so
  that what remains is the database's own work: docs/benchmarks.md has the times);
- while a club's rows are stale (the task not yet run by the worker), the pages compute that club live
  and read the others' rows, so a page after a write is current either way;
- each process keeps the rows it decoded per (date, area) with the time each was written; a page lists
  the rows with their times (from the index alone on PostgreSQL) and takes the data only of the rows
  whose time changed, so the page after a write decodes one row, not 6,000;
- writes past the write paths (migrations, the demo data, the benchmark's bulk data) leave the rows
  unknown: a migration drops every FigureDate (reporting.apps), and `manage.py refresh_figures`
  rebuilds them (after deploy, after seed_demo).

The day boundary: rows are keyed by their date, so at midnight today's rows simply become the rows of
a date that is no longer kept (unless it was 31 December) and the new day has none yet. A page for a
date without complete rows computes live exactly as before (with the generation cache of
reporting.views) and, when a worker runs the tasks, enqueues the build of today's rows; the first write
of the day enqueues it too (under the immediate backend that write waits for it, once a day).
The build of a new today removes the rows of earlier days that are not a 31 December.
"""
import dataclasses
import datetime
import json
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import CharField, Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone

from clubs import cache as generations
from clubs.models import Area, Club, Member

from .club_aggregates import ClubSet, fetch_rows
from .figures import TRACKS, ClubFigures
from .indicators import BAND_KEYS, _bands, _club_figures, _empty_series, year_ends
from .indicators import dashboard_figures as live_figures
from .models import ClubFigureRow, FigureDate

FIELDS = tuple(f.name for f in dataclasses.fields(ClubFigures))
_DATES = tuple(i for i, name in enumerate(FIELDS) if name in ("founded_on", "regulation_on"))
_SETS = tuple(i for i, name in enumerate(FIELDS) if name in ("areas_done", "months_met"))
_UPDATED = ["code", "commune", "district", "track", "founded_on", "loans_disbursed_amount", "outstanding_principal", "data",
            "stale", "computed_at"]
CHUNK = 500  # clubs per recomputation: the ids go into IN (...) lists, which SQLite caps


def enabled():
    """Off in the test settings: factories write past the write paths, so kept rows would be stale there;
    the tests of this module switch it on."""
    return getattr(settings, "REPORTING_FIGURE_ROWS", True)


# ------------------------------------------------------------------ encoding


def encode(figures, bands):
    values = [getattr(figures, name) for name in FIELDS]
    for i in _DATES:
        values[i] = values[i].isoformat() if values[i] is not None else None
    for i in _SETS:
        values[i] = sorted(values[i])
    return {"f": values, "b": list(bands)}


def decode(data):
    if isinstance(data, str):
        data = json.loads(data)
    values = data["f"]
    for i in _DATES:
        if values[i] is not None:
            values[i] = datetime.date.fromisoformat(values[i])
    for i in _SETS:
        values[i] = frozenset(values[i])
    return ClubFigures(*values), data["b"]


# ------------------------------------------------------------------ which dates


def kept_dates(today=None):
    """The dates rows are kept for: today, and each 31 December of a year the charts may show, from
    the first club's founding, the first plan's start or five years back, whichever is earliest, and
    four years before that (an early year holds few rows, or none, but a chart reaching it reads them)."""
    from .models import Plan

    today = today or timezone.localdate()
    first = Club.objects.order_by("founded_on").values_list("founded_on", flat=True).first()
    start = Plan.objects.order_by("start_year").values_list("start_year", flat=True).first()
    # Four more years back: the chart of the earliest kept 31 December reaches them.
    since = min(y for y in (first.year if first else None, start, today.year - 4) if y is not None) - 4
    return [*(datetime.date(y, 12, 31) for y in range(since, today.year)), today]


def is_kept(on, today=None):
    today = today or timezone.localdate()
    return on == today or ((on.month, on.day) == (12, 31) and on < today)


# ------------------------------------------------------------------ writing rows


def _compute(clubs, as_of):
    """[(club id, commune id, district id, ClubFigures, bands)] of `clubs` (a ClubSet or an area) active
    at `as_of`: indicators._club_figures itself, with the age bands by club from its members query."""
    rows, _series, extras = _club_figures(clubs, as_of, kept=True)
    return [(pk, commune_id, district_id, figures, bands)
            for figures, (pk, commune_id, district_id, bands) in zip(rows, extras)]


def _objects(computed, as_of, now):
    return [
        ClubFigureRow(club_id=pk, code=f.code, as_of=as_of, commune_id=commune_id, district_id=district_id,
                      track=f.track, founded_on=f.founded_on, loans_disbursed_amount=f.loans_disbursed_amount,
                      outstanding_principal=f.outstanding_principal, data=encode(f, bands), stale=False,
                      computed_at=now)
        for pk, commune_id, district_id, f, bands in computed
    ]


@transaction.atomic
def build(as_of):
    """Every club's row at `as_of`, replacing what was kept for that date, and the date marked complete.
    For today's date, the rows of earlier days that are not a 31 December go."""
    now = timezone.now()
    province = Area.objects.get(level=Area.Level.PROVINCE)
    computed = _compute(province, as_of)
    ClubFigureRow.objects.filter(as_of=as_of).delete()
    ClubFigureRow.objects.bulk_create(_objects(computed, as_of, now), batch_size=CHUNK)
    FigureDate.objects.update_or_create(as_of=as_of, defaults={"built_at": now})
    if as_of == timezone.localdate():
        old = Q(as_of__lt=as_of) & ~Q(as_of__month=12, as_of__day=31)
        ClubFigureRow.objects.filter(old).delete()
        FigureDate.objects.filter(old).delete()
    return len(computed)


def build_all(dates=None):
    """[(date, clubs)] after building every kept date (or `dates`): `refresh_figures` and the demo data."""
    built = [(on, build(on)) for on in (dates if dates is not None else kept_dates())]
    tidy()
    return built


def tidy():
    """VACUUM ANALYZE the rows on PostgreSQL, as autovacuum would some minutes later: a build replaces
    every row of its dates, and until the dead ones are gone the pages' two reads scan the whole
    bloated table (45 ms instead of 9 for the charts' sums at national scale) instead of the index."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"  # VACUUM cannot run in one
    with connection.cursor() as cur:
        cur.execute(f"{command} {ClubFigureRow._meta.db_table}")


def mark_stale(club_ids):
    """Mark the kept rows of `club_ids` stale at every complete date, adding a placeholder row where a
    club has none yet (a new club, or a club whose dates moved): until it is recomputed, a page computes
    these clubs live. The placeholders carry the club's area so the pages find them."""
    dates = list(FigureDate.objects.values_list("as_of", flat=True))
    if not dates or not club_ids:
        return
    now = timezone.now()
    for start in range(0, len(club_ids), CHUNK):
        ids = club_ids[start:start + CHUNK]
        # The club's area as it is now (a club moved to another commune is looked for there).
        club = Club.objects.filter(pk=OuterRef("club_id"))
        ClubFigureRow.objects.filter(club_id__in=ids).update(
            stale=True, code=Subquery(club.values("code")), commune_id=Subquery(club.values("commune_id")),
            district_id=Subquery(club.values("commune__parent_id")))
        have = set(ClubFigureRow.objects.filter(club_id__in=ids).values_list("club_id", "as_of"))
        clubs = Club.objects.filter(pk__in=ids).values_list("pk", "code", "commune_id", "commune__parent_id", "track",
                                                            "founded_on")
        ClubFigureRow.objects.bulk_create([
            ClubFigureRow(club_id=pk, code=code, as_of=on, commune_id=commune_id, district_id=district_id,
                          track=track, founded_on=founded_on, stale=True, computed_at=now)
            for pk, code, commune_id, district_id, track, founded_on in clubs for on in dates
            if on >= founded_on and (pk, on) not in have
        ], ignore_conflicts=True)


@transaction.atomic
def refresh(club_ids):
    """Recompute `club_ids` at every complete date: their rows rewritten (removed where the club is not
    active at the date), stale no more. Nine queries per date and chunk of clubs, plus two writes per
    chunk; a date before a club's founding only drops what it had there."""
    now = timezone.now()
    dates = list(FigureDate.objects.values_list("as_of", flat=True))
    for start in range(0, len(club_ids), CHUNK):
        chunk = club_ids[start:start + CHUNK]
        founded = dict(Club.objects.filter(pk__in=chunk).values_list("pk", "founded_on"))
        objs, gone = [], Q()
        for as_of in dates:
            ids = [pk for pk, on in founded.items() if on <= as_of]
            found = _objects(_compute(ClubSet(ids), as_of), as_of, now) if ids else []
            objs += found
            gone |= Q(as_of=as_of) & ~Q(club_id__in=[o.club_id for o in found])
        # An upsert, not a delete and insert: two workers refreshing the same club meet on the key.
        ClubFigureRow.objects.bulk_create(objs, update_conflicts=True, unique_fields=["as_of", "club"],
                                          update_fields=_UPDATED, batch_size=CHUNK)
        if dates:
            ClubFigureRow.objects.filter(gone, club_id__in=chunk).delete()


# ------------------------------------------------------------------ reading rows


def _area_filter(area):
    if area.level == Area.Level.DISTRICT:
        return Q(district_id=area.pk)
    if area.level == Area.Level.COMMUNE:
        return Q(commune_id=area.pk)
    return Q()


# Per process: the rows of each (date, area) read last, decoded, each with the time it was written.
# The time is only ever compared, so it is read as the database's text of it: parsing 6,000 aware
# datetimes took more time than the database took to list the rows.
_WRITTEN = Cast("computed_at", CharField())
_DECODED = {}
_DECODED_AREAS = 64


def read(area, as_of, years):
    """dashboard_figures(area=area, as_of=as_of, years=years) from the kept rows, or None when a date it
    needs (D and the year ends of the chart) has no complete rows. Three queries, a fourth for the data of
    rows written since this process read them, plus the live queries of the clubs whose rows are stale
    (nine, whatever their number)."""
    ends = year_ends(as_of, years)
    dates = sorted({as_of, *ends})
    if FigureDate.objects.filter(as_of__in=dates).count() != len(dates):
        return None
    # In the order of the clubs query of the live figures (the database's collation of the codes), a
    # stale club's place held by its code until it is computed live. A row written at the time this
    # process decoded it last is taken as decoded then; the data of the others (changed, new, or all of
    # them on the first read) come in one more query.
    key = (as_of, area.level, area.code)
    seen = _DECODED.get(key, {})
    where = Q(_area_filter(area), as_of=as_of)
    listed = fetch_rows(ClubFigureRow.objects.filter(where).order_by("code").annotate(written=_WRITTEN)
                        .values_list("club_id", "code", "written", "stale"))
    wanted = [club_id for club_id, _code, computed_at, is_stale in listed
              if not is_stale and (seen.get(club_id) is None or seen[club_id][0] != computed_at)]
    data = _data(where, wanted, whole=len(wanted) > CHUNK)
    rows, all_bands, stale, decoded = [], [], [], {}
    for club_id, code, computed_at, is_stale in listed:
        found = data.get(club_id)
        if not is_stale and found is not None and found[0] == computed_at:
            figures, bands = decode(found[1])
        elif not is_stale and club_id in seen and seen[club_id][0] == computed_at:
            figures, bands = seen[club_id][1], seen[club_id][2]
        else:
            # Stale, or rewritten between the two queries: computed live, which is always right.
            stale.append(club_id)
            rows.append(code)
            continue
        decoded[club_id] = (computed_at, figures, bands)
        rows.append(figures)
        all_bands.append(bands)
    if len(_DECODED) >= _DECODED_AREAS and key not in _DECODED:
        _DECODED.pop(next(iter(_DECODED)))
    _DECODED[key] = decoded
    founded = {y: dict.fromkeys(TRACKS, 0) for y in years}
    loans = defaultdict(lambda: [0, 0])
    sums = (
        ClubFigureRow.objects.filter(_area_filter(area), as_of__in=dates, stale=False).order_by()
        .values("as_of", "track")
        .annotate(founded=Count("pk", filter=Q(founded_on__year=ExtractYear("as_of"))),
                  lent=Sum("loans_disbursed_amount"), owed=Sum("outstanding_principal"))
        .values_list("as_of", "track", "founded", "lent", "owed")
    )
    for on, track, count, lent, owed in fetch_rows(sums):
        on = on if isinstance(on, datetime.date) else datetime.date.fromisoformat(on)
        if on.year in founded and on == min(datetime.date(on.year, 12, 31), as_of):
            founded[on.year][track] = founded[on.year].get(track, 0) + count
        loans[on][0] += int(lent or 0)
        loans[on][1] += int(owed or 0)
    band_totals = [sum(column) for column in zip(*all_bands)] or [0] * len(BAND_KEYS)
    bundle = {
        "rows": rows,
        "founded": founded,
        "bands": _bands(dict(zip(BAND_KEYS, band_totals))),
        "loans": [(end.year, *loans[end]) for end in ends],
    }
    if stale:
        _add_live(bundle, ClubSet(stale, area), as_of, years)
    bundle["rows"] = tuple(bundle["rows"])
    return bundle


def _data(where, club_ids, *, whole):
    """{club id: (time written, data)} of the rows `where` of `club_ids` (of every row when `whole`: the
    first read of an area wants them all, and one scan beats a long IN list)."""
    if not club_ids:
        return {}
    found = ClubFigureRow.objects.filter(where)
    chunks = [found] if whole else [found.filter(club_id__in=club_ids[i:i + CHUNK])
                                    for i in range(0, len(club_ids), CHUNK)]
    return {club_id: (written, data) for chunk in chunks
            for club_id, written, data in fetch_rows(chunk.annotate(written=_WRITTEN).values_list("club_id", "written", "data"))}


def _add_live(bundle, clubs, as_of, years):
    """The clubs whose rows are stale, computed live by the dashboard's own queries, added in."""
    live, series, _ = _club_figures(clubs, as_of, years=list(years))
    series = series or _empty_series(as_of, years)
    by_code = {c.code: c for c in live}
    # A placeholder of a club not active at D (dissolved, or founded later) has no live row: it goes.
    bundle["rows"] = [by_code.get(r) if isinstance(r, str) else r for r in bundle["rows"]]
    bundle["rows"] = [r for r in bundle["rows"] if r is not None]
    for year, tracks in series["founded"].items():
        for track, count in tracks.items():
            bundle["founded"][year][track] = bundle["founded"][year].get(track, 0) + count
    bundle["bands"] = [(label, w + w2, m + m2)
                       for (label, w, m), (_l, w2, m2) in zip(bundle["bands"], series["bands"])]
    bundle["loans"] = [(year, a + a2, b + b2)
                       for (year, a, b), (_y, a2, b2) in zip(bundle["loans"], series["loans"])]


def figures(area, as_of, years):
    """The dashboard's figures for (area, D): the kept rows when D is today or a 31 December and its
    rows are complete; else None, and the build of today's rows is enqueued when they are missing."""
    if not enabled() or not is_kept(as_of):
        return None
    bundle = read(area, as_of, years)
    if bundle is None and as_of == timezone.localdate() and _worker():
        from .tasks import build_date

        build_date.enqueue(as_of.isoformat())  # for the next visitor
    return bundle


def _worker():
    """Whether tasks run in a worker. Under the immediate backend a page never builds a whole date
    inside a visitor's request (seconds at national scale): the first write of the day does."""
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django.tasks.backends.immediate import ImmediateBackend

    return not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


def dashboard_figures(*, area, as_of, years):
    """indicators.dashboard_figures, from the kept rows where they serve (see `figures`)."""
    bundle = figures(area, as_of, years)
    return bundle if bundle is not None else live_figures(area=area, as_of=as_of, years=years)


def cached_figures(area, as_of, years):
    """Club rows and chart series for (area, D) as every page and the API read them: for today and each
    31 December the per-club rows kept current after every write; for any other date computed and
    cached until the next committed write.

    At national scale (6,000 clubs, 500,000 loans) these take most of a second to aggregate even in
    one pass (dashboard_figures: the chart series come out of the club queries); every write path
    bumps the data generation (clubs/cache.py), so a cached copy is as fresh as a recomputation.
    """
    kept = figures(area, as_of, years)
    if kept is not None:
        return kept
    seconds = getattr(settings, "REPORTING_CACHE_SECONDS", 600)
    key = "reporting:figures:{}:{}:{}:{}:{}:{}".format(
        connection.settings_dict["NAME"], area.level, area.code, as_of.isoformat(),
        "-".join(map(str, years)), generations.generation() if seconds else "",
    )
    bundle = cache.get(key) if seconds else None
    if bundle is None:
        bundle = live_figures(area=area, as_of=as_of, years=years)
        if seconds:
            cache.set(key, bundle, seconds)
    return bundle


def club_rows(area, as_of):
    """club_figures(area=area, as_of=as_of) read as the dashboard's matrix reads them (`cached_figures`)."""
    return cached_figures(area, as_of, ())["rows"]


def clubs_written(club_ids, using):
    """clubs/touched.py's listener, after the commit of a write: mark and enqueue, nothing more."""
    if not enabled() or using != connection.alias:
        return
    from .tasks import build_date, refresh_clubs

    mark_stale(list(club_ids))
    if not FigureDate.objects.filter(as_of=timezone.localdate()).exists():
        build_date.enqueue(timezone.localdate().isoformat())
    refresh_clubs.enqueue(list(club_ids))
