"""The pages of the plan's activities: scoping for every view, entry and correction through the forms with
every error at once, cancelling, the club's supervision page and fixed query counts."""
import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clubs.tests.factories import COMMUNE_IN_A, ClubFactory
from programme import services
from programme.models import BudgetLine, SupervisionVisit, Training
from programme.tests.factories import (
    ON, budget, commune, communication, district, exchange, province, supervision, training,
)

pytestmark = pytest.mark.django_db
KEYS = ("training", "communication", "exchange", "supervision", "budget")


def text(response):
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


@pytest.fixture
def rows(club_a, club_b, district_a, district_b):
    """One row of each kind in district A and in district B, and the province's own."""
    made = {}
    for name, area, club in (("a", district_a, club_a), ("b", district_b, club_b), ("p", province(), None)):
        made[name] = {
            "training": training(area, topic=f"Tập huấn {name}"),
            "communication": communication(area, title=f"Truyền thông {name}"),
            "exchange": exchange(area, [club or club_a], title=f"Giao lưu {name}"),
            "budget": budget(area),
        }
        if club is not None:
            made[name]["supervision"] = supervision(club, findings=f"Giám sát {name}")
    return made


def urls(key, obj):
    return [reverse(f"programme:{key}_list") + "?year=2025", reverse(f"programme:{key}_add"),
            reverse(f"programme:{key}_edit", args=[obj.pk]), reverse(f"programme:{key}_cancel", args=[obj.pk])]


@pytest.mark.parametrize("key", KEYS)
def test_every_view_is_scoped(key, rows, officer, staff_a, staff_b, outsider):
    from django.test import Client

    anon_client, officer_client, client = Client(), Client(), Client()
    officer_client.force_login(officer)
    for url in urls(key, rows["a"][key]):
        response = anon_client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    for url in urls(key, rows["a"][key]):
        assert officer_client.get(url).status_code == 200, url
    client.force_login(staff_a)
    for url in urls(key, rows["a"][key]):
        assert client.get(url).status_code == 200, url
    for url in urls(key, rows["b"][key])[2:]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    if key != "supervision":  # the province's own rows: not district staff's
        for url in urls(key, rows["p"][key])[2:]:
            assert client.get(url).status_code == 404, url
    listing = text(client.get(urls(key, rows["a"][key])[0]))
    assert f'id="row-{rows["a"][key].pk}"' in listing and f'id="row-{rows["b"][key].pk}"' not in listing
    client.force_login(staff_b)
    listing = text(client.get(urls(key, rows["a"][key])[0]))
    assert f'id="row-{rows["a"][key].pk}"' not in listing and f'id="row-{rows["b"][key].pk}"' in listing
    client.force_login(outsider)
    assert client.get(urls(key, rows["a"][key])[0]).status_code == 403


def test_club_page_lists_the_visits_it_received_and_is_scoped(rows, club_a, club_b, officer_client, staff_b):
    from django.test import Client

    staff_b_client = Client()
    staff_b_client.force_login(staff_b)
    supervision(club_a, datetime.date(2025, 4, 1), follow_up="Mở sổ quỹ hoạt động", findings="Thiếu sổ quỹ")
    page = text(officer_client.get(reverse("programme:club_visits", args=[club_a.code])))
    assert "Giám sát a" in page and "Thiếu sổ quỹ" in page and "Giám sát b" not in page
    assert "Chưa thực hiện" in page and "Còn 1 kiến nghị chưa thực hiện." in page
    detail = text(officer_client.get(reverse("clubs:detail", args=[club_a.code])))
    assert reverse("programme:club_visits", args=[club_a.code]) in detail
    assert staff_b_client.get(reverse("programme:club_visits", args=[club_a.code])).status_code == 404
    assert text(staff_b_client.get(reverse("programme:club_visits", args=[club_b.code])))


def test_nav_links_the_activities_for_staff(officer_client):
    assert reverse("programme:index") in text(officer_client.get("/"))
    assert officer_client.get(reverse("programme:index")).status_code == 302


