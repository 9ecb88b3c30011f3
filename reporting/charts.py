"""Charts drawn on the server as inline SVG: the same markup goes into the dashboard (no JavaScript
needed) and into the PDF report (WeasyPrint renders SVG)."""
import datetime

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from clubs.formatting import format_vnd

from .figures import TRACKS

COLORS = ("#198754", "#0d6efd", "#fd7e14", "#6f42c1", "#adb5bd")
FONT = "DejaVu Sans, Arial, sans-serif"
# The drawing is 400 units wide and app.css never shows it narrower than 340 px (a 390 px phone's
# column; below that the chart scrolls in its box) nor wider than 520 px, so one unit is 0.85–1.3 px:
# 13-unit text is 11–17 px on screen at any width.
WIDTH, HEIGHT = 400, 270
TEXT, TITLE = 13, 14


def _nice_max(value):
    """A round axis maximum ≥ value (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            top = step * magnitude
            return int(top) if top == int(top) else top
    return 10 * magnitude


def _num(value):
    return format_vnd(int(round(value)), unit=False)


def bar_chart(*, title, categories, series, unit="", width=WIDTH, height=HEIGHT, chart_id=""):
    """Grouped vertical bars. series: [(label, [values per category])]. Returns safe SVG markup."""
    left, right, top, bottom = 52, 8, 44, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for _, values in series for v in values] + [0])
    y_max = _nice_max(peak)
    n_cat = max(len(categories), 1)
    group_w = plot_w / n_cat
    bar_w = max(2.0, group_w * 0.8 / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" font-family="{FONT}" font-size="{TEXT}"'
        + (f' id="{escape(chart_id)}"' if chart_id else "")
        + f' aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2:.0f}" y="17" text-anchor="middle" font-size="{TITLE}" font-weight="bold">{escape(title)}</text>',
    ]
    for i in range(5):
        value = y_max * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dee2e6"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{escape(_num(value))}</text>')
    if unit:
        parts.append(f'<text x="4" y="{top - 10}">{escape(unit)}</text>')
    for c, category in enumerate(categories):
        x0 = left + c * group_w + group_w * 0.1
        for s, (label, values) in enumerate(series):
            value = values[c]
            h = plot_h * value / y_max if y_max else 0
            x = x0 + s * bar_w
            y = top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{COLORS[s % len(COLORS)]}"><title>{escape(label)} {escape(category)}: '
                f"{escape(_num(value))}</title></rect>"
            )
            if value and bar_w >= 8 * len(_num(value)):
                parts.append(
                    f'<text x="{x + (bar_w - 1) / 2:.1f}" y="{y - 2:.1f}" text-anchor="middle">'
                    f"{escape(_num(value))}</text>"
                )
        parts.append(
            f'<text x="{left + c * group_w + group_w / 2:.1f}" y="{top + plot_h + 16}" '
            f'text-anchor="middle">{escape(category)}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#495057"/>')
    x = left
    for s, (label, _values) in enumerate(series):
        parts.append(f'<rect x="{x}" y="{height - 20}" width="12" height="12" fill="{COLORS[s % len(COLORS)]}"/>')
        parts.append(f'<text x="{x + 16}" y="{height - 9}">{escape(label)}</text>')
        x += 28 + 8 * len(label)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  numbers and escape()d labels only


def founded_chart(*, founded, plan_schedule, years):
    """Clubs founded per year against the plan's founding schedule (all tracks the plan names)."""
    planned_tracks = {track for (_y, track) in plan_schedule} or set(TRACKS)
    actual = [sum(founded[y][t] for t in planned_tracks) for y in years]
    planned = [sum(v for (y, _t), v in plan_schedule.items() if y == year) for year in years]
    return bar_chart(
        title=_("CLB thành lập mới theo năm so với kế hoạch"),
        categories=[str(y) for y in years],
        series=[(_("Kế hoạch"), planned), (_("Thực hiện"), actual)],
        unit=_("CLB"),
        chart_id="chart-founded",
    )


def members_chart(bands):
    return bar_chart(
        title=_("Thành viên theo giới tính và nhóm tuổi"),
        categories=[label for label, _w, _m in bands],
        series=[(_("Nữ"), [w for _l, w, _m in bands]), (_("Nam"), [m for _l, _w, m in bands])],
        unit=_("người"),
        chart_id="chart-members",
    )


def loans_chart(rows):
    million = 1_000_000
    return bar_chart(
        title=_("Cho vay giải ngân trong năm và dư nợ cuối kỳ"),
        categories=[str(year) for year, _d, _o in rows],
        series=[
            (_("Giải ngân"), [d / million for _y, d, _o in rows]),
            (_("Dư nợ"), [o / million for _y, _d, o in rows]),
        ],
        unit=_("triệu đồng"),
        chart_id="chart-loans",
    )


