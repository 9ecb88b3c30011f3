"""The annual report to the Provincial People's Committee (shared/spec/report.md): its drafts, and the
one context of tables and text built from reporting.indicators at 31/12 of the year, which
reporting.report_files renders as the official PDF and as an Excel workbook. Nothing here counts
clubs, members or money: every figure is a field of an `Indicators` (or of its `ClubFigures` rows), so
the PDF, the workbook and the dashboard cannot disagree.
"""
import datetime
import functools
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from clubs.formatting import format_vnd
from clubs.models import Area, staff_of

from . import charts, figure_rows, grading, grading_tables, indicators, plans, programme_figures, report_tables, snapshots
from .trajectory import trajectories
from .figures import TRACKS
from .rollup import club_cells
from .models import AnnualReport
from .report_tables import CHECK, INT, MONEY, PCT, TEXT, fmt_date, fmt_int, fmt_pct  # noqa: F401  (report_files, tests)

FIRST_YEAR = 2017

YEAR_OUT_OF_RANGE = _("Năm báo cáo phải từ %(min)d đến %(max)d.")
AREA_LEVEL_INVALID = _("Báo cáo năm được lập cho toàn tỉnh hoặc cho một huyện cũ.")
AREA_NOT_ALLOWED = _("Anh/chị chỉ được lập báo cáo cho địa bàn mình phụ trách.")
NO_PERMISSION = _("Tài khoản chưa được phân quyền lập báo cáo.")

DEFAULT_ISSUING_BODY = "HỘI NGƯỜI CAO TUỔI\nTỈNH LAI CHÂU"
DEFAULT_RECIPIENTS = "Như trên;\nTW Hội NCT Việt Nam (b/c);\nBan Công tác NCT tỉnh;\nSở Y tế;"
STORAGE_LINE = "Lưu: VT."

def in_vietnamese(func):
    """The report and its workbook are official documents for the Provincial People's Committee: they
    are Vietnamese whatever language the person generating them reads the screens in. (A fresh
    override per call: one shared decorator instance would mix up concurrent requests' languages.)"""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override("vi"):
            return func(*args, **kwargs)

    return wrapper


def place_date_line(place, issued_on):
    """'Lai Châu, ngày 05 tháng 01 năm 2026'; an undated draft leaves the day and month to fill in by hand."""
    if issued_on is None:
        gap = "\u00a0" * 6
        return f"{place}, ngày{gap}tháng{gap}năm {timezone.localdate().year}"
    return f"{place}, ngày {issued_on:%d} tháng {issued_on:%m} năm {issued_on.year}"


def paragraphs(text):
    """The officer types one paragraph per line; blank lines are not paragraphs."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def closing(paras):
    """The body ends with './.' right after the last sentence's words."""
    if not paras:
        return ["./."]
    return paras[:-1] + [paras[-1].rstrip(". ") + "./."]


