"""The grading as report tables (reporting.report_tables.make_table): the scorecard and the clubs' points.
The annual report's annex, its workbook and the grading page's Excel file are all made from these."""
from django.utils import timezone
from django.utils.translation import gettext as _t

from clubs.models import Area

from .criteria import condition_text
from .grading import GRADE_LABELS
from .report_tables import INT, TEXT, fmt_int, make_table


def criterion_code(criterion):
    return f"TC{criterion.order}"


def scorecard_table(grading, *, key="grading_criteria", sheet=None):
    card = grading.scorecard
    rows = [[criterion_code(c), c.label, condition_text(c.figure, c.threshold), c.points] for c in grading.criteria]
    grades = "; ".join(
        f"{GRADE_LABELS[code]}: {_t('từ %(n)s điểm') % {'n': fmt_int(n)}}"
        for code, n in (("good", card.min_good), ("fair", card.min_fair), ("average", card.min_average))
    ) + f"; {GRADE_LABELS['weak']}: {_t('dưới %(n)s điểm') % {'n': fmt_int(card.min_average)}}"
    return make_table(
        key, _t("Tiêu chí xếp loại (%(name)s; nguồn: %(source)s)") % {"name": card.name, "source": card.source or "–"},
        [(_t("Mã"), TEXT), (_t("Tiêu chí"), TEXT), (_t("Cách tính"), TEXT), (_t("Điểm"), INT)], rows,
        total=[_t("Cộng"), grades, "", grading.max_points], sheet=sheet or _t("PL Tiêu chí xếp loại"),
    )


def grading_table(grading, *, clubs=None, key="grading", sheet=None, full_labels=False):
    """One row per club in rank order: ranks, club, each criterion's points, total, grade, candidate.
    `full_labels`: headers with the criterion's words (Excel) instead of its code (the printed annex)."""
    province = grading.area.level == Area.Level.PROVINCE
    # In a district both ranks are the same: one column.
    columns = [(_t("Hạng toàn tỉnh"), INT), (_t("Hạng trong huyện cũ"), INT)] if province else [(_t("Hạng"), INT)]
    columns += [(_t("Mã CLB"), TEXT), (_t("Tên CLB"), TEXT), (_t("Xã/phường"), TEXT)]
    if province:
        columns.append((_t("Huyện cũ"), TEXT))
    columns += [((f"{criterion_code(c)}. {c.label}" if full_labels else criterion_code(c)) + f" ({c.points})", INT)
                for c in grading.criteria]
    columns += [(_t("Tổng điểm"), INT), (_t("Xếp loại"), TEXT), (_t("Đề nghị khen thưởng"), TEXT)]
    rows = []
    for g in grading.clubs if clubs is None else clubs:
        row = [g.rank_area, g.rank_district] if province else [g.rank_area]
        row += [g.club.code, g.club.name, g.club.commune_name]
        if province:
            row.append(g.club.district_name)
        row += [s.points for s in g.scores]
        row += [g.total, str(g.grade_label), _t("Có") if g.candidate else ""]
        rows.append(row)
    title = _t("Kết quả xếp loại câu lạc bộ năm %(y)s") % {"y": grading.year}
    return make_table(key, title, columns, rows, sheet=sheet or _t("PL Xếp loại CLB"))


def source_words(grading):
    """Where the figures come from, per part: "theo số liệu đã phê duyệt ngày 05/01/2026" or "số liệu
    hiện tại đến ngày 31/12/2025" (the page, the annex and the Excel file say the same)."""
    parts = []
    for s in grading.sources:
        if s.approval is not None:
            words = _t("theo số liệu đã phê duyệt ngày %(d)s") % {
                "d": timezone.localtime(s.approval.approved_at).strftime("%d/%m/%Y")}
        else:
            words = _t("số liệu hiện tại đến ngày %(d)s") % {"d": grading.as_of.strftime("%d/%m/%Y")}
        parts.append(f"{s.area_name}: {words}" if len(grading.sources) > 1 else words)
    return "; ".join(parts)
