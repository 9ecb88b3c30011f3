"""The menu of every page, rendered once per process for each role (base.html's {% memo %}): each
person still sees the menu of their own role, whoever was served before them."""
import re

from django.test import Client
from django.urls import reverse

from clubs.tests.i18n import switch

APPROVALS, REPORTS, ADMIN = "Phê duyệt số liệu", "Báo cáo năm", "Quản trị"


def _menu(client):
    page = client.get(reverse("clubs:list")).content.decode()
    return re.search(r'<ul class="navbar-nav[^"]*">(.*?)</ul>', page, re.S).group(1)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_each_role_sees_its_own_menu_in_turn(officer, staff_a, outsider, django_user_model):
    root = django_user_model.objects.create_superuser(username="root", password="x")  # noqa: S106
    for _round in range(2):  # the second round is served from the kept menus
        officer_menu, staff_menu, outsider_menu = _menu(_client(officer)), _menu(_client(staff_a)), _menu(_client(outsider))
        root_menu = _menu(_client(root))
        assert APPROVALS in officer_menu and REPORTS in officer_menu and ADMIN not in officer_menu
        assert APPROVALS not in staff_menu and REPORTS in staff_menu
        assert REPORTS not in outsider_menu and APPROVALS not in outsider_menu
        assert ADMIN in root_menu


def test_the_menu_follows_the_language(officer):
    client = _client(officer)
    assert "Câu lạc bộ" in _menu(client)
    switch(client, "en")
    english = _menu(client)
    assert "Câu lạc bộ" not in english and "Clubs" in english