def recipient_lines(text):
    """One recipient per line, each shown with a leading '- ', always ending with '- Lưu: VT.'."""
    lines = [re.sub(r"^[-–•+*\s]+", "", line).strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if not lines or not lines[-1].lower().startswith("lưu"):
        lines.append(STORAGE_LINE)
    return [f"- {line}" for line in lines]


def header_lines(text):
    """Parent and issuing bodies are typed on one or two lines; printed upper case."""
    return [line.strip().upper() for line in (text or "").splitlines() if line.strip()]


# ------------------------------------------------------------------ access and drafts


def report_areas_for(user):
    """Areas this user may report on: officers the province and every former district, district
    staff only their own former district."""
    staff = staff_of(user)
    if staff is None:
        return Area.objects.none()
    if staff.sees_all:
        return Area.objects.filter(level__in=[Area.Level.PROVINCE, Area.Level.DISTRICT]).order_by("-level", "code")
    return Area.objects.filter(pk=staff.district_id)


def year_range():
    return FIRST_YEAR, timezone.localdate().year


def data_date(year, period=AnnualReport.Period.YEAR):
    """The report's reference date: 31/12 of the year, or 30/6 for the six-month review."""
    return datetime.date(year, 6, 30) if period == AnnualReport.Period.HALF else datetime.date(year, 12, 31)


def period_words(report):
    """"năm 2025" or "6 tháng đầu năm 2025": the period the report's sentences speak of."""
    if report.period == AnnualReport.Period.HALF:
        return f"6 tháng đầu năm {report.year}"
    return f"năm {report.year}"


def directions_title(report):
    if report.period == AnnualReport.Period.HALF:
        return f"III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM {report.year}"
    return f"III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {report.year + 1}"


def new_report(*, year, area, user=None):
    """An unsaved draft with the issuing body's usual settings, taken from the latest report of the
    same area when there is one (numbering, signer and recipients rarely change between years)."""
    report = AnnualReport(year=year, area=area, recipients=DEFAULT_RECIPIENTS, issuing_body=DEFAULT_ISSUING_BODY)
    previous = AnnualReport.objects.filter(area=area).order_by("-year", "-updated_at").first()
    if previous is not None:
        for name in ("parent_body", "issuing_body", "place", "addressee", "signer_authority", "signer_title",
                     "signer_name", "recipients"):
            setattr(report, name, getattr(previous, name))
        symbol = previous.number_symbol.split("/", 1)
        report.number_symbol = f"/{symbol[1]}" if len(symbol) == 2 else ""
    if user is not None:
        report.created_by = user
    return report


@transaction.atomic
def save_report(*, report, user):
    """Save a draft after checking the user may report on its area; nothing is saved on error."""
    staff = staff_of(user)
    if staff is None:
        raise ValidationError(NO_PERMISSION, code="no_permission")
    lo, hi = year_range()
    if not lo <= (report.year or 0) <= hi:
        raise ValidationError({"year": ValidationError(YEAR_OUT_OF_RANGE, code="year", params={"min": lo, "max": hi})})
    if report.area.level not in (Area.Level.PROVINCE, Area.Level.DISTRICT):
        raise ValidationError({"area": ValidationError(AREA_LEVEL_INVALID, code="area_level")})
    if not report_areas_for(user).filter(pk=report.area_id).exists():
        raise ValidationError({"area": ValidationError(AREA_NOT_ALLOWED, code="area_not_allowed")})
    if report.pk is None:
        report.created_by = user
    report.full_clean()
    report.save()
    return report


# ------------------------------------------------------------------ the figures


def find_plan(report):
    """The plan chosen on the draft, else the one the dashboard would apply to the area and year."""
    return plans.active_plan(report.area, data_date(report.year, report.period), plan_id=report.plan_id)


def _on_paper(svg):
    """The same chart in the report's embedded serif (the screen version names a sans font)."""
    return mark_safe(str(svg).replace(f'font-family="{charts.FONT}"', 'font-family="Liberation Serif"'))  # noqa: S308  the SVG of charts.py, whose text is escaped there


def _charts(plan, series, years, area):
    """The dashboard's three SVG charts, from the same indicator series the dashboard uses."""
    return [_on_paper(svg) for svg in (
        charts.founded_chart(founded=series["founded"], plan_schedule=plans.founding_schedule(plan, area), years=years),
        charts.members_chart(series["bands"]),
        charts.loans_chart(series["loans"]),
    )]


@in_vietnamese
def build_context(report):
    """Everything the PDF and the workbook show, for a saved or unsaved draft."""
    as_of = data_date(report.year, report.period)
    area = report.area
    plan = find_plan(report)
    # Earlier years of the plan, each as its own yearly report counted it, for Table 1 and the charts.
    years = sorted(set(plans.chart_years(plan, as_of)) | {y for y, _track in plans.founding_schedule(plan, area) if y <= report.year})
    # Club rows and chart series in one pass, exactly as the dashboard gets them; for an approved year,
    # those frozen at its approval, so the report prints the approved figures however late it is made.
    # Only the year is approved (issue 15): a six-month review always reads the books as they are.
    series = snapshots.report_series(area, report.year) if report.period == AnnualReport.Period.YEAR else None
    series_approved = series is not None
    if series is not None:
        years = series["years"]
    else:
        series = figure_rows.dashboard_figures(area=area, as_of=as_of, years=years)
    clubs = series["rows"]
    founded = series["founded"]
    cells = club_cells(clubs, as_of)
    ind = indicators.compute(area=area, as_of=as_of, clubs=clubs, cells=cells)
    level = "district" if area.level == Area.Level.PROVINCE else "commune"
    breakdown = indicators.compute_breakdown(area=area, as_of=as_of, level=level, clubs=clubs, cells=cells)
    progress = plans.progress(plan, ind, area)

    unit_label = _t("huyện cũ") if level == "district" else _t("xã/phường")
    by_unit, funds_by_unit = report_tables.breakdown_tables(ind, breakdown, unit_label)
    programme = programme_figures.for_report(report)
    tables = {
        t["key"]: t
        for t in (
            report_tables.schedule_table(plan, report, founded),
            report_tables.milestone_table(ind, progress),
            report_tables.quality_table(ind),
            funds_by_unit,
            report_tables.activity_table(ind),
            by_unit,
            *report_tables.programme_tables(programme),
            report_tables.matrix_table(ind),
        )
    }
    annex = _grading_annex(report, area, as_of, clubs, from_snapshot=series_approved)
    if annex is not None:
        tables["grading_criteria"] = grading_tables.scorecard_table(annex)
        tables["grading"] = grading_tables.grading_table(annex)
    narrative = {
        "assessment": paragraphs(report.assessment),
        "shortcomings": paragraphs(report.shortcomings),
        "directions": paragraphs(report.directions),
        "proposals": closing(paragraphs(report.proposals)),
    }
    return {
        "report": report,
        "year": report.year,
        "next_year": report.year + 1,
        "period_words": period_words(report),
        "directions_title": directions_title(report),
        "is_half": report.period == AnnualReport.Period.HALF,
        "as_of": as_of,
        "area": area,
        "is_province": area.level == Area.Level.PROVINCE,
        "breakdown_label": unit_label,
        "plan": plan,
        "ind": ind,
        "breakdown": breakdown,
        "tracks": [{"code": code, "label": report_tables.track_label(code)} for code in TRACKS],
        "tables": tables,
        "charts": _charts(plan, series, years, area),
        # The dashboard's words and chart of each cumulative target's path, at 31/12 of the year.
        "trajectories": [
            {"track": t.track_label, "words": t.words, "chart": _on_paper(charts.trajectory_chart(t))}
            for t in trajectories(plan, progress, ind, area)
        ],
        "parent_lines": header_lines(report.parent_body),
        "issuing_lines": header_lines(report.issuing_body),
        "number_line": f"Số: {report.number_symbol}" if report.number_symbol else "Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-…",
        "place_date": place_date_line(report.place, report.issued_on),
        "summary": (_t("Kết quả thực hiện Kế hoạch nhân rộng mô hình câu lạc bộ liên thế hệ tự giúp nhau năm %(year)d")
                    % {"year": report.year}) if report.period != AnnualReport.Period.HALF else
        f"Sơ kết 6 tháng đầu năm {report.year} thực hiện Kế hoạch nhân rộng mô hình câu lạc bộ liên thế hệ tự giúp nhau",
        "addressee": report.addressee.rstrip(". "),
        "recipients": recipient_lines(report.recipients),
        "narrative": narrative,
        "fig": figures(ind),
        "grading": annex,
        "grading_source": grading_tables.source_words(annex) if annex is not None else "",
        "programme": programme,
        "pfig": programme_words(programme),
    }


def programme_words(pf):
    """The plan's activities as the report's sentences quote them, formatted once."""
    return {
        "trainings": fmt_int(pf.trainings), "trained": fmt_int(pf.trained_total),
        **{kind: fmt_int(n) for kind, n in pf.trained.items()},
        "events": fmt_int(pf.communication_events), "materials": fmt_int(pf.communication_materials),
        "audience": fmt_int(pf.communication_audience),
        "exchanges": fmt_int(pf.exchanges), "inside": fmt_int(pf.exchanges_inside),
        "outside": fmt_int(pf.exchanges_outside), "exchange_people": fmt_int(pf.exchange_participants),
        "visits": fmt_int(pf.supervision_visits), "clubs_supervised": fmt_int(pf.clubs_supervised),
        "open": fmt_int(pf.follow_ups_open),
        "estimate": format_vnd(pf.estimate_total), "actual": format_vnd(pf.actual_total),
        "budget_year": pf.budget_year,
    }


def _grading_annex(report, area, as_of, clubs, *, from_snapshot):
    """The annex "Kết quả xếp loại câu lạc bộ" of a yearly report: the same club rows as the report's
    tables, graded on the scorecard of the year (issue 15). None for the six-month review (grading is
    yearly) or when no scorecard applies."""
    if report.period == AnnualReport.Period.HALF:
        return None
    scorecard = grading.scorecard_for(report.year)
    if scorecard is None:
        return None
    approval = snapshots.approval_covering(area, report.year) if from_snapshot else None
    return grading.grade(clubs, scorecard=scorecard, area=area, year=report.year, as_of=as_of,
                         sources=(grading.Source(area.name, approval),))


def figures(ind):
    """The figures the report's sentences quote, formatted once (tests format compute() the same way)."""
    return {
        "clubs_active": fmt_int(ind.clubs_active),
        "by_track": [(report_tables.track_label(code), fmt_int(ind.clubs_active_by_track[code])) for code in TRACKS],
        "founded": fmt_int(ind.value("clubs_founded")),
        "founded_by_track": [(report_tables.track_label(code), fmt_int(ind.clubs_founded[code])) for code in TRACKS
                             if ind.clubs_founded[code]],
        "members_active": fmt_int(ind.members_active),
        "members_by_track": [(report_tables.track_label(code), fmt_int(ind.members_by_track[code])) for code in TRACKS],
        "women": fmt_int(ind.women),
        "women_pct": fmt_pct(ind.women_pct),
        "older": fmt_int(ind.older),
        "older_pct": fmt_pct(ind.older_pct),
        "poor_older": fmt_int(ind.poor_older),
        **{
            key: {"count": fmt_int(getattr(ind, key)), "pct": fmt_pct(ind.club_pct(getattr(ind, key)))}
            for key in ("clubs_composition_ok", "clubs_funds_ok", "clubs_areas_ok", "clubs_borrowers_ok",
                        "clubs_well_run", "clubs_meetings_ok", "clubs_standard")
        },
        "communes_standard": fmt_int(ind.communes_standard),
        "communes_standard_pct": fmt_pct(ind.communes_standard_pct),
        "members_joined": fmt_int(ind.members_joined),
        "older_women_pct": fmt_pct(ind.older_women_pct),
        "loans_count": fmt_int(ind.loans_disbursed_count),
        "loans_amount": format_vnd(ind.loans_disbursed_amount),
        "outstanding": format_vnd(ind.outstanding_principal),
        "par30": fmt_pct(ind.par30),
        "communes_with_club": fmt_int(ind.communes_with_club),
        "communes_total": fmt_int(ind.communes_total),
        "communes_with_club_pct": fmt_pct(ind.communes_with_club_pct),
        # docs/indicators-care.md §1 at 31/12
        "health_sessions": fmt_int(ind.health_sessions),
        "clubs_with_health": fmt_int(ind.clubs_with_health),
        "members_checked": fmt_int(ind.members_checked),
        "members_checked_pct": fmt_pct(ind.members_checked_pct),
        "older_checked": fmt_int(ind.older_checked),
        "older_checked_pct": fmt_pct(ind.older_checked_pct),
        "members_high": fmt_int(ind.members_high),
        # docs/indicators-care.md §2 at 31/12
        "volunteers_active": fmt_int(ind.volunteers_active),
        "recipients_active": fmt_int(ind.recipients_active),
        "recipients_visited_ok": fmt_int(ind.recipients_visited_ok),
        "recipients_visited_pct": fmt_pct(ind.recipients_visited_pct),
        "visits": fmt_int(ind.visits),
    }