def test_adding_a_training_through_the_form(staff_a_client, staff_a, district_a):
    area = commune(COMMUNE_IN_A)
    response = staff_a_client.post(reverse("programme:training_add"), {
        "date": "05/03/2025", "area": area.pk, "organiser": "Hội NCT phường", "topic": "Quản lý quỹ",
        "cadres": "2", "board": "5", "members": "30", "others": ""})
    assert response.status_code == 302
    saved = Training.objects.get()
    assert (saved.area, saved.participants, saved.others) == (area, 37, 0)
    assert saved.history.get().history_user == staff_a
    page = text(staff_a_client.get(response["Location"]))
    assert "Quản lý quỹ" in page and "Xã" in page and "37" in page
    edit = text(staff_a_client.get(reverse("programme:training_edit", args=[saved.pk])))
    assert "Lịch sử thay đổi" in edit and "staff_a" in edit


def test_a_form_shows_every_error_at_once(staff_a_client, district_b):
    page = text(staff_a_client.post(reverse("programme:training_add"), {
        "date": "31/12/2099", "area": district_b.pk, "organiser": "", "topic": "x", "cadres": "-1"}))
    assert "Chưa lưu được" in page
    assert "Ngày không được sau hôm nay" in page
    assert "Chưa chọn Địa bàn" in page or "lựa chọn không có trong danh sách" in page
    assert "Chưa nhập Đơn vị tổ chức." in page
    assert "Cán bộ Hội phải từ 0 trở lên." in page
    assert not Training.objects.exists()


