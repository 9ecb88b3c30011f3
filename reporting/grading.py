"""The yearly grading of clubs (xếp loại, issue 15 point 3): each club's points per criterion of the
scorecard applying to the year, its total and grade, its rank in its former district and in the graded
area, and the candidates for commendation. Reads only: the figures are the club rows of
reporting.indicators at 31/12/Y, or those frozen in the year's approval (reporting.snapshots) for the
parts of the area whose year is approved, so an approved year grades the same however late it is read.

Decisions (docs/grading.md): equal totals share a rank (1, 1, 3), listed by club name in Vietnamese
order; the candidates are counted over the graded area (the province for the officer).
"""
import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clubs.collation import vi_key
from clubs.models import Area, YearApproval

from . import figure_rows, indicators, snapshots
from .criteria import condition_text, evaluate
from .models import Criterion, Scorecard

GOOD, FAIR, AVERAGE, WEAK = "good", "fair", "average", "weak"
GRADE_LABELS = {GOOD: _("Tốt"), FAIR: _("Khá"), AVERAGE: _("Trung bình"), WEAK: _("Yếu")}


def grade_of(total, scorecard):
    """The grade a total earns: the best whose minimum it reaches; Yếu below Trung bình's minimum."""
    if total >= scorecard.min_good:
        return GOOD
    if total >= scorecard.min_fair:
        return FAIR
    if total >= scorecard.min_average:
        return AVERAGE
    return WEAK


@dataclass(frozen=True)
class Score:
    criterion: Criterion
    met: bool
    points: int
    value: str


@dataclass(frozen=True)
class ClubGrade:
    club: object  # reporting.figures.ClubFigures
    scores: tuple
    total: int
    grade: str
    rank_district: int = 0
    rank_area: int = 0
    candidate: bool = False

    @property
    def grade_label(self):
        return GRADE_LABELS[self.grade]


@dataclass(frozen=True)
class Source:
    """Where a part of the graded area's figures come from: an approval (with its date), or live."""
    area_name: str
    approval: YearApproval | None


@dataclass(frozen=True)
class Grading:
    area: Area
    year: int
    as_of: datetime.date
    scorecard: Scorecard | None
    criteria: tuple
    clubs: tuple
    sources: tuple = field(default=())

    @property
    def max_points(self):
        return sum(c.points for c in self.criteria)

    @property
    def candidates(self):
        return tuple(g for g in self.clubs if g.candidate)

    @property
    def approved_sources(self):
        return tuple(s for s in self.sources if s.approval is not None)

    @property
    def live(self):
        """Whether any part is graded on today's books rather than an approval's snapshot."""
        return any(s.approval is None for s in self.sources)

    def grade_counts(self):
        counts = dict.fromkeys(GRADE_LABELS, 0)
        for g in self.clubs:
            counts[g.grade] += 1
        return [(code, GRADE_LABELS[code], counts[code]) for code in GRADE_LABELS]


def scorecard_for(year):
    """The active scorecard applying to `year` with its active criteria in order (two queries), or None."""
    return (Scorecard.objects.for_year(year)
            .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.filter(active=True).order_by("order", "pk")))
            .first())


def data_date(year, today=None):
    """31/12 of the year; today while the year is not over (the page then says the figures are so far)."""
    today = today or timezone.localdate()
    return min(datetime.date(year, 12, 31), today)


def _in(area, row):
    if area.level == Area.Level.DISTRICT:
        return row.district_code == area.code
    if area.level == Area.Level.COMMUNE:
        return row.commune_code == area.code
    return True


def _approved_rows(approval, area):
    data = approval.snapshot.get("report", {}).get(snapshots.key_of(approval.area))
    if data is None:
        return None
    return [row for row in snapshots.decode_series(data)["rows"] if _in(area, row)]


def _live_rows(area, as_of):
    """The club rows the dashboard reads for (area, D): the per-club rows kept for 31/12 and today
    (reporting/figure_rows.py) when they are complete, else computed by the dashboard's own queries."""
    kept = figure_rows.figures(area, as_of, ())
    return kept["rows"] if kept is not None else indicators.club_figures(area=area, as_of=as_of)


