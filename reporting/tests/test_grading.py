"""Grading clubs (issue 15 point 3): each kind of criterion at its boundary, grades, ranks with ties,
candidates, the approved snapshot, every page's scoping and query count, the scorecard's forms and
history, the annual report's annex (PDF and workbook) and the grading page's Excel file."""
import dataclasses
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clubs.models import Member
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, ClubFactory, MemberFactory, commune
from reporting import annual, approval, criteria, grading, report_files
from reporting.figures import ClubFigures
from reporting.models import Criterion, Scorecard
from reporting.tests.builders import default_scorecard, good_club
from reporting.tests.test_report import build_world, make_report, pdf_text, squash

pytestmark = pytest.mark.django_db
URL = reverse("reporting:grading")
CANDIDATES_URL = reverse("reporting:grading_candidates")
SCORECARD_URL = reverse("reporting:scorecard")


def row(**kwargs):
    """A club row with 40 members and nothing else: tests set the figures a criterion reads."""
    base = dict(code="CLB-X", name="CLB X", commune_code=COMMUNE_IN_A, commune_name="Đoàn Kết", district_code="105",
                district_name="Thành phố Lai Châu", track="existing", founded_on=datetime.date(2020, 1, 1), n=40,
                women=28, older=26, poor_older=0, borrowers=0, size_ok=True, women_ok=True, older_ok=True,
                composition_ok=True, funds_ok=False, areas_ok=False, borrowers_ok=False, well_run=False,
                areas_done=frozenset(), loans_disbursed_count=0, loans_disbursed_amount=0, outstanding_principal=0,
                par30_principal=0)
    base.update(kwargs)
    return ClubFigures(**base)


def met(figure, threshold, club):
    return criteria.evaluate(figure, threshold, club).met


# ------------------------------------------------------------------ each kind of criterion


def test_a_check_criterion_follows_the_club_row_and_fails_without_members():
    assert met("composition_ok", None, row())
    assert not met("funds_ok", None, row())
    assert not met("composition_ok", None, row(n=0))
    assert criteria.evaluate("composition_ok", None, row()).value == "Đạt"


def test_a_count_criterion_passes_from_its_threshold_on():
    club = row(months_met=frozenset(range(1, 11)), areas_done=frozenset({1, 2, 3}), health_sessions=2,
               volunteers_active=1)
    assert met("meeting_months", 10, club) and not met("meeting_months", 11, club)
    assert met("areas_count", 3, club) and not met("areas_count", 4, club)
    assert met("health_sessions", 2, club) and not met("health_sessions", 3, club)
    assert met("volunteers", 1, club) and not met("volunteers", 1, row(volunteers_active=0))
    assert not met("volunteers", 1, row(n=0, volunteers_active=3))


def test_a_share_criterion_compares_in_integers_at_the_boundary():
    assert met("borrowers_share", 50, row(borrowers=20))
    assert not met("borrowers_share", 50, row(borrowers=19))
    # 2/3 = 66,67%: at least 66% and not at least 67%, whatever a float would round to.
    assert met("members_checked_share", 66, row(n=3, members_checked=2))
    assert not met("members_checked_share", 67, row(n=3, members_checked=2))
    assert met("older_checked_share", 100, row(older=26, older_checked=26))
    assert met("recipients_visited_share", 100, row(recipients_active=2, recipients_visited_ok=2))
    assert not met("recipients_visited_share", 100, row(recipients_active=2, recipients_visited_ok=1))
    # Nobody in care: nothing to show for home care.
    assert not met("recipients_visited_share", 0, row(recipients_active=0))
    assert criteria.evaluate("borrowers_share", 50, row(borrowers=21)).value == "21/40 (52,5%)"


def test_par30_must_be_strictly_below_its_threshold_and_nothing_outstanding_passes():
    assert not met("par30_below", 5, row(outstanding_principal=100_000_000, par30_principal=5_000_000))
    assert met("par30_below", 5, row(outstanding_principal=100_000_000, par30_principal=4_999_999))
    assert met("par30_below", 5, row(outstanding_principal=0, par30_principal=0))
    assert not met("par30_below", 0, row(outstanding_principal=0))


