"""The plan's activity pages in real Chromium: nothing scrolls sideways on a 390 px phone and axe finds
nothing serious, with long names and notes in every kind of row (the walk of
laichau_clb/tests/test_browser_field_ready.py, on these pages)."""
import pytest
from django.urls import reverse

from clubs.tests.factories import ClubFactory
from laichau_clb.tests.test_browser_field_ready import _walk
from programme.tests.factories import budget, communication, exchange, supervision, training

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Hội Người cao tuổi huyện Phong Thổ phối hợp Trung tâm y tế và Ủy ban nhân dân các xã vùng cao biên giới"


def test_programme_pages_fit_a_phone_and_pass_axe(browser, officer, live_server):
    club = ClubFactory(code="CLB-105-LONG", name="CLB liên thế hệ tự giúp nhau bản Nậm Loỏng Phường Đoàn Kết")
    area = club.commune.parent
    other = ClubFactory(code="CLB-106-LONG", name="CLB liên thế hệ tự giúp nhau bản Sì Thâu Chải xã Phìn Hồ",
                        commune=club.commune)
    rows = {
        "training": training(area, organiser=LONG, topic=f"Tập huấn kỹ năng quản lý, vận hành CLB – {LONG}"),
        "communication": communication(club.commune, title=f"Nói chuyện chuyên đề chăm sóc sức khỏe – {LONG}",
                                       note=LONG),
        "exchange": exchange(area, [club, other], title=f"Học tập mô hình sinh kế – {LONG}", outside=True,
                             destination="Thành phố Điện Biên Phủ, tỉnh Điện Biên"),
        "supervision": supervision(club, by_whom=LONG, findings=f"Sổ sách ghi chép chưa đầy đủ – {LONG}",
                                   follow_up="Mở sổ quỹ hoạt động và sổ theo dõi sức khỏe của từng thành viên"),
        "budget": budget(area, estimate=1_250_000_000, actual=987_654_321, note=LONG),
    }
    pages = []
    for key, row in rows.items():
        pages += [reverse(f"programme:{key}_list") + "?year=2025", reverse(f"programme:{key}_add"),
                  reverse(f"programme:{key}_edit", args=[row.pk]), reverse(f"programme:{key}_cancel", args=[row.pk])]
    pages.append(reverse("programme:club_visits", args=[club.code]))
    problems = _walk(browser, live_server, officer, pages)
    assert problems == [], "\n".join(problems)
