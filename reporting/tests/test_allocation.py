"""Officers allocate the province's targets to the districts on one grid; sums that do not add up to the
province's figure are flagged, and district staff never reach the page."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clubs.models import Area
from reporting.allocation import NOT_A_COUNT, allocate
from reporting.demo import seed_plan
from reporting.models import Target

pytestmark = pytest.mark.django_db


def _cell(plan, district_code, indicator="clubs_active", track=""):
    district = Area.objects.get(level="district", code=district_code)
    own = plan.targets.get(area=plan.area, indicator=indicator, track=track, year=2025)
    return f"cell-{district.pk}-{own.pk}"


def test_sums_that_do_not_add_up_are_flagged_and_saved_rows_are_district_targets(officer_client, officer):
    plan = seed_plan()
    url = reverse("reporting:plan_allocation", args=[plan.pk])
    page = officer_client.get(url)
    assert page.status_code == 200 and "≠" not in page.content.decode()  # nothing allocated: nothing to flag
    data = {_cell(plan, "105"): "40", _cell(plan, "106"): "20"}
    assert officer_client.post(url, data).status_code == 302
    rows = {t.area.code: t.value for t in Target.objects.filter(plan=plan, indicator="clubs_active").exclude(area=plan.area)}
    assert rows == {"105": 40, "106": 20}
    html = officer_client.get(url).content.decode()
    assert "Tổng phân bổ 60 ≠ chỉ tiêu tỉnh 72" in html
    officer_client.post(url, {_cell(plan, "105"): "52", _cell(plan, "106"): "20"})
    html = officer_client.get(url).content.decode()
    assert "Tổng phân bổ 72" not in html and "72 / 72" in html
    # A cleared cell makes the district's row "chưa giao" again; the row and its history stay.
    officer_client.post(url, {_cell(plan, "105"): "", _cell(plan, "106"): "20"})
    cleared = Target.objects.get(plan=plan, indicator="clubs_active", area__code="105")
    assert cleared.value is None
    assert [h.value for h in cleared.history.order_by("history_id")] == [40, 52, None]
    assert {h.history_user for h in cleared.history.all()} == {officer}


def test_a_bad_number_saves_nothing():
    plan = seed_plan()
    own = plan.targets.get(area=plan.area, indicator="clubs_active")
    district = Area.objects.get(level="district", code="105")
    with pytest.raises(ValidationError) as exc:
        allocate(plan=plan, values={(district.pk, own.pk): 3, (district.pk + 1, own.pk): -1}, user=None)
    assert exc.value.messages == [str(NOT_A_COUNT)]
    assert not Target.objects.exclude(area=plan.area).exists()


def test_the_history_names_the_user_given_outside_any_request(officer):
    plan = seed_plan()
    own = plan.targets.get(area=plan.area, indicator="clubs_active")
    district = Area.objects.get(level="district", code="105")
    allocate(plan=plan, values={(district.pk, own.pk): 30}, user=officer)
    row = Target.objects.get(plan=plan, area=district, indicator="clubs_active")
    assert [(h.value, h.history_user) for h in row.history.all()] == [(30, officer)]


def test_district_staff_are_refused(staff_a_client):
    plan = seed_plan()
    url = reverse("reporting:plan_allocation", args=[plan.pk])
    assert staff_a_client.get(url).status_code == 404
    assert staff_a_client.post(url, {_cell(plan, "105"): "40"}).status_code == 404
    assert not Target.objects.exclude(area=plan.area).exists()


def test_the_grid_takes_a_fixed_number_of_queries(officer_client, django_assert_max_num_queries):
    plan = seed_plan()
    url = reverse("reporting:plan_allocation", args=[plan.pk])
    officer_client.get(url)
    with django_assert_max_num_queries(12):
        assert officer_client.get(url).status_code == 200


def test_bad_cells_are_all_named_at_once_and_what_was_typed_stays(officer_client):
    plan = seed_plan()
    url = reverse("reporting:plan_allocation", args=[plan.pk])
    data = {_cell(plan, "105"): "mười", _cell(plan, "106"): "-3", _cell(plan, "107"): "1.200"}
    page = officer_client.post(url, data)
    html = page.content.decode()
    assert page.status_code == 200 and "Chưa lưu gì" in html
    # Each refused cell is named by its district and target, both in one submission.
    assert "Thành phố Lai Châu – CLB đang hoạt động không hợp lệ" in html
    assert "Huyện Tam Đường – CLB đang hoạt động phải từ 0 trở lên" in html
    assert 'value="mười"' in html and 'value="-3"' in html and 'value="1.200"' in html
    assert not Target.objects.exclude(area=plan.area).exists()
