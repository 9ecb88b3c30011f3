"""Error pages under the test settings: Vietnamese, in the layout, the CSRF page says to reload."""
import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_unknown_address_is_a_vietnamese_404_in_the_layout(officer_client):
    response = officer_client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and 'id="whoami"' in html


def test_another_districts_club_is_the_same_404(staff_a_client, club_b):
    response = staff_a_client.get(reverse("clubs:detail", args=[club_b.code]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_forbidden_is_a_vietnamese_403(outsider, client):
    client.force_login(outsider)
    response = client.get(reverse("workbook:index"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_a_stale_form_gets_a_page_that_says_to_reload(officer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "officer", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Trang đã cũ, hãy tải lại" in html and "CSRF verification failed" not in html


@pytest.mark.urls("laichau_clb.tests.error_urls")
def test_a_failing_view_gets_the_500_page_and_a_logged_traceback(caplog):
    from laichau_clb.tests.error_urls import SECRET_DETAIL

    response = Client(raise_request_exception=False).get("/loi-thu/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Lỗi máy chủ" in html and SECRET_DETAIL not in html
    record = next(r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR")
    assert record.exc_info and str(record.exc_info[1]) == SECRET_DETAIL


def test_with_debug_off_another_districts_member_is_a_vietnamese_404(settings, staff_a_client, club_b):
    from clubs.tests.factories import MemberFactory

    settings.DEBUG = False
    member = MemberFactory(club=club_b)
    response = staff_a_client.get(reverse("clubs:member_edit", args=[club_b.code, member.pk]))
    html = response.content.decode()
    assert response.status_code == 404 and "Không tìm thấy trang" in html
    assert "Not Found" not in html and 'lang="vi"' in html


@pytest.mark.urls("laichau_clb.tests.error_urls")
def test_with_debug_off_the_500_page_is_vietnamese_without_a_request_context(settings):
    # Django renders 500.html with an empty context (no context processors): the page must still
    # say which language it is in, for screen readers, and not crash on what the layout reads.
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/loi-thu/")
    html = response.content.decode()
    assert response.status_code == 500 and 'lang="vi"' in html
    assert "Lỗi máy chủ" in html and "Server Error" not in html and "Về trang chủ" in html