def trajectory_chart(traj):
    """A cumulative target's path (trajectory.Trajectory): actual at each year end of the plan and at
    D as a solid line, the 24-month pace carried on to the target year dashed, the target as a line."""
    width, height = WIDTH, HEIGHT
    left, right, top, bottom = 52, 14, 48 if traj.track_label else 40, 66
    plot_w, plot_h = width - left - right, height - top - bottom
    title = (_("CLB thành lập mới cộng dồn %(start)s–%(end)s") if traj.clubs
             else _("Người tham gia mới cộng dồn %(start)s–%(end)s")) % {
        "start": traj.start_year, "end": traj.target_year}
    first = traj.points[0][0].replace(month=1, day=1)
    span = (traj.end - first).days or 1
    y_max = _nice_max(max(traj.target, float(traj.projected), traj.actual))

    def x(day):
        return left + plot_w * (day - first).days / span

    def y(value):
        return top + plot_h - plot_h * float(value) / y_max

    actual_color, projection_color, target_color = COLORS[0], COLORS[1], COLORS[2]
    label = f"{title}" + (f" – {traj.track_label}" if traj.track_label else "") + f". {traj.words}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" font-family="{FONT}" font-size="{TEXT}" id="chart-{escape(traj.chart_id)}" '
        f'aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<text x="{width / 2:.0f}" y="17" text-anchor="middle" font-size="{TITLE}" font-weight="bold">{escape(title)}</text>',
    ]
    if traj.track_label:
        parts.append(f'<text x="{width / 2:.0f}" y="33" text-anchor="middle">{escape(traj.track_label)}</text>')
    # Round whole steps on the axis (50 → 10s, 200 → 50s, 5.000 → 1.000s), never 12,5 people.
    steps = next((n for n in (4, 5, 2) if y_max / n == int(y_max / n) and _nice_max(y_max / n) == y_max / n), 1)
    for i in range(steps + 1):
        value = y_max * i / steps
        parts.append(f'<line x1="{left}" y1="{y(value):.1f}" x2="{left + plot_w}" y2="{y(value):.1f}" stroke="#dee2e6"/>')
        parts.append(f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end">{escape(_num(value))}</text>')
    parts.append(f'<text x="4" y="{top - 14}">{escape(traj.unit)}</text>')
    years = list(range(first.year, traj.target_year + 1))
    every = max(1, -(-len(years) // 7))  # at most 7 year labels: 4 digits each fit 340 units
    for i, year in enumerate(years):
        x0 = x(datetime.date(year, 1, 1))
        parts.append(f'<line x1="{x0:.1f}" y1="{top + plot_h}" x2="{x0:.1f}" y2="{top + plot_h + 4}" stroke="#495057"/>')
        if (len(years) - 1 - i) % every == 0:  # the target year always labelled
            mid = x0 + plot_w * 182 / span
            parts.append(f'<text x="{mid:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{year}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#495057"/>')
    # The target: a line at its height, labelled at the target year.
    ty = y(traj.target)
    parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="{target_color}" '
                 f'stroke-width="2" stroke-dasharray="2 3"/>')
    parts.append(f'<rect x="{x(traj.end) - 5:.1f}" y="{ty - 5:.1f}" width="10" height="10" fill="{target_color}" '
                 f'transform="rotate(45 {x(traj.end):.1f} {ty:.1f})"><title>{escape(_("Chỉ tiêu"))} '
                 f"{traj.target_year}: {escape(_num(traj.target))}</title></rect>")
    parts.append(f'<text x="{x(traj.end) - 9:.1f}" y="{ty - 7:.1f}" text-anchor="end">{escape(_num(traj.target))}</text>')
    # The projection, from D to 31/12 of the target year.
    last_day, last_value = traj.points[-1]
    if not traj.over:
        parts.append(
            f'<line x1="{x(last_day):.1f}" y1="{y(last_value):.1f}" x2="{x(traj.end):.1f}" y2="{y(traj.projected):.1f}" '
            f'stroke="{projection_color}" stroke-width="2" stroke-dasharray="6 4"/>')
        parts.append(
            f'<circle cx="{x(traj.end):.1f}" cy="{y(traj.projected):.1f}" r="3" fill="white" stroke="{projection_color}">'
            f"<title>{escape(_('Dự báo'))} 31/12/{traj.target_year}: {escape(_num(int(traj.projected)))}</title></circle>")
    # The actual, from 0 on the plan's first day.
    path = [(first, 0), *traj.points]
    points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in path)
    parts.append(f'<polyline points="{points}" fill="none" stroke="{actual_color}" stroke-width="2.5"/>')
    for d, v in traj.points:
        parts.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3.5" fill="{actual_color}">'
                     f"<title>{escape(_('Thực hiện'))} {d:%d/%m/%Y}: {escape(_num(v))}</title></circle>")
    parts.append(f'<text x="{x(last_day) + 5:.1f}" y="{y(last_value) - 6:.1f}">{escape(_num(last_value))}</text>')
    # Legend in two rows: the three labels do not fit one 400-unit row in Vietnamese.
    legend = [
        (_("Thực hiện"), f'stroke="{actual_color}" stroke-width="2.5"'),
        (_("Chỉ tiêu"), f'stroke="{target_color}" stroke-width="2" stroke-dasharray="2 3"'),
        (_("Dự báo theo nhịp 24 tháng"), f'stroke="{projection_color}" stroke-width="2" stroke-dasharray="6 4"'),
    ]
    for i, (text, stroke) in enumerate(legend):
        lx, ly = (left if i != 1 else left + 150), height - (28 if i < 2 else 8)
        parts.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" {stroke}/>')
        parts.append(f'<text x="{lx + 28}" y="{ly}">{escape(text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  numbers and escape()d labels only