def test_supervision_from_the_club_page_with_a_follow_up_then_done(officer_client, club_a):
    add = reverse("programme:supervision_add") + f"?club={club_a.code}"
    form = text(officer_client.get(add))
    assert f'<option value="{club_a.pk}" selected' in form
    response = officer_client.post(add, {"club": club_a.pk, "date": "05/03/2025", "by_whom": "Hội NCT huyện",
                                         "findings": "Sổ sách chưa đủ", "follow_up": "Bổ sung sổ quỹ",
                                         "follow_up_done_on": "01/03/2025"})
    page = text(response)
    assert str(services.FOLLOW_UP_DATE_NOT_DONE) in page
    assert "Ngày thực hiện xong không được trước ngày kiểm tra, giám sát (05/03/2025)." in page
    response = officer_client.post(add, {"club": club_a.pk, "date": "05/03/2025", "by_whom": "Hội NCT huyện",
                                         "findings": "Sổ sách chưa đủ", "follow_up": "Bổ sung sổ quỹ"})
    assert response["Location"] == reverse("programme:club_visits", args=[club_a.code])
    visit = SupervisionVisit.objects.get()
    assert visit.follow_up_open
    response = officer_client.post(reverse("programme:supervision_edit", args=[visit.pk]), {
        "club": club_a.pk, "date": "05/03/2025", "by_whom": "Hội NCT huyện", "findings": "Sổ sách chưa đủ",
        "follow_up": "Bổ sung sổ quỹ", "follow_up_done": "on", "follow_up_done_on": "20/03/2025"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.follow_up_done and visit.follow_up_done_on == datetime.date(2025, 3, 20)


def test_budget_line_once_per_year_area_source_and_totals(officer_client, district_a):
    budget(district_a, 2025, "province", estimate=100_000_000, actual=90_000_000)
    budget(district_a, 2025, "social", estimate=20_000_000, actual=5_000_000)
    page = text(officer_client.post(reverse("programme:budget_add"), {
        "year": "2025", "area": district_a.pk, "source": "province", "estimate": "15.000.000", "actual": ""}))
    assert "Đã có dòng kinh phí “Ngân sách tỉnh” năm 2025 của Thành phố Lai Châu" in page
    page = text(officer_client.post(reverse("programme:budget_add"), {
        "year": "2025", "area": district_a.pk, "source": "commune", "estimate": "1.000.000.000.001", "actual": "x"}))
    assert "Số tiền quá lớn" in page and "Số tiền không hợp lệ" in page
    listing = text(officer_client.get(reverse("programme:budget_list") + "?year=2025"))
    total = listing.split('id="budget-total"')[1].split("</tr>")[0]
    assert "120.000.000 đ" in total and "95.000.000 đ" in total


def test_cancelling_keeps_the_row_with_its_reason(staff_a_client, district_a):
    t = training(district_a, topic="Nhập nhầm")
    url = reverse("programme:training_cancel", args=[t.pk])
    assert "Chưa nhập Lý do hủy." in text(staff_a_client.post(url, {"reason": " "}))
    response = staff_a_client.post(url, {"reason": "Trùng với lớp ngày 06/03"})
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.cancelled and t.cancel_reason == "Trùng với lớp ngày 06/03" and t.history.count() == 2
    listing = text(staff_a_client.get(reverse("programme:training_list") + "?year=2025"))
    assert "Nhập nhầm" not in listing.split('id="entry-table"')[1]
    cancelled = text(staff_a_client.get(reverse("programme:training_list") + "?year=2025&huy=1"))
    assert "Nhập nhầm" in cancelled and "Trùng với lớp ngày 06/03" in cancelled
    assert staff_a_client.get(reverse("programme:training_edit", args=[t.pk])).status_code == 404


def test_an_approved_year_refuses_writes_on_the_page(staff_a_client, officer, district_a):
    from reporting import approval

    t = training(district_a)
    approval.year_approve(user=officer, area=province(), year=2025)
    page = text(staff_a_client.post(reverse("programme:training_cancel", args=[t.pk]), {"reason": "nhầm"}))
    assert "Năm 2025 đã được phê duyệt số liệu" in page
    page = text(staff_a_client.post(reverse("programme:budget_add"), {
        "year": "2025", "area": district_a.pk, "source": "province", "estimate": "1.000.000"}))
    assert "Năm 2025 đã được phê duyệt số liệu" in page
    t.refresh_from_db()
    assert not t.cancelled and not BudgetLine.objects.exists()


SOURCES = ["central", "province", "district", "commune", "social", "local", "international", "other"]


def _grow(n, club, first=0):
    area = district(club.commune.parent.code)
    for i in range(n):
        training(area, ON + datetime.timedelta(days=i))
        communication(area, ON + datetime.timedelta(days=i))
        exchange(area, [club, ClubFactory(commune=club.commune)], ON + datetime.timedelta(days=i))
        supervision(club, ON + datetime.timedelta(days=i), follow_up="Làm tiếp")
        budget(area, 2025, SOURCES[first + i])


def test_list_pages_keep_a_fixed_number_of_queries(officer_client, club_a, django_assert_num_queries):
    pages = [reverse(f"programme:{key}_list") + "?year=2025" for key in KEYS]
    pages.append(reverse("programme:club_visits", args=[club_a.code]))
    _grow(2, club_a)

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert officer_client.get(path).status_code == 200
        return len(ctx.captured_queries)

    before = [count(p) for p in pages]
    _grow(6, club_a, first=2)
    for path, n in zip(pages, before):
        with django_assert_num_queries(n):
            assert officer_client.get(path).status_code == 200


def test_the_edit_page_shows_who_changed_which_fields(staff_a_client, staff_a, officer, district_a):
    values = {"area": district_a, "date": ON, "organiser": "Hội NCT huyện", "topic": "Kỹ năng quản lý CLB",
              "cadres": 4, "board": 0, "members": 0, "others": 0, "note": ""}
    t = services.training_save(user=staff_a, **values)
    services.training_save(user=officer, training=t, **{**values, "topic": "Kỹ năng vận động nguồn lực"})
    page = text(staff_a_client.get(reverse("programme:training_edit", args=[t.pk])))
    rows = page.split('id="history-table"')[1].split("</table>")[0].split("<tr>")[2:]
    assert len(rows) == 2
    newest, first = rows
    assert (officer.get_full_name() or officer.username) in newest and "Sửa" in newest and "nội dung" in newest
    assert (staff_a.get_full_name() or staff_a.username) in first and "Tạo mới" in first
