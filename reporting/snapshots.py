"""The figures frozen when a year is approved (issue 15), and reading them back.

A snapshot (clubs.YearApproval.snapshot) holds, at 31/12/Y:
- "indicators": `indicators --json` of the approved area and of each area below it, keyed "level:code";
- "report": for the approved area and each former district in it (the areas an annual report is made
  for), the club rows and chart series the annual report is built from (indicators.dashboard_figures),
  so the report of an approved year prints the same figures however often it is generated.
Pure reads: the approval service (reporting.approval) stores what `take()` returns.
"""
import dataclasses
import datetime
import types
import typing

from clubs.models import Area, YearApproval

from . import indicators
from .figures import ClubFigures
from .rollup import club_cells


def key_of(area):
    return f"{area.level}:{area.code}"


def _encode(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    return value


_TYPES = typing.get_type_hints(ClubFigures)


def _decode(name, value):
    kind = _TYPES.get(name)
    if value is None:
        return None
    if kind is datetime.date or (isinstance(kind, types.UnionType) and datetime.date in typing.get_args(kind)):
        return datetime.date.fromisoformat(value)
    if kind is frozenset:
        return frozenset(value)
    return value


def encode_series(series):
    return {
        "rows": [{f.name: _encode(getattr(row, f.name)) for f in dataclasses.fields(ClubFigures)}
                 for row in series["rows"]],
        "founded": {str(year): dict(tracks) for year, tracks in series["founded"].items()},
        "bands": [list(band) for band in series["bands"]],
        "loans": [list(point) for point in series["loans"]],
    }


def decode_series(data):
    names = {f.name for f in dataclasses.fields(ClubFigures)}
    return {
        # A field added to the rows after the approval takes its default (a figure not yet kept then).
        "rows": tuple(ClubFigures(**{k: _decode(k, v) for k, v in row.items() if k in names}) for row in data["rows"]),
        "founded": {int(year): tracks for year, tracks in data["founded"].items()},
        "bands": [tuple(band) for band in data["bands"]],
        "loans": [tuple(point) for point in data["loans"]],
    }


def _below(area):
    if area.level == Area.Level.PROVINCE:
        return list(Area.objects.filter(level=Area.Level.DISTRICT, parent=area).order_by("code"))
    return []


def take(area, year, *, years):
    """The snapshot of `area` at 31/12/`year`; `years`: the chart years of each report (area -> years)."""
    as_of = datetime.date(year, 12, 31)
    rows = indicators.club_figures(area=area, as_of=as_of)
    cells = club_cells(rows, as_of)
    found = {key_of(area): indicators.compute(area=area, as_of=as_of, clubs=rows, cells=cells).to_json()}
    for level in ("district", "commune") if area.level == Area.Level.PROVINCE else ("commune",):
        for part in indicators.compute_breakdown(area=area, as_of=as_of, level=level, clubs=rows, cells=cells):
            found[f"{part.scope_level}:{part.scope_code}"] = part.to_json()
    report = {}
    for part in [area, *_below(area)]:
        series = indicators.dashboard_figures(area=part, as_of=as_of, years=years(part))
        report[key_of(part)] = {"years": list(years(part)), **encode_series(series)}
    return {"indicators": found, "report": report}


def approval_covering(area, year):
    """The standing approval of `year` that covers `area` (its own, its district's or its province's)."""
    ids = area.lineage_ids()
    found = {a.area_id: a for a in YearApproval.objects.standing().filter(area_id__in=ids, year=year)}
    return next((found[i] for i in ids if i in found), None)


def latest_snapshot(area, year):
    """The most recent approval of `year` covering `area`, standing or reopened, holding its figures."""
    ids = area.lineage_ids()
    for approval in YearApproval.objects.filter(area_id__in=ids, year=year).order_by("-approved_at"):
        if key_of(area) in approval.snapshot.get("indicators", {}):
            return approval
    return None


def report_series(area, year):
    """The approved club rows and series of `area`'s report of `year`, or None while not approved."""
    approval = approval_covering(area, year)
    data = approval.snapshot.get("report", {}).get(key_of(area)) if approval else None
    return {"years": data["years"], **decode_series(data)} if data else None


def _flat(value, prefix=""):
    """{"care.members_checked": 3, "clubs.CLB-A1.n": 41, …}: every figure under a dotted key."""
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            out.update(_flat(inner, f"{prefix}{key}."))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) and "code" in v for v in value):
        out = {}
        for inner in value:
            out.update(_flat({k: v for k, v in inner.items() if k != "code"}, f"{prefix}{inner['code']}."))
        return out
    return {prefix.rstrip("."): value}


def differences(approved, live):
    """[(key, approved value, live value)] of every figure that differs, key by key, in key order; a
    figure missing on one side shows None there."""
    a, b = _flat(approved), _flat(live)
    skip = {"as_of"}
    return [(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if k not in skip and a.get(k) != b.get(k)]


def approval_state(area, on, ind):
    """(approval, differences) for the dashboard at `on`: the latest approval of `on`'s year covering the
    area when `on` is its 31 December, and how the live figures `ind` differ from its snapshot."""
    if (on.month, on.day) != (12, 31):
        return None, []
    approval = latest_snapshot(area, on.year)
    if approval is None:
        return None, []
    return approval, differences(approval.snapshot["indicators"][key_of(area)], ind.to_json())