def club_rows(area, year, as_of):
    """(club rows of `area` at `as_of`, sources): the approved snapshot's rows where the year is approved
    for the area, its district or the province; within a province, each approved former district's own;
    live rows for the rest (the dashboard's, `_live_rows`). One query for the approvals, plus the live
    rows' when any part is live."""
    if as_of != datetime.date(year, 12, 31):
        return _live_rows(area, as_of), (Source(area.name, None),)
    lineage = area.lineage_ids()
    wanted = Q(area_id__in=lineage)
    if area.level == Area.Level.PROVINCE:
        wanted |= Q(area__parent_id=area.pk, area__level=Area.Level.DISTRICT)
    approvals = list(YearApproval.objects.standing().filter(wanted, year=year).select_related("area", "approved_by"))
    covering = sorted((a for a in approvals if a.area_id in lineage), key=lambda a: lineage.index(a.area_id))
    for approval in covering:
        rows = _approved_rows(approval, area)
        if rows is not None:
            return tuple(rows), (Source(area.name, approval),)
    parts = {a.area.code: a for a in approvals if a.area_id not in lineage}
    found, sources = [], []
    for code, approval in sorted(parts.items()):
        rows = _approved_rows(approval, approval.area)
        if rows is None:
            del parts[code]
            continue
        found += rows
        sources.append(Source(approval.area.name, approval))
    live = [row for row in _live_rows(area, as_of) if row.district_code not in parts]
    if live or not sources:
        sources.append(Source(str(_("Các huyện cũ còn lại")) if sources else area.name, None))
    return tuple(sorted(found + live, key=lambda r: r.code)), tuple(sources)


def _ranks(grades):
    """Competition ranks (1, 1, 3) of grades already ordered by total, highest first."""
    ranks, previous, rank = [], None, 0
    for i, g in enumerate(grades, start=1):
        if g.total != previous:
            rank, previous = i, g.total
        ranks.append(rank)
    return ranks


def grade(rows, *, scorecard, area, year, as_of, sources=()):
    """Grade club rows on `scorecard` (None: no scorecard applies, nothing graded). Arithmetic only."""
    if scorecard is None:
        return Grading(area=area, year=year, as_of=as_of, scorecard=None, criteria=(), clubs=(), sources=sources)
    criteria = tuple(c for c in scorecard.criteria.all() if c.active)
    graded = []
    for row in rows:
        scores = []
        for c in criteria:
            result = evaluate(c.figure, c.threshold, row)
            scores.append(Score(criterion=c, met=result.met, points=c.points if result.met else 0, value=result.value))
        total = sum(s.points for s in scores)
        graded.append(ClubGrade(club=row, scores=tuple(scores), total=total, grade=grade_of(total, scorecard)))
    graded.sort(key=lambda g: (-g.total, vi_key(g.club.name), g.club.code))
    area_ranks = _ranks(graded)
    district_rank = {}
    by_district = {}
    for g in graded:
        by_district.setdefault(g.club.district_code, []).append(g)
    for members in by_district.values():
        for g, rank in zip(members, _ranks(members)):
            district_rank[g.club.code] = rank
    out = []
    for g, rank in zip(graded, area_ranks):
        if scorecard.commend_by == Scorecard.CommendBy.TOP:
            candidate = rank <= scorecard.commend_value
        else:
            candidate = g.total >= scorecard.commend_value
        out.append(ClubGrade(club=g.club, scores=g.scores, total=g.total, grade=g.grade,
                             rank_district=district_rank[g.club.code], rank_area=rank, candidate=candidate))
    return Grading(area=area, year=year, as_of=as_of, scorecard=scorecard, criteria=criteria, clubs=tuple(out),
                   sources=tuple(sources))


def grade_clubs(area, year, *, today=None, scorecard=None):
    """The grading of every club of `area` active at 31/12/`year` (today's date while the year runs)."""
    as_of = data_date(year, today)
    rows, sources = club_rows(area, year, as_of)
    if scorecard is None:
        scorecard = scorecard_for(year)
    return grade(rows, scorecard=scorecard, area=area, year=year, as_of=as_of, sources=sources)


def criterion_heading(criterion):
    return condition_text(criterion.figure, criterion.threshold)