def test_a_criterion_says_what_is_wrong_with_its_threshold():
    def codes(figure, threshold):
        return {field: [e.code for e in errors] for field, errors in criteria.criterion_errors(figure, threshold).items()}

    assert codes("composition_ok", None) == {}
    assert codes("composition_ok", 5) == {"threshold": ["threshold_not_used"]}
    assert codes("borrowers_share", None) == {"threshold": ["threshold_required"]}
    assert codes("borrowers_share", 101) == {"threshold": ["threshold_too_high"]}
    assert codes("meeting_months", 13) == {"threshold": ["threshold_too_high"]}
    assert codes("no_such_figure", None) == {"figure": ["unknown_figure"]}
    assert codes("", None) == {}  # the form's own "required" says it


# ------------------------------------------------------------------ grades, ranks, candidates


@pytest.fixture(autouse=True)
def card(db):
    return default_scorecard()


def test_the_default_scorecard_is_seeded_with_its_source(card):
    assert card.source == "Mặc định, tỉnh có thể sửa"
    assert sum(c.points for c in card.criteria.all()) == 100
    assert (card.min_good, card.min_fair, card.min_average) == (80, 65, 50)
    assert grading.scorecard_for(2025) == card
    assert grading.scorecard_for(2016) is None


@pytest.mark.parametrize(("total", "grade"), [(100, "good"), (80, "good"), (79, "fair"), (65, "fair"),
                                              (64, "average"), (50, "average"), (49, "weak"), (0, "weak")])
def test_a_grade_starts_at_its_minimum(card, total, grade):
    assert grading.grade_of(total, card) == grade


def _grade(card, rows, area=None):
    from clubs.models import Area
    from clubs.tests.factories import ensure_areas

    ensure_areas()
    return grading.grade(rows, scorecard=card, area=area or Area.objects.get(level=Area.Level.PROVINCE), year=2025,
                         as_of=datetime.date(2025, 12, 31))


def test_equal_points_share_a_rank_listed_by_name_and_the_next_rank_skips(card):
    card.commend_by, card.commend_value = Scorecard.CommendBy.TOP, 1
    rows = [row(code="C1", name="CLB Sơn La"), row(code="C2", name="CLB Ánh Dương"),
            row(code="C3", name="CLB Bình", borrowers=20),
            row(code="C4", name="CLB Bản Giang", district_code="106", commune_code=COMMUNE_IN_B)]
    found = _grade(card, rows)
    assert [(g.club.code, g.total, g.rank_area) for g in found.clubs] == [
        ("C3", 40, 1), ("C2", 25, 2), ("C4", 25, 2), ("C1", 25, 2)]  # Ánh < Bản < Sơn in Vietnamese order
    assert {g.club.code: g.rank_district for g in found.clubs} == {"C3": 1, "C2": 2, "C1": 2, "C4": 1}
    assert [g.club.code for g in found.candidates] == ["C3"]
    card.commend_value = 2  # ties at the last rank are all candidates
    assert [g.club.code for g in _grade(card, rows).candidates] == ["C3", "C2", "C4", "C1"]


def test_candidates_by_points(card):
    card.commend_by, card.commend_value = Scorecard.CommendBy.POINTS, 40
    found = _grade(card, [row(code="C1", borrowers=20), row(code="C2", borrowers=19)])
    assert [g.club.code for g in found.candidates] == ["C1"]


def test_an_inactive_criterion_scores_nothing(card):
    Criterion.objects.filter(scorecard=card, figure="size_ok").update(active=False)
    found = grading.grade_clubs(_area(), 2025, scorecard=grading.scorecard_for(2025))
    assert "size_ok" not in [c.figure for c in found.criteria]
    assert found.max_points == 95


def _area():
    from clubs.models import Area
    from clubs.tests.factories import ensure_areas

    ensure_areas()
    return Area.objects.get(level=Area.Level.PROVINCE)


