"""The read-only API: scoping per token, the same figures as the command and the matrix, pagination,
Vietnamese errors, fixed query counts."""
import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import endpoints
from clubs import cache as generations
from clubs.models import Area
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, ClubFactory, add_members, commune, district
from conftest import DISTRICT_A, DISTRICT_B
from reporting.indicators import club_figures
from reporting.models import Plan, Target

pytestmark = pytest.mark.django_db

DAY = "2025-12-31"
ENDPOINTS = ["/api/v1/indicators", "/api/v1/clubs", "/api/v1/areas", "/api/v1/plans"]


@pytest.fixture
def plans(db):
    """A province plan with the province's target and one allocated to each district, and a plan of
    district B."""
    province = Area.objects.get(level=Area.Level.PROVINCE)
    plan = Plan.objects.create(name="Kế hoạch tỉnh 2021–2025", start_year=2021, end_year=2025, area=province)
    Target.objects.create(plan=plan, area=province, indicator="clubs_active", year=2025, value=80)
    Target.objects.create(plan=plan, area=district(DISTRICT_A), indicator="clubs_active", year=2025, value=12)
    Target.objects.create(plan=plan, area=district(DISTRICT_B), indicator="clubs_active", year=2025, value=9)
    plan_b = Plan.objects.create(name="Kế hoạch huyện B", start_year=2021, end_year=2025, area=district(DISTRICT_B))
    Target.objects.create(plan=plan_b, area=district(DISTRICT_B), indicator="clubs_active", year=2025, value=10)
    return plan, plan_b


def command_json(*args):
    out = StringIO()
    call_command("indicators", "--as-of", DAY, "--json", *args, stdout=out)
    return json.loads(out.getvalue())


# ------------------------------------------------------------------ authentication


@pytest.mark.parametrize("url", [*ENDPOINTS, "/api/v1/plans/1"])
def test_no_token_bad_token_and_revoked_token_are_401(api_get, url, revoked_key, officer_key):
    for key in (None, revoked_key, "lcclb_khong-co-ma-nay", officer_key[:-1]):
        response = api_get(url, key)
        assert response.status_code == 401, (url, key)
        assert "Authorization: Bearer" in response.json()["detail"]
        assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_of_an_account_that_lost_its_role_or_was_disabled_stops_working(api_get, key_a, staff_a):
    assert api_get("/api/v1/areas", key_a).status_code == 200
    staff_a.is_active = False
    staff_a.save()
    assert api_get("/api/v1/areas", key_a).status_code == 401


def test_the_scheme_must_be_bearer(client, officer_key):
    assert client.get("/api/v1/areas", headers={"Authorization": f"Token {officer_key}"}).status_code == 401
    assert client.get("/api/v1/areas", headers={"Authorization": f"Bearer {officer_key}"}).status_code == 200


def test_a_session_login_is_not_an_api_login(officer_client):
    assert officer_client.get("/api/v1/areas").status_code == 401


# ------------------------------------------------------------------ indicators


def test_indicators_are_the_json_of_the_command(api_get, officer_key, key_a, club_a, club_b):
    add_members(club_a, women=30, men=15)
    add_members(club_b, women=5, men=5)
    assert api_get("/api/v1/indicators", officer_key, as_of=DAY).json() == command_json()
    assert api_get("/api/v1/indicators", officer_key, as_of=DAY, district=DISTRICT_A).json() == command_json(
        "--district", DISTRICT_A)
    assert api_get("/api/v1/indicators", key_a, as_of=DAY, commune=COMMUNE_IN_A).json() == command_json(
        "--commune", COMMUNE_IN_A)
    data = api_get("/api/v1/indicators", key_a, as_of=DAY).json()
    assert data == command_json("--district", DISTRICT_A)  # a district token's own area by default
    assert data["members_active"] == 45 and [c["code"] for c in data["clubs"]] == ["CLB-A1"]


def test_indicators_default_to_today(api_get, officer_key, club_a):
    assert api_get("/api/v1/indicators", officer_key).json()["as_of"] == datetime.date.today().isoformat()


