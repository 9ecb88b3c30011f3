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

from clubs.formatting import format_percent, format_vnd
from clubs.models import ActivityArea, Area, Track, staff_of

from . import charts, indicators, plans, snapshots
from .trajectory import trajectories
from .figures import TRACKS
from .models import AnnualReport

FIRST_YEAR = 2017

YEAR_OUT_OF_RANGE = _("Năm báo cáo phải từ %(min)d đến %(max)d.")
AREA_LEVEL_INVALID = _("Báo cáo năm được lập cho toàn tỉnh hoặc cho một huyện cũ.")
AREA_NOT_ALLOWED = _("Anh/chị chỉ được lập báo cáo cho địa bàn mình phụ trách.")
NO_PERMISSION = _("Tài khoản chưa được phân quyền lập báo cáo.")

DEFAULT_ISSUING_BODY = "HỘI NGƯỜI CAO TUỔI\nTỈNH LAI CHÂU"
DEFAULT_RECIPIENTS = "Như trên;\nTW Hội NCT Việt Nam (b/c);\nBan Công tác NCT tỉnh;\nSở Y tế;"
STORAGE_LINE = "Lưu: VT."

# The §3 checks of the compliance matrix, in the order of the spec.
CHECK_LABELS = (
    ("size_ok", _("Đủ 40 thành viên")),
    ("women_ok", _("Nữ 60–70%")),
    ("older_ok", _("NCT 60–70%")),
    ("composition_ok", _("Đạt cơ cấu")),
    ("funds_ok", _("Đủ quỹ, quy chế")),
    ("areas_ok", _("Đủ 8 mảng")),
    ("borrowers_ok", _("≥ 50% vay vốn")),
    ("well_run", _("Hoạt động hiệu quả")),
)


def in_vietnamese(func):
    """The report and its workbook are official documents for the Provincial People's Committee: they
    are Vietnamese whatever language the person generating them reads the screens in. (A fresh
    override per call: one shared decorator instance would mix up concurrent requests' languages.)"""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override("vi"):
            return func(*args, **kwargs)

    return wrapper


# ------------------------------------------------------------------ formatting


def fmt_int(value):
    """1400 -> '1.400' (Vietnamese thousands separator)."""
    return format_vnd(value, unit=False)


fmt_pct = format_percent


def fmt_date(value):
    return value.strftime("%d/%m/%Y") if value else ""


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


def _track_label(code):
    return str(Track(code).label) if code else ""


# A table is kept as raw values plus a kind per column, so the PDF prints them the Vietnamese way and
# the workbook stores real numbers; both show the same rows.
TEXT, INT, MONEY, PCT, CHECK = "text", "int", "money", "pct", "check"

# The health and home-care figures of each club (docs/indicators-care.md), after its checks; the labels
# are the summary sheet's.
CARE_COLUMNS = (
    ("members_checked", _("Thành viên được khám/đo trong năm"), INT),
    ("members_checked_pct", _("Tỷ lệ thành viên được khám/đo (%)"), PCT),
    ("older_checked", _("Người cao tuổi được khám/đo trong năm"), INT),
    ("members_high", _("Thành viên cần theo dõi huyết áp"), INT),
    ("volunteers_active", _("Tình nguyện viên chăm sóc tại nhà"), INT),
    ("recipients_active", _("Người được chăm sóc tại nhà"), INT),
    ("recipients_visited_ok", _("Người được chăm sóc được thăm đủ các tháng"), INT),
    ("visits", _("Lượt thăm chăm sóc trong năm"), INT),
)


def fmt_cell(value, kind):
    if value is None:
        return "–"
    if kind == INT:
        return fmt_int(value)
    if kind == MONEY:
        return format_vnd(value)
    if kind == PCT:
        return fmt_pct(value)
    if kind == CHECK:
        return _t("Đạt") if value else _t("Chưa đạt")
    return str(value)


def make_table(key, title, columns, rows, *, total=None, groups=None, sheet=None, printed=True):
    """columns: [(label, kind)]; rows: lists of raw values; total: a last row printed bold.
    printed=False: a workbook-only table, not formatted for the PDF."""
    kinds = [kind for _label, kind in columns]

    def show(row):
        return [{"text": fmt_cell(v, k), "kind": k} for v, k in zip(row, kinds)]

    return {
        "key": key,
        "title": title,
        "sheet": sheet or title,
        "columns": [{"label": str(label), "kind": kind} for label, kind in columns],
        "groups": groups,
        "rows": rows,
        "total": total,
        "display": [show(r) for r in rows] if printed else None,
        "display_total": show(total) if total else None,
    }


