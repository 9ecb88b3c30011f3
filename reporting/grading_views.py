"""The grading pages (issue 15 point 3): the grading of a year for an area, the candidates for
commendation, the scorecard (read-only for district staff, edited by officers), and the Excel file."""
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.access import officer_or_404, staff_or_403
from clubs.fields import add_service_errors
from clubs.models import Area
from clubs.paging import query_string, year_param

from . import grading as grading_rules
from . import grading_tables, scorecards
from .annual import FIRST_YEAR
from .criteria import condition_text
from .grading_forms import CriterionFormSet, ScorecardForm
from .models import Scorecard

PAGE_SIZE = 100


def _year(request, today):
    return year_param(request, default=today.year - 1, first=FIRST_YEAR, last=today.year)


def _filter(request):
    """(district, commune) chosen by ?district= and ?commune=, within what the user may see (else 404)."""
    visible = Area.objects.visible_to(request.user)
    district = commune = None
    if request.GET.get("district"):
        district = get_object_or_404(visible, level=Area.Level.DISTRICT, code=request.GET["district"])
    if request.GET.get("commune"):
        commune = get_object_or_404(visible.select_related("parent"), level=Area.Level.COMMUNE,
                                    code=request.GET["commune"])
        if district is not None and commune.parent_id != district.pk:
            raise Http404
    return district, commune


def _graded(request):
    """The grading of the user's whole area (the province for officers, their former district for staff),
    and the rows the district/commune filter keeps: ranks stay those of the whole area."""
    staff = staff_or_403(request)
    today = timezone.localdate()
    year = _year(request, today)
    district, commune = _filter(request)
    found = grading_rules.grade_clubs(staff.area, year, today=today)
    rows = found.clubs
    if district is not None:
        rows = [g for g in rows if g.club.district_code == district.code]
    if commune is not None:
        rows = [g for g in rows if g.club.commune_code == commune.code]
    return staff, today, found, rows, district, commune


def _choices(staff, request):
    districts = list(Area.objects.districts().order_by("code")) if staff.sees_all else []
    communes = Area.objects.communes().filter(parent_id__in=Area.objects.visible_to(request.user)
                                               .filter(level=Area.Level.DISTRICT).values("pk")).order_by("code")
    return districts, list(communes)


def _context(request, staff, today, found, rows, district, commune):
    districts, communes = _choices(staff, request)
    return {
        "grading": found, "year": found.year, "years": range(today.year, FIRST_YEAR - 1, -1),
        "district": district, "commune": commune, "districts": districts, "communes": communes,
        "source_words": grading_tables.source_words(found), "query_string": query_string(request),
        "sees_all": staff.sees_all, "is_province": found.area.level == Area.Level.PROVINCE,
    }


def grading_page(request):
    staff, today, found, rows, district, commune = _graded(request)
    if request.GET.get("format") == "xlsx":
        return _xlsx(found, rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reporting/grading.html", {
        **_context(request, staff, today, found, rows, district, commune), "page": page, "total": len(rows)})


def candidates_page(request):
    staff, today, found, rows, district, commune = _graded(request)
    rows = [g for g in rows if g.candidate]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reporting/grading_candidates.html", {
        **_context(request, staff, today, found, rows, district, commune), "page": page, "total": len(rows)})


def _xlsx(found, rows):
    from .report_files import in_vietnamese, table_sheet

    @in_vietnamese
    def build():
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        tables = [grading_tables.grading_table(found, clubs=rows, full_labels=True)]
        if found.scorecard is not None:
            tables.append(grading_tables.scorecard_table(found))
        for table in tables:
            table_sheet(wb, table, note=grading_tables.source_words(found))
        stream = io.BytesIO()
        wb.save(stream)
        return stream.getvalue()

    response = HttpResponse(build(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="XepLoai-{found.year}-{found.area.code}.xlsx"'
    return response


def scorecard_page(request):
    """The scorecard applying to a year (read-only), its history, and the officer's link to edit it."""
    staff = staff_or_403(request)
    today = timezone.localdate()
    year = _year(request, today)
    card = grading_rules.scorecard_for(year)
    criteria = list(card.criteria.all()) if card else []
    for c in criteria:
        c.condition = condition_text(c.figure, c.threshold)
    entries = scorecards.scorecard_history(card) if card else []
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "reporting/scorecard.html", {
        "card": card, "criteria": criteria, "year": year,
        "years": range(today.year, FIRST_YEAR - 1, -1), "page": page, "can_edit": staff.sees_all,
        "max_points": sum(c.points for c in criteria),
        "query_string": query_string(request),
    })


def scorecard_edit(request, pk):
    officer_or_404(request)
    card = get_object_or_404(Scorecard, pk=pk)
    form = ScorecardForm(request.POST or None, instance=card)
    formset = CriterionFormSet(request.POST or None, instance=card, prefix="criteria")
    if request.method == "POST":
        form_ok, formset_ok = form.is_valid(), formset.is_valid()  # both, so every error shows at once
        if form_ok and formset_ok:
            try:
                with transaction.atomic():
                    scorecards.scorecard_save(scorecard=form.save(commit=False),
                                              criteria=formset.save(commit=False), user=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu bảng tiêu chí xếp loại."))
                return redirect("reporting:scorecard")
    return render(request, "reporting/scorecard_form.html", {"card": card, "form": form, "formset": formset})