def test_indicators_scoping(api_get, officer_key, key_a, key_b, club_a, club_b):
    assert api_get("/api/v1/indicators", officer_key, district=DISTRICT_B).status_code == 200
    assert api_get("/api/v1/indicators", key_b, district=DISTRICT_B).status_code == 200
    other = api_get("/api/v1/indicators", key_a, district=DISTRICT_B)
    assert other.status_code == 404
    # Another district's area says exactly what an unknown code says.
    assert other.json() == {"detail": f"Không tìm thấy địa bàn: {DISTRICT_B}."}
    assert api_get("/api/v1/indicators", key_a, commune=COMMUNE_IN_B).status_code == 404
    assert api_get("/api/v1/indicators", key_a, district="999").json() == {"detail": "Không tìm thấy địa bàn: 999."}


def test_a_former_commune_code_names_the_commune_that_replaced_it(api_get, officer_key):
    legacy = Area.objects.filter(level=Area.Level.LEGACY_COMMUNE, successor__isnull=False).select_related(
        "successor").first()
    response = api_get("/api/v1/indicators", officer_key, commune=legacy.code)
    assert response.status_code == 404
    assert f"mã {legacy.successor.code}" in response.json()["detail"]


def test_invalid_dates_and_areas_are_422_in_vietnamese(api_get, officer_key):
    for bad in ("2025-13-01", "31/12/2025", "hôm qua"):
        response = api_get("/api/v1/indicators", officer_key, as_of=bad)
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "as_of", "message": "Ngày không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 2025-12-31."}]
    for far in ("1900-01-01", "2999-12-31"):
        response = api_get("/api/v1/indicators", officer_key, as_of=far)
        assert response.status_code == 422
        assert response.json()["detail"].startswith("Ngày chốt số liệu phải từ 01/01/2017 đến hôm nay")
    both = api_get("/api/v1/clubs", officer_key, district=DISTRICT_A, commune=COMMUNE_IN_A)
    assert both.status_code == 422 and both.json()["detail"] == str(endpoints.ONE_AREA_ONLY)


# ------------------------------------------------------------------ clubs


def test_clubs_are_the_matrix_rows(api_get, officer_key, club_a, club_b):
    add_members(club_a, women=30, men=15)
    data = api_get("/api/v1/clubs", officer_key, as_of=DAY).json()
    rows = club_figures(area=Area.objects.get(level=Area.Level.PROVINCE), as_of=datetime.date(2025, 12, 31))
    assert data["count"] == 2
    assert [item["code"] for item in data["items"]] == [row.code for row in rows] == ["CLB-A1", "CLB-B1"]
    first = data["items"][0]
    assert (first["n"], first["women"], first["older"]) == (rows[0].n, rows[0].women, rows[0].older) == (45, 30, 45)
    assert first["composition_ok"] is rows[0].composition_ok
    assert first["district_code"] == DISTRICT_A and first["commune_code"] == COMMUNE_IN_A


def test_clubs_scoping(api_get, officer_key, key_a, key_b, club_a, club_b):
    codes = lambda response: [item["code"] for item in response.json()["items"]]  # noqa: E731
    assert codes(api_get("/api/v1/clubs", officer_key)) == ["CLB-A1", "CLB-B1"]
    assert codes(api_get("/api/v1/clubs", key_a)) == ["CLB-A1"]
    assert codes(api_get("/api/v1/clubs", key_b)) == ["CLB-B1"]
    assert codes(api_get("/api/v1/clubs", key_a, commune=COMMUNE_IN_A)) == ["CLB-A1"]
    assert api_get("/api/v1/clubs", key_a, district=DISTRICT_B).status_code == 404
    assert api_get("/api/v1/clubs", key_a, commune=COMMUNE_IN_B).status_code == 404


