"""The tables of the annual report (shared/spec/report.md): raw values with a kind per column, so the
PDF prints them the Vietnamese way and the workbook stores real numbers, and the formatting both use.
Built by reporting.annual.build_context from one Indicators; nothing here counts."""
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from clubs.formatting import format_percent, format_vnd
from clubs.models import ActivityArea, Track

from . import plans
from .figures import TRACKS

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


def fmt_int(value):
    """1400 -> '1.400' (Vietnamese thousands separator)."""
    return format_vnd(value, unit=False)


fmt_pct = format_percent


def fmt_date(value):
    return value.strftime("%d/%m/%Y") if value else ""



def track_label(code):
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


def schedule_table(plan, report, founded):
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
    groups = [("", 1)] + [(track_label(t), 2) for t in tracks] + [("", 1)]
    return make_table(
        "schedule", _t("Bảng 1. Số CLB thành lập theo lộ trình kế hoạch"), columns, rows, groups=groups,
        sheet=_t("B1 Lộ trình"),
    )


def milestone_table(ind, progress):
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


def quality_table(ind):
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


def activity_table(ind):
    """Clubs with at least one activity in each area during the year (from the clubs' rows)."""
    rows = [[f"{a.value}. {a.label}", sum(1 for c in ind.clubs if a.value in c.areas_done)] for a in ActivityArea]
    columns = [(_t("Mảng hoạt động"), TEXT), (_t("Số CLB có hoạt động trong năm"), INT)]
    return make_table("activities", _t("Bảng 5. Số CLB có hoạt động theo 8 mảng"), columns, rows,
                      total=[_t("Số CLB hoạt động đủ 8 mảng"), ind.clubs_areas_ok], sheet=_t("B5 Hoạt động"))


def breakdown_tables(ind, breakdown, unit_label):
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


def matrix_table(ind):
    columns = [(_t("Mã CLB"), TEXT), (_t("Tên CLB"), TEXT), (_t("Xã/phường"), TEXT), (_t("Huyện cũ"), TEXT),
               (_t("Nguồn thành lập"), TEXT), (_t("Thành viên"), INT), (_t("Nữ"), INT), (_t("NCT"), INT),
               (_t("Người vay vốn"), INT)] + [(label, CHECK) for _k, label in CHECK_LABELS] + [
        (label, kind) for _k, label, kind in CARE_COLUMNS]
    rows = [
        [c.code, c.name, c.commune_name, c.district_name, track_label(c.track), c.n, c.women, c.older, c.borrowers]
        + [getattr(c, key) for key, _label in CHECK_LABELS]
        + [getattr(c, key) for key, _label, _kind in CARE_COLUMNS]
        for c in ind.clubs
    ]
    return make_table("matrix", _t("Ma trận tiêu chí của từng CLB tại %(d)s") % {"d": fmt_date(ind.as_of)},
                      columns, rows, sheet=_t("Ma trận CLB"), printed=False)


def programme_tables(pf):
    """The plan's own activities (reporting.programme_figures) as two tables: the activities, the budget."""
    rows = [
        [_t("Số lớp tập huấn"), pf.trainings],
        [_t("Người được tập huấn: cán bộ Hội"), pf.trained["cadres"]],
        [_t("Người được tập huấn: thành viên Ban chủ nhiệm CLB"), pf.trained["board"]],
        [_t("Người được tập huấn: thành viên CLB"), pf.trained["members"]],
        [_t("Người được tập huấn: đối tượng khác"), pf.trained["others"]],
        [_t("Sự kiện truyền thông"), pf.communication_events],
        [_t("Sản phẩm truyền thông (tin bài, tài liệu, pa nô…)"), pf.communication_materials],
        [_t("Người tham dự, tiếp cận truyền thông"), pf.communication_audience],
        [_t("Chuyến giao lưu, học tập kinh nghiệm trong tỉnh"), pf.exchanges_inside],
        [_t("Chuyến giao lưu, học tập kinh nghiệm ngoài tỉnh"), pf.exchanges_outside],
        [_t("Lần kiểm tra, giám sát, hỗ trợ CLB"), pf.supervision_visits],
        [_t("Số CLB được kiểm tra, giám sát"), pf.clubs_supervised],
        [_t("Kiến nghị chưa thực hiện xong"), pf.follow_ups_open],
    ]
    activities = make_table("programme", _t("Bảng 7. Tập huấn, truyền thông, giao lưu, kiểm tra giám sát"),
                            [(_t("Nội dung"), TEXT), (_t("Số lượng"), INT)], rows, sheet=_t("B7 Hoạt động Đề án"))
    budget = make_table(
        "budget", _t("Bảng 8. Kinh phí thực hiện năm %(y)s theo nguồn") % {"y": pf.budget_year},
        [(_t("Nguồn kinh phí"), TEXT), (_t("Dự toán (đồng)"), MONEY), (_t("Thực hiện (đồng)"), MONEY)],
        [[row.label, row.estimate, row.actual] for row in pf.budget],
        total=[_t("Tổng cộng"), pf.estimate_total, pf.actual_total], sheet=_t("B8 Kinh phí"))
    return activities, budget
