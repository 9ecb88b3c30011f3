"""The club list's rows repeated from the in-process memo ({% memo %}) only while what they show is the same."""
import pytest
from django.test import Client
from django.urls import reverse

from clubs import cache as generations
from clubs.models import Area, Club
from clubs.templatetags import clb
from clubs.tests.factories import add_members

pytestmark = pytest.mark.django_db


def _kept():
    """The fragments the club list's own template keeps (base.html keeps the menu as well)."""
    return [key for key in clb._memo if key[0].endswith("club_list.html")]


def _row(page, code):
    start = page.index(f'href="/clubs/{code}/"')
    return page[start:page.index("</tr>", start)]


def test_a_row_shows_every_change_of_its_club(officer_client, club_a):
    clb._memo.clear()
    before = _row(officer_client.get(reverse("clubs:list")).content.decode(), club_a.code)
    assert len(_kept()) == 1 + 1  # the row, and the filters
    Club.objects.filter(pk=club_a.pk).update(name="CLB Đổi Tên")
    renamed = _row(officer_client.get(reverse("clubs:list")).content.decode(), club_a.code)
    assert "CLB Đổi Tên" in renamed and renamed != before
    add_members(club_a, women=2, men=1)
    grown = _row(officer_client.get(reverse("clubs:list")).content.decode(), club_a.code)
    assert ">3<" in grown and grown != renamed
    assert _row(officer_client.get(reverse("clubs:list")).content.decode(), club_a.code) == grown
    assert len(_kept()) == 3 + 1  # three versions of the row, the same filters


def _filters(page):
    start = page.index('id="club-filter"')
    return page[start:page.index("</form>", start)]


def test_the_filters_list_a_commune_the_areas_gain(officer_client, club_a):
    before = _filters(officer_client.get(reverse("clubs:list")).content.decode())
    assert "Xã Mới Lập" not in before
    # As a migration adds a unit (clubs/areas.py): the wide generation moves with it.
    Area.objects.create(level=Area.Level.COMMUNE, code="99999", name="Xã Mới Lập", parent=club_a.commune.parent)
    generations.bump()
    after = _filters(officer_client.get(reverse("clubs:list")).content.decode())
    assert "Xã Mới Lập" in after


def test_each_viewer_gets_the_filters_of_their_own_scope_and_question(officer_client, staff_a, club_a, club_b):
    everyone = _filters(officer_client.get(reverse("clubs:list")).content.decode())
    staff_a_client = Client()
    staff_a_client.force_login(staff_a)
    own = _filters(staff_a_client.get(reverse("clubs:list")).content.decode())
    b_district = club_b.commune.parent
    assert f'value="{b_district.pk}"' in everyone and f'value="{b_district.pk}"' not in own
    assert club_b.commune.name in everyone and club_b.commune.name not in own
    # What was asked is shown: the chosen district selected, the commune list of that district only.
    asked = _filters(officer_client.get(reverse("clubs:list"), {"district": b_district.pk}).content.decode())
    assert f'value="{b_district.pk}" selected' in asked and club_a.commune.name not in asked
    refused = _filters(officer_client.get(reverse("clubs:list"),
                                          {"district": b_district.pk, "commune": club_a.commune.pk}).content.decode())
    assert "không thuộc huyện cũ đã chọn" in refused
    assert _filters(officer_client.get(reverse("clubs:list")).content.decode()) == everyone