def test_clubs_pagination(api_get, officer_key):
    for i in range(5):
        ClubFactory(code=f"CLB-P{i}", commune=commune(COMMUNE_IN_A))
    pages = [api_get("/api/v1/clubs", officer_key, limit=2, offset=offset).json() for offset in (0, 2, 4, 6)]
    assert [p["count"] for p in pages] == [5, 5, 5, 5]
    assert [[item["code"] for item in p["items"]] for p in pages] == [
        ["CLB-P0", "CLB-P1"], ["CLB-P2", "CLB-P3"], ["CLB-P4"], []]
    assert len(api_get("/api/v1/clubs", officer_key).json()["items"]) == 5  # default 50 a page
    for params in ({"limit": 0}, {"limit": endpoints.MAX_LIMIT + 1}, {"offset": -1},
                   {"offset": endpoints.MAX_OFFSET + 1}, {"limit": "mười"}):
        response = api_get("/api/v1/clubs", officer_key, **params)
        assert response.status_code == 422, params
        field = next(iter(params))
        assert response.json()["errors"] == [{"field": field, "message": str(endpoints.FIELD_MESSAGES[field])}]
    assert api_get("/api/v1/clubs", officer_key, limit=endpoints.MAX_LIMIT).status_code == 200


# ------------------------------------------------------------------ areas


def test_areas_scoping(api_get, officer_key, key_a):
    officer = api_get("/api/v1/areas", officer_key, limit=200).json()
    levels = [(item["level"], item["code"]) for item in officer["items"]]
    assert levels[0] == ("province", "12")
    assert ("district", DISTRICT_B) in levels and ("commune", COMMUNE_IN_B) in levels
    assert not any(level == "legacy_commune" for level, _code in levels)
    assert officer["count"] == Area.objects.exclude(level=Area.Level.LEGACY_COMMUNE).count()

    own = api_get("/api/v1/areas", key_a, limit=200).json()["items"]
    assert own[0] == {"level": "district", "code": DISTRICT_A, "name": "Thành phố Lai Châu", "kind": own[0]["kind"],
                      "parent": {"level": "province", "code": "12"}}
    assert {item["code"] for item in own[1:]} == set(
        Area.objects.communes().filter(parent__code=DISTRICT_A).values_list("code", flat=True))
    assert all(item["parent"] == {"level": "district", "code": DISTRICT_A} for item in own[1:])


def test_areas_filter_and_pagination(api_get, officer_key):
    districts = api_get("/api/v1/areas", officer_key, level="district", limit=3, offset=1).json()
    codes = list(Area.objects.districts().order_by("code").values_list("code", flat=True))
    assert districts["count"] == len(codes)
    assert [item["code"] for item in districts["items"]] == codes[1:4]
    assert api_get("/api/v1/areas", officer_key, level="legacy_commune").status_code == 422


# ------------------------------------------------------------------ plans


def test_plans_scoping(api_get, officer_key, key_a, key_b, plans):
    plan, plan_b = plans
    officer = api_get("/api/v1/plans", officer_key).json()
    assert officer["count"] == 2
    by_id = {p["id"]: p for p in officer["items"]}
    assert {(t["area"]["code"], t["value"]) for t in by_id[plan.pk]["targets"]} == {
        ("12", 80), (DISTRICT_A, 12), (DISTRICT_B, 9)}

    own = api_get("/api/v1/plans", key_a).json()
    assert [p["id"] for p in own["items"]] == [plan.pk]
    # The province's own target and its district's share, not another district's.
    assert {(t["area"]["code"], t["value"]) for t in own["items"][0]["targets"]} == {("12", 80), (DISTRICT_A, 12)}
    assert own["items"][0]["targets"][0]["label"] == "CLB đang hoạt động"

    assert api_get(f"/api/v1/plans/{plan_b.pk}", key_b).status_code == 200
    assert api_get(f"/api/v1/plans/{plan_b.pk}", officer_key).status_code == 200
    other = api_get(f"/api/v1/plans/{plan_b.pk}", key_a)
    assert other.status_code == 404 and other.json() == {"detail": f"Không tìm thấy kế hoạch {plan_b.pk}."}
    assert api_get("/api/v1/plans/0", key_a).status_code == 422
    assert api_get("/api/v1/plans/999999", officer_key).status_code == 404


# ------------------------------------------------------------------ fixed query counts