# ------------------------------------------------------------------ live figures and the approved snapshot


@pytest.fixture
def province(db):
    return build_world()


def totals(found):
    return {g.club.code: (g.total, g.grade) for g in found.clubs}


def test_live_grading_of_the_world(province):
    found = grading.grade_clubs(province, 2025)
    # A1: every check, 50% borrowers, no arrears, but no health check or home care; B1 has 25% borrowers.
    assert totals(found) == {"CLB-A1": (75, "fair"), "CLB-B1": (60, "average")}
    assert found.live and not found.approved_sources
    assert found.as_of == datetime.date(2025, 12, 31)


def test_grading_reads_the_rows_the_dashboard_keeps(province, settings, monkeypatch):
    """31/12 and today are kept dates (reporting/figure_rows.py): the grading reads those rows, as the
    dashboard does, instead of aggregating every club again, and grades them the same."""
    from django.core.management import call_command

    from reporting import figure_rows, indicators

    settings.REPORTING_FIGURE_ROWS = True
    figure_rows._DECODED.clear()
    call_command("refresh_figures", stdout=io.StringIO())

    def recomputed(**kwargs):
        raise AssertionError("club_figures recomputed although the rows are kept")

    monkeypatch.setattr(indicators, "club_figures", recomputed)
    assert totals(grading.grade_clubs(province, 2025)) == {"CLB-A1": (75, "fair"), "CLB-B1": (60, "average")}


def test_the_approved_snapshot_is_graded_until_the_year_is_reopened(province, officer):
    found = approval.year_approve(user=officer, area=province, year=2025, note="")
    club = ClubFactory._meta.model.objects.get(code="CLB-A1")
    # Written past the services (which refuse it): the live books of 2025 now differ from the approval.
    MemberFactory(club=club, gender=Member.Gender.MALE, birth_year=1985, joined_on=datetime.date(2025, 3, 1))
    graded = grading.grade_clubs(province, 2025)
    assert totals(graded) == {"CLB-A1": (75, "fair"), "CLB-B1": (60, "average")}
    assert [s.approval for s in graded.sources] == [found] and not graded.live
    district = club.commune.parent
    assert totals(grading.grade_clubs(district, 2025)) == {"CLB-A1": (75, "fair")}
    approval.year_reopen(user=officer, area=province, year=2025, reason="Sửa sổ")
    # 41 members, 20 borrowers: below half, and the composition no longer holds.
    assert totals(grading.grade_clubs(province, 2025))["CLB-A1"][0] < 75


def test_a_province_grades_each_approved_district_from_its_own_snapshot(province, officer):
    club = ClubFactory._meta.model.objects.get(code="CLB-A1")
    approval.year_approve(user=officer, area=club.commune.parent, year=2025, note="")
    MemberFactory(club=club, gender=Member.Gender.MALE, birth_year=1985, joined_on=datetime.date(2025, 3, 1))
    graded = grading.grade_clubs(province, 2025)
    assert totals(graded)["CLB-A1"] == (75, "fair")
    assert [s.approval is not None for s in graded.sources] == [True, False]
    assert [g.club.code for g in graded.clubs] == ["CLB-A1", "CLB-B1"]


def test_the_running_year_is_graded_at_today(province):
    found = grading.grade_clubs(province, 2026, today=datetime.date(2026, 5, 10))
    assert found.as_of == datetime.date(2026, 5, 10) and found.live


# ------------------------------------------------------------------ pages and scoping


def test_the_officer_sees_every_club_with_the_source_of_the_figures(officer_client, province):
    page = officer_client.get(URL, {"year": 2025})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-club="CLB-A1"' in html and 'data-club="CLB-B1"' in html
    assert "số liệu hiện tại đến ngày 31/12/2025" in html
    assert "Mặc định, tỉnh có thể sửa" in html
    filtered = officer_client.get(URL, {"year": 2025, "district": "106"}).content.decode()
    assert 'data-club="CLB-A1"' not in filtered and 'data-club="CLB-B1"' in filtered
    by_commune = officer_client.get(URL, {"year": 2025, "commune": COMMUNE_IN_A}).content.decode()
    assert 'data-club="CLB-A1"' in by_commune and 'data-club="CLB-B1"' not in by_commune