def _schedule_table(plan, report, founded):
    """Table 1: clubs founded each year against the plan's yearly schedule, per track with a target."""
    by_key = plans.founding_schedule(plan, report.area)
    tracks = [code for code in TRACKS if any(track == code for _y, track in by_key)] or [
        Track.NEW_BUDGET.value, Track.NEW_ROTATION.value
    ]
    years = sorted({y for y, _track in by_key if y <= report.year} | {report.year})
    columns = [(_t("Năm"), TEXT)]
    for track in tracks:
        columns += [(_t("Kế hoạch"), INT), (_t("Thực hiện"), INT)]
    columns.append((_t("Tổng số CLB thành lập trong năm"), INT))
    rows = []
    for year in years:
        row = [str(year)]
        for track in tracks:
            row += [by_key.get((year, track)), founded[year][track]]
        row.append(sum(founded[year].values()))
        rows.append(row)
    groups = [("", 1)] + [(_track_label(t), 2) for t in tracks] + [("", 1)]
    return make_table(
        "schedule", _t("Bảng 1. Số CLB thành lập theo lộ trình kế hoạch"), columns, rows, groups=groups,
        sheet=_t("B1 Lộ trình"),
    )


def _milestone_table(ind, progress):
    """Table 2: the plan's targets (as the dashboard compares them) against the figures at 31/12."""
    money = {"loans_disbursed", "outstanding_principal"}
    rows = []
    for p in progress:
        if p.indicator == "clubs_founded" and p.since is None:
            continue  # Table 1 shows the yearly founding schedule year by year
        label = f"{p.label} – {p.track_label}" if p.track_label else p.label
        if p.since is not None:
            label += " " + _t("(cộng dồn từ %(y)s)") % {"y": p.since}
        if p.is_percent:
            target = f"{p.target}%"
            raw = ind.value(p.indicator, p.track)
            shown = fmt_pct(p.actual) if raw == p.actual else f"{fmt_int(raw)} ({fmt_pct(p.actual)})"
        elif p.indicator in money:
            target, shown = format_vnd(p.target), format_vnd(p.actual)
        else:
            target, shown = fmt_int(p.target), fmt_int(p.actual)
        rows.append([label, f"31/12/{p.year}", target, shown, _t("Đạt") if p.met else _t("Chưa đạt")])
    columns = [(_t("Chỉ tiêu"), TEXT), (_t("Thời hạn"), TEXT), (_t("Kế hoạch"), TEXT),
               (_t("Thực hiện đến %(d)s") % {"d": fmt_date(ind.as_of)}, TEXT), (_t("Đánh giá"), TEXT)]
    return make_table("milestones", _t("Bảng 2. Kết quả so với chỉ tiêu kế hoạch"), columns, rows,
                      sheet=_t("B2 Chỉ tiêu"))


def _quality_table(ind):
    rows = [
        [label, getattr(ind, key), ind.club_pct(getattr(ind, key))]
        for key, label in (
            ("clubs_composition_ok", _t("CLB đạt cơ cấu (từ 40 thành viên; nữ và NCT mỗi nhóm 60–70%)")),
            ("clubs_funds_ok", _t("CLB có quỹ tăng thu nhập, quỹ hoạt động và quy chế")),
            ("clubs_areas_ok", _t("CLB có hoạt động ở đủ 8 mảng trong năm")),
            ("clubs_borrowers_ok", _t("CLB có từ 50% thành viên được vay vốn")),
            ("clubs_well_run", _t("CLB hoạt động hiệu quả (đủ 8 mảng và từ 50% vay vốn)")),
            ("clubs_meetings_ok", _t("CLB sinh hoạt đủ các tháng trong năm")),
            ("clubs_standard", _t("CLB hoạt động đạt chuẩn (đủ 8 mảng và sinh hoạt đủ các tháng)")),
        )
    ]
    columns = [(_t("Tiêu chí"), TEXT), (_t("Số CLB đạt"), INT),
               (_t("Tỷ lệ trên %(n)s CLB") % {"n": fmt_int(ind.clubs_active)}, PCT)]
    return make_table("quality", _t("Bảng 3. Chất lượng hoạt động của các CLB"), columns, rows,
                      sheet=_t("B3 Chất lượng"))


def _activity_table(ind):
    """Clubs with at least one activity in each area during the year (from the clubs' rows)."""
    rows = [[f"{a.value}. {a.label}", sum(1 for c in ind.clubs if a.value in c.areas_done)] for a in ActivityArea]
    columns = [(_t("Mảng hoạt động"), TEXT), (_t("Số CLB có hoạt động trong năm"), INT)]
    return make_table("activities", _t("Bảng 5. Số CLB có hoạt động theo 8 mảng"), columns, rows,
                      total=[_t("Số CLB hoạt động đủ 8 mảng"), ind.clubs_areas_ok], sheet=_t("B5 Hoạt động"))


