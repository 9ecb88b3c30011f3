import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clubs.formatting import fold, format_vnd, parse_vnd
from clubs.models import Area, Club, Staff
from clubs.tests.factories import ClubFactory, commune

pytestmark = pytest.mark.django_db


def test_fresh_database_has_the_province_tree():
    levels = {level: Area.objects.filter(level=level).count() for level in Area.Level.values}
    assert levels == {"province": 1, "district": 8, "commune": 38, "legacy_commune": 106}
    assert set(Area.objects.communes().values_list("parent__level", flat=True)) == {"district"}


def test_a_code_means_a_unit_only_with_its_level():
    # 03388 is Phường Đoàn Kết today but was Phường Quyết Tiến before 1/7/2025.
    assert Area.objects.get(level="commune", code="03388").name == "Phường Đoàn Kết"
    legacy = Area.objects.get(level="legacy_commune", code="03388")
    assert legacy.name == "Phường Quyết Tiến"
    assert legacy.successor.name == "Phường Đoàn Kết"


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _example_path(route):
    import re

    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<path:[^>]+>", "x/y", path)
    path = re.sub(r"<(str:)?[^>]+>", "X", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + path


def test_every_page_sends_anonymous_visitors_to_the_login_page(anon_client):
    checked = 0
    for route, pattern in _walk(get_resolver().url_patterns):
        if pattern.name in {"login"} or "(?P" in route:
            continue
        response = anon_client.get(_example_path(route))
        if route.startswith("api/v1/"):
            # The API answers for itself (api/tests): a JSON 401 without a token, its schema and docs
            # page public, ninja's root (it only anchors the paths) a 404; never the login page.
            expected = {"openapi-json": 200, "openapi-view": 200, "api-root": 404}.get(pattern.name, 401)
            assert response.status_code == expected, route
            continue
        assert response.status_code == 302, route
        assert "login" in response["Location"], route
        checked += 1
    assert checked > 5


def test_login_page_is_open_and_vietnamese(anon_client):
    response = anon_client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()
    assert '<html lang="vi">' in response.content.decode()


def test_english_can_be_chosen(officer_client):
    officer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = officer_client.get("/")
    assert '<html lang="en">' in response.content.decode()


def test_district_staff_list_only_their_district(staff_a_client, club_a, club_b):
    html = staff_a_client.get(reverse("clubs:list")).content.decode()
    assert club_a.code in html
    assert club_b.code not in html


def test_officer_lists_every_district(officer_client, club_a, club_b):
    html = officer_client.get(reverse("clubs:list")).content.decode()
    assert club_a.code in html and club_b.code in html


def test_district_staff_get_404_for_another_districts_club(staff_a_client, club_b):
    assert staff_a_client.get(reverse("clubs:detail", args=[club_b.code])).status_code == 404


def test_account_without_role_sees_no_club(client, outsider, club_a):
    client.force_login(outsider)
    assert club_a.code not in client.get(reverse("clubs:list")).content.decode()
    assert client.get(reverse("clubs:detail", args=[club_a.code])).status_code == 404


def test_queryset_scoping(staff_a, staff_b, officer, club_a, club_b):
    assert list(Club.objects.visible_to(staff_a)) == [club_a]
    assert list(Club.objects.visible_to(staff_b)) == [club_b]
    assert set(Club.objects.visible_to(officer)) == {club_a, club_b}


def test_active_clubs_follow_founding_and_dissolution_dates():
    club = ClubFactory(founded_on=datetime.date(2022, 5, 1), dissolved_on=datetime.date(2025, 6, 30))
    assert not Club.objects.active(on=datetime.date(2022, 4, 30)).filter(pk=club.pk).exists()
    assert Club.objects.active(on=datetime.date(2022, 5, 1)).filter(pk=club.pk).exists()
    assert Club.objects.active(on=datetime.date(2025, 6, 29)).filter(pk=club.pk).exists()
    assert not Club.objects.active(on=datetime.date(2025, 6, 30)).filter(pk=club.pk).exists()


def test_create_staff_creates_and_updates_district_account(django_user_model):
    call_command("create_staff", "lan", "--role", "district", "--district", "107", "--password", "Suoi-Nung-2025")
    user = django_user_model.objects.get(username="lan")
    assert user.staff.role == Staff.Role.DISTRICT and user.staff.district.name == "Huyện Mường Tè"
    assert user.check_password("Suoi-Nung-2025")
    call_command("create_staff", "lan", "--role", "officer", "--password", "Pu-Ta-Leng-3096")
    user.refresh_from_db()
    assert user.staff.sees_all and user.check_password("Pu-Ta-Leng-3096")


def test_create_staff_refuses_unknown_district():
    with pytest.raises(CommandError, match="Không có huyện cũ mã 999"):
        call_command("create_staff", "x", "--role", "district", "--district", "999", "--password", "Suoi-Nung-2025")


def test_create_staff_admin_gets_django_admin(client, django_user_model):
    call_command("create_staff", "root2", "--role", "admin", "--password", "Suoi-Nung-2025")
    client.force_login(django_user_model.objects.get(username="root2"))
    assert client.get(reverse("admin:index")).status_code == 200


def test_seed_demo_prints_logins_and_can_run_twice(django_user_model):
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    assert "canbo.tinh" in out.getvalue() and "canbo.105" in out.getvalue()
    assert django_user_model.objects.filter(username__startswith="canbo.").count() == 9


def test_money_is_written_the_vietnamese_way():
    assert format_vnd(15000000) == "15.000.000 đ"
    assert parse_vnd("15.000.000") == parse_vnd("15000000") == parse_vnd("15.000.000 đ") == 15000000
    for bad in ("15,000,000", "15.00.000", "abc", "1.5"):
        with pytest.raises(ValueError):
            parse_vnd(bad)


def test_fold_ignores_vietnamese_diacritics_and_case():
    assert fold("Nguyễn Thị ĐÀO") == "nguyen thi dao"


def test_static_assets_are_served_by_the_app(officer_client):
    html = officer_client.get("/").content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "http" not in html.split("<body")[0].replace('http-equiv', '')
    assert officer_client.get("/static/vendor/htmx/htmx.min.js").status_code == 200


def test_dates_display_day_first(officer_client):
    club = ClubFactory(founded_on=datetime.date(2023, 2, 5), commune=commune("03388"))
    html = officer_client.get(reverse("clubs:list")).content.decode()
    assert club.code in html and "05/02/2023" in html