def test_the_page_says_when_the_figures_were_approved(officer_client, province, officer):
    found = approval.year_approve(user=officer, area=province, year=2025, note="")
    html = officer_client.get(URL, {"year": 2025}).content.decode()
    from django.utils import timezone

    assert f"theo số liệu đã phê duyệt ngày {timezone.localtime(found.approved_at):%d/%m/%Y}" in html


@pytest.mark.parametrize("url", [URL, CANDIDATES_URL])
def test_district_staff_see_their_district_only(staff_a_client, province, url):
    html = staff_a_client.get(url, {"year": 2025}).content.decode()
    assert 'data-club="CLB-A1"' in html and 'data-club="CLB-B1"' not in html
    assert staff_a_client.get(url, {"district": "106"}).status_code == 404
    assert staff_a_client.get(url, {"commune": COMMUNE_IN_B}).status_code == 404
    assert staff_a_client.get(url, {"commune": COMMUNE_IN_A}).status_code == 200


@pytest.mark.parametrize("url", [URL, CANDIDATES_URL, SCORECARD_URL, "edit"])
def test_anonymous_goes_to_login_and_an_account_without_role_is_refused(anon_client, outsider, url, province, card):
    if url == "edit":
        url = reverse("reporting:scorecard_edit", args=[card.pk])
    response = anon_client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    anon_client.force_login(outsider)
    assert anon_client.get(url).status_code == 403


def test_candidates_page_lists_the_candidates(officer_client, province, card):
    card.commend_value = 1
    card.save()
    html = officer_client.get(CANDIDATES_URL, {"year": 2025}).content.decode()
    assert 'data-club="CLB-A1"' in html and 'data-club="CLB-B1"' not in html


