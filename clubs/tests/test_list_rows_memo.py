"""The club list's rows repeated from the in-process memo ({% memo %}) only while what they show is the same."""
import pytest
from django.urls import reverse

from clubs.models import Club
from clubs.templatetags import clb
from clubs.tests.factories import add_members

pytestmark = pytest.mark.django_db


def _row(page, code):
    start = page.index(f'href="/clubs/{code}/"')
    return page[start:page.index("</tr>", start)]


def test_a_row_shows_every_change_of_its_club(officer_client, club_a):
    clb._memo.clear()
    before = _row(officer_client.get(reverse("clubs:list")).content.decode(), club_a.code)
    assert len(clb._memo) == 1
    Club.objects.filter(pk=club_a.pk).update(name="CLB Đổi Tên")
    renamed = _row(officer_client.get(reverse("clubs:list")).content.decode(), club_a.code)
    assert "CLB Đổi Tên" in renamed and renamed != before
    add_members(club_a, women=2, men=1)
    grown = _row(officer_client.get(reverse("clubs:list")).content.decode(), club_a.code)
    assert ">3<" in grown and grown != renamed
    assert _row(officer_client.get(reverse("clubs:list")).content.decode(), club_a.code) == grown
    assert len(clb._memo) == 3
