"""The activities' pages read in English for an officer who switched, and in Vietnamese by default."""
import pytest
from django.urls import reverse

from clubs.tests.i18n import assert_pages_read, switch
from programme.tests.factories import supervision, training

pytestmark = pytest.mark.django_db


def test_programme_pages_in_english_and_back(officer_client, club_a, district_a):
    t = training(district_a)
    supervision(club_a, follow_up="Làm tiếp")
    urls = {"list": reverse("programme:training_list") + "?year=2025",
            "edit": reverse("programme:training_edit", args=[t.pk]),
            "club": reverse("programme:club_visits", args=[club_a.code]),
            "budget": reverse("programme:budget_add")}
    english = {"list": ["The plan's activities", "Record a training", "Association cadres", "Show cancelled rows"],
               "edit": ["Change history", "Cancel a row entered by mistake", "Training date"],
               "club": ["Supervision and support visits to the club", "Not done yet", "1 follow-up not done yet."],
               "budget": ["Source of funds", "Estimate (đồng)", "Provincial budget"]}
    vietnamese = {"list": ["Hoạt động của Đề án", "Ghi lớp tập huấn", "Cán bộ Hội"],
                  "edit": ["Lịch sử thay đổi", "Hủy dòng nhập nhầm"],
                  "club": ["Các lần kiểm tra, giám sát, hỗ trợ CLB", "Chưa thực hiện"],
                  "budget": ["Nguồn kinh phí", "Ngân sách tỉnh"]}
    assert_pages_read(officer_client, urls, vietnamese, hidden=english)
    switch(officer_client, "en")
    assert_pages_read(officer_client, urls, english, hidden=vietnamese)
    switch(officer_client, "vi")
    assert_pages_read(officer_client, urls, vietnamese)