def _count(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        assert client.get(url, params).status_code == 200
    return len(seen.captured_queries)


@pytest.mark.parametrize("url", [URL, CANDIDATES_URL, SCORECARD_URL])
def test_a_fixed_number_of_queries_whatever_the_number_of_clubs(officer_client, django_assert_num_queries, url,
                                                                province):
    params = {"year": 2025}
    officer_client.get(url, params)
    with django_assert_num_queries(_count(officer_client, url, params)) as few:
        officer_client.get(url, params)
    for i in range(4):
        good_club(f"CLB-N{i}", borrowers=5 * i, commune=commune(COMMUNE_IN_B if i % 2 else COMMUNE_IN_A))
    with django_assert_num_queries(len(few.captured_queries)):
        officer_client.get(url, params)


def test_the_page_paginates(officer_client, province, monkeypatch):
    from reporting import grading_views

    monkeypatch.setattr(grading_views, "PAGE_SIZE", 1)
    html = officer_client.get(URL, {"year": 2025}).content.decode()
    assert html.count('data-total') == 1 and "Trang 1/2" in html


# ------------------------------------------------------------------ the scorecard page and its forms


def test_district_staff_read_the_scorecard_but_cannot_edit_it(staff_a_client, card):
    html = staff_a_client.get(SCORECARD_URL).content.decode()
    assert "Mặc định, tỉnh có thể sửa" in html and "Có từ 40 thành viên trở lên" in html
    assert 'id="edit-scorecard"' not in html
    edit = reverse("reporting:scorecard_edit", args=[card.pk])
    assert staff_a_client.get(edit).status_code == 404
    assert staff_a_client.post(edit, {}).status_code == 404


def _post_data(card, **changes):
    data = {"name": card.name, "source": card.source, "year_from": card.year_from, "active": "on",
            "min_good": card.min_good, "min_fair": card.min_fair, "min_average": card.min_average,
            "commend_by": card.commend_by, "commend_value": card.commend_value}
    rows = list(card.criteria.order_by("order"))
    data.update({"criteria-TOTAL_FORMS": len(rows) + 1, "criteria-INITIAL_FORMS": len(rows),
                 "criteria-MIN_NUM_FORMS": 0, "criteria-MAX_NUM_FORMS": 1000})
    for i, c in enumerate(rows):
        data.update({f"criteria-{i}-id": c.pk, f"criteria-{i}-scorecard": card.pk, f"criteria-{i}-order": c.order,
                     f"criteria-{i}-label": c.label, f"criteria-{i}-figure": c.figure,
                     f"criteria-{i}-threshold": "" if c.threshold is None else c.threshold,
                     f"criteria-{i}-points": c.points, f"criteria-{i}-active": "on"})
    data.update(changes)
    return data


def test_the_officer_edits_points_and_thresholds_with_history(officer_client, officer, card, province):
    edit = reverse("reporting:scorecard_edit", args=[card.pk])
    assert officer_client.get(edit).status_code == 200
    borrowers = card.criteria.get(figure="borrowers_share")
    index = list(card.criteria.order_by("order")).index(borrowers)
    data = _post_data(card, min_fair=70, **{f"criteria-{index}-threshold": 25, f"criteria-{index}-points": 20})
    response = officer_client.post(edit, data)
    assert response.status_code == 302, ([e for e in response.context["formset"].errors if e], response.context["form"].non_field_errors())
    borrowers.refresh_from_db()
    assert (borrowers.threshold, borrowers.points) == (25, 20)
    assert borrowers.history.first().history_user == officer
    card.refresh_from_db()
    assert card.min_fair == 70 and card.history.first().history_user == officer
    # B1 (25% borrowers) now earns the criterion's 20 points.
    assert totals(grading.grade_clubs(province, 2025))["CLB-B1"] == (80, "good")
    html = officer_client.get(SCORECARD_URL).content.decode()
    assert "officer" in html and "Ngưỡng: 50 → 25" in html, html[html.find("scorecard-history"):][:1500]


def test_the_officer_adds_a_criterion(officer_client, card):
    rows = card.criteria.count()
    data = _post_data(card, **{f"criteria-{rows}-order": 11, f"criteria-{rows}-label": "Có khám sức khỏe",
                               f"criteria-{rows}-figure": "health_sessions", f"criteria-{rows}-threshold": 1,
                               f"criteria-{rows}-points": 5, f"criteria-{rows}-active": "on"})
    assert officer_client.post(reverse("reporting:scorecard_edit", args=[card.pk]), data).status_code == 302
    assert card.criteria.get(order=11).figure == "health_sessions"


def test_the_form_shows_every_error_at_once(officer_client, card):
    size = list(card.criteria.order_by("order")).index(card.criteria.get(figure="size_ok"))
    borrowers = list(card.criteria.order_by("order")).index(card.criteria.get(figure="borrowers_share"))
    data = _post_data(card, min_fair=90, **{f"criteria-{size}-threshold": 3, f"criteria-{borrowers}-threshold": ""})
    response = officer_client.post(reverse("reporting:scorecard_edit", args=[card.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    from reporting import scorecard_models

    for message in (scorecard_models.GRADES_ORDERED, criteria.THRESHOLD_NOT_USED, criteria.THRESHOLD_REQUIRED):
        assert str(message).replace("“", "&ldquo;") in html or str(message) in html
    card.refresh_from_db()
    assert card.min_fair == 65


def test_only_an_officer_saves_through_the_service(card, staff_a):
    from django.core.exceptions import ValidationError

    from reporting import scorecards

    with pytest.raises(ValidationError) as exc:
        scorecards.scorecard_save(scorecard=card, user=staff_a)
    assert exc.value.error_list[0].code == "not_officer"


# ------------------------------------------------------------------ the annual report's annex and Excel


def test_the_annual_report_has_the_grading_annex_in_pdf_and_workbook(province, officer, tmp_path):
    context = annual.build_context(make_report(province, officer))
    text = squash(pdf_text(report_files.render_pdf(context), tmp_path))
    assert "PHỤ LỤC: KẾT QUẢ XẾP LOẠI CÂU LẠC BỘ NĂM 2025" in text.upper()
    assert "số liệu hiện tại đến ngày 31/12/2025" in text
    assert "CLB-A1" in text and "Khá" in text and "Trung bình" in text
    book = load_workbook(io.BytesIO(report_files.render_xlsx(context)))
    sheet = book["PL Xếp loại CLB"]
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    header = values[0]
    a1 = next(v for v in values if "CLB-A1" in v)
    assert a1[header.index("Tổng điểm")] == 75 and a1[header.index("Xếp loại")] == "Khá"
    assert a1[header.index("Hạng toàn tỉnh")] == 1
    assert "PL Tiêu chí xếp loại" in book.sheetnames


def test_the_annex_of_an_approved_year_keeps_the_approved_grading(province, officer, tmp_path):
    approval.year_approve(user=officer, area=province, year=2025, note="")
    club = ClubFactory._meta.model.objects.get(code="CLB-A1")
    MemberFactory(club=club, gender=Member.Gender.MALE, birth_year=1985, joined_on=datetime.date(2025, 3, 1))
    context = annual.build_context(make_report(province, officer))
    text = squash(pdf_text(report_files.render_pdf(context), tmp_path))
    assert "theo số liệu đã phê duyệt ngày" in text
    assert [g.total for g in context["grading"].clubs] == [75, 60]


def test_the_six_month_review_has_no_grading_annex(province, officer):
    report = make_report(province, officer, period="half")
    context = annual.build_context(report)
    assert context["grading"] is None and "grading" not in context["tables"]


def test_the_grading_page_exports_to_excel(officer_client, staff_a, province):
    from django.test import Client

    staff_a_client = Client()
    staff_a_client.force_login(staff_a)
    response = officer_client.get(URL, {"year": 2025, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = [[c.value for c in r] for r in book["PL Xếp loại CLB"].iter_rows(min_row=3)]
    assert [r[2] for r in rows[1:]] == ["CLB-A1", "CLB-B1"]
    assert book["PL Xếp loại CLB"]["A2"].value == "số liệu hiện tại đến ngày 31/12/2025"
    mine = load_workbook(io.BytesIO(staff_a_client.get(URL, {"year": 2025, "format": "xlsx"}).content))
    assert [r[1].value for r in mine["PL Xếp loại CLB"].iter_rows(min_row=4)] == ["CLB-A1"]
    assert staff_a_client.get(URL, {"format": "xlsx", "district": "106"}).status_code == 404


def test_rows_are_the_figures_dataclass():
    assert dataclasses.is_dataclass(row())


def test_the_grading_pages_read_in_english(officer_client, province):
    from reporting.tests.test_english import switch, text

    switch(officer_client, "en")
    page = text(officer_client.get(URL, {"year": 2025}))
    assert "Club grading 2025" in page and "Rank in the province" in page and "Fair" in page
    assert "Xếp loại CLB năm" not in page
    assert "Figures: current figures up to 31/12/2025" in page and "số liệu hiện tại" not in page
    scorecard = text(officer_client.get(SCORECARD_URL))
    assert "Club grading scorecard" in scorecard and "Change history" in scorecard


def test_the_report_page_links_to_the_grading_of_its_year_and_district(officer_client, officer, province):
    from clubs.models import Area

    district = Area.objects.get(level=Area.Level.DISTRICT, code="105")
    report = make_report(district, officer)
    html = officer_client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert f'{URL}?year=2025&amp;district=105' in html


def test_a_year_without_clubs_says_so_across_the_whole_table(officer_client, card):
    html = officer_client.get(URL, {"year": annual.FIRST_YEAR}).content.decode()
    table = html[html.index('id="grading"'):]
    head = table[:table.index("</thead>")]
    assert "Không có CLB nào đang hoạt động." in table
    assert f'colspan="{head.count("<th ")}"' in table