def _clubs(n, start=0):
    for i in range(start, start + n):
        club = ClubFactory(code=f"CLB-N{i:02d}", commune=commune(COMMUNE_IN_A if i % 2 else COMMUNE_IN_B))
        add_members(club, women=2, men=1)


@pytest.mark.parametrize("url", ["/api/v1/clubs", "/api/v1/indicators", "/api/v1/areas", "/api/v1/plans"])
def test_one_query_count_whatever_the_number_of_rows(api_get, officer_key, plans, django_assert_num_queries, url):
    def call():
        response = api_get(url, officer_key, as_of=DAY) if url != "/api/v1/areas" else api_get(url, officer_key)
        assert response.status_code == 200
        return response

    _clubs(2)
    call()  # the token's first use records it; later ones within the minute do not write
    cache.clear()  # both sizes computed, not read from the cache
    with CaptureQueriesContext(connection) as small:
        call()
    _clubs(8, start=2)
    province = Area.objects.get(level=Area.Level.PROVINCE)
    extra = Plan.objects.create(name="Kế hoạch thêm", start_year=2026, end_year=2030, area=province)
    Target.objects.create(plan=extra, area=province, indicator="clubs_active", year=2030, value=1)
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        data = call().json()
    grown = {"/api/v1/clubs": ("count", 10), "/api/v1/indicators": ("clubs_active", 10), "/api/v1/plans": ("count", 3)}
    if url in grown:
        key, value = grown[url]
        assert data[key] == value


def test_paging_reads_one_computation_until_the_next_write(api_get, officer_key, club_a):
    for i in range(4):
        ClubFactory(code=f"CLB-P{i}", commune=commune(COMMUNE_IN_A))
    with CaptureQueriesContext(connection) as first:
        assert api_get("/api/v1/clubs", officer_key, limit=2).json()["count"] == 5
    with CaptureQueriesContext(connection) as second:
        assert api_get("/api/v1/clubs", officer_key, limit=2, offset=2).json()["count"] == 5
    assert len(second.captured_queries) < len(first.captured_queries)
    # Every write path bumps the data generation once it commits (clubs/cache.py): the next request
    # computes the figures again.
    ClubFactory(code="CLB-P9", commune=commune(COMMUNE_IN_A))
    generations.bump()
    data = api_get("/api/v1/clubs", officer_key, limit=2, offset=4).json()
    assert data["count"] == 6 and [item["code"] for item in data["items"]] == ["CLB-P3", "CLB-P9"]
    assert api_get("/api/v1/indicators", officer_key).json()["clubs_active"] == 6


def test_clubs_and_indicators_read_the_kept_rows_the_dashboard_reads(
        api_get, officer_key, officer, club_a, club_b, settings, django_capture_on_commit_callbacks):
    """Today's figures come from the per-club rows kept after every write (reporting/figure_rows.py),
    the very rows the dashboard's matrix reads; a write through a service shows in the API at once."""
    from django.utils import timezone

    from clubs import services as club_services
    from reporting import figure_rows
    from reporting.models import ClubFigureRow

    settings.REPORTING_FIGURE_ROWS = True
    figure_rows._DECODED.clear()
    add_members(club_a, women=30, men=15)
    call_command("refresh_figures", stdout=StringIO())
    today = timezone.localdate()
    province = Area.objects.get(level=Area.Level.PROVINCE)
    with CaptureQueriesContext(connection) as read:
        data = api_get("/api/v1/clubs", officer_key).json()
    assert any(ClubFigureRow._meta.db_table in q["sql"] for q in read.captured_queries)
    kept = figure_rows.read(province, today, ())["rows"]
    assert [(i["code"], i["n"], i["women"]) for i in data["items"]] == [(r.code, r.n, r.women) for r in kept]
    assert data["items"][0]["n"] == 45
    with django_capture_on_commit_callbacks(execute=True):
        club_services.club_dissolve(user=officer, club=club_b, dissolved_on=today, reason="giải thể")
    assert [i["code"] for i in api_get("/api/v1/clubs", officer_key).json()["items"]] == ["CLB-A1"]
    assert api_get("/api/v1/indicators", officer_key).json()["clubs_active"] == 1