def _breakdown_tables(ind, breakdown, unit_label):
    def quality(i, name):
        return [name, i.clubs_active, i.members_active, i.women_pct, i.older_pct, i.clubs_composition_ok,
                i.clubs_funds_ok, i.clubs_areas_ok, i.clubs_borrowers_ok, i.clubs_well_run]

    def money(i, name):
        return [name, i.loans_disbursed_count, i.loans_disbursed_amount, i.outstanding_principal, i.par30]

    total_name = _t("Tổng cộng")
    q_cols = [(unit_label.capitalize(), TEXT), (_t("Số CLB"), INT), (_t("Thành viên"), INT), (_t("Nữ"), PCT),
              (_t("NCT"), PCT), (_t("Đạt cơ cấu"), INT), (_t("Đủ quỹ, quy chế"), INT), (_t("Đủ 8 mảng"), INT),
              (_t("≥ 50% vay vốn"), INT), (_t("Hiệu quả"), INT)]
    m_cols = [(unit_label.capitalize(), TEXT), (_t("Số lượt vay trong năm"), INT),
              (_t("Số tiền cho vay trong năm"), MONEY), (_t("Dư nợ"), MONEY), (_t("Nợ quá hạn > 30 ngày"), PCT)]
    return (
        make_table("by_unit", _t("Bảng 6. Kết quả theo %(u)s") % {"u": unit_label}, q_cols,
                   [quality(b, b.scope_name) for b in breakdown], total=quality(ind, total_name),
                   sheet=_t("B6 Theo địa bàn")),
        make_table("funds_by_unit", _t("Bảng 4. Cho vay vốn quỹ tăng thu nhập theo %(u)s") % {"u": unit_label},
                   m_cols, [money(b, b.scope_name) for b in breakdown], total=money(ind, total_name),
                   sheet=_t("B4 Vay vốn")),
    )


def _matrix_table(ind):
    columns = [(_t("Mã CLB"), TEXT), (_t("Tên CLB"), TEXT), (_t("Xã/phường"), TEXT), (_t("Huyện cũ"), TEXT),
               (_t("Nguồn thành lập"), TEXT), (_t("Thành viên"), INT), (_t("Nữ"), INT), (_t("NCT"), INT),
               (_t("Người vay vốn"), INT)] + [(label, CHECK) for _k, label in CHECK_LABELS] + [
        (label, kind) for _k, label, kind in CARE_COLUMNS]
    rows = [
        [c.code, c.name, c.commune_name, c.district_name, _track_label(c.track), c.n, c.women, c.older, c.borrowers]
        + [getattr(c, key) for key, _label in CHECK_LABELS]
        + [getattr(c, key) for key, _label, _kind in CARE_COLUMNS]
        for c in ind.clubs
    ]
    return make_table("matrix", _t("Ma trận tiêu chí của từng CLB tại %(d)s") % {"d": fmt_date(ind.as_of)},
                      columns, rows, sheet=_t("Ma trận CLB"), printed=False)


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
    if series is not None:
        years = series["years"]
    else:
        series = indicators.dashboard_figures(area=area, as_of=as_of, years=years)
    clubs = series["rows"]
    founded = series["founded"]
    ind = indicators.compute(area=area, as_of=as_of, clubs=clubs)
    level = "district" if area.level == Area.Level.PROVINCE else "commune"
    breakdown = indicators.compute_breakdown(area=area, as_of=as_of, level=level, clubs=clubs)
    progress = plans.progress(plan, ind, area)

    unit_label = _t("huyện cũ") if level == "district" else _t("xã/phường")
    by_unit, funds_by_unit = _breakdown_tables(ind, breakdown, unit_label)
    tables = {
        t["key"]: t
        for t in (
            _schedule_table(plan, report, founded),
            _milestone_table(ind, progress),
            _quality_table(ind),
            funds_by_unit,
            _activity_table(ind),
            by_unit,
            _matrix_table(ind),
        )
    }
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
        "tracks": [{"code": code, "label": _track_label(code)} for code in TRACKS],
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
    }


def figures(ind):
    """The figures the report's sentences quote, formatted once (tests format compute() the same way)."""
    return {
        "clubs_active": fmt_int(ind.clubs_active),
        "by_track": [(_track_label(code), fmt_int(ind.clubs_active_by_track[code])) for code in TRACKS],
        "founded": fmt_int(ind.value("clubs_founded")),
        "founded_by_track": [(_track_label(code), fmt_int(ind.clubs_founded[code])) for code in TRACKS
                             if ind.clubs_founded[code]],
        "members_active": fmt_int(ind.members_active),
        "members_by_track": [(_track_label(code), fmt_int(ind.members_by_track[code])) for code in TRACKS],
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
