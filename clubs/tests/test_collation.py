"""Issue 12, "Vietnamese everywhere": names in the order of the Vietnamese alphabet on both databases.
"Than Uyên" after "Tân Uyên" (â before h), names starting with Đ right after D, not after "Vũ"."""
import pytest
from django.urls import reverse

from clubs.collation import vi_key, vi_order
from clubs.models import Area, Member
from clubs.tests.factories import COMMUNE_IN_A, MemberFactory, commune

NAMES = ["Vũ", "Than Uyên", "Én", "Đào", "Tân Uyên", "Dũng", "Dao", "an", "Ân", "Ăn"]
EXPECTED = ["an", "Ăn", "Ân", "Dao", "Dũng", "Đào", "Én", "Tân Uyên", "Than Uyên", "Vũ"]


def test_the_key_follows_the_vietnamese_alphabet_then_tones_then_case():
    assert sorted(NAMES, key=vi_key) == EXPECTED
    assert sorted(["mạ", "má", "mã", "mả", "mà", "Ma", "ma"], key=vi_key) == ["ma", "Ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(["Lò Văn B", "Lò Thị A", "Lò"], key=vi_key) == ["Lò", "Lò Thị A", "Lò Văn B"]
    # Decomposed input (as pasted from some editors) sorts like the composed one.
    assert vi_key("Đào")[:3] == vi_key("Đa\u0300o")[:3]


@pytest.mark.django_db
def test_the_database_sorts_names_the_same_way_as_the_key(club_a):
    for i, name in enumerate(NAMES):
        MemberFactory(club=club_a, code=f"TV{i:03}", full_name=name)
    names = list(Member.objects.filter(club=club_a).order_by(vi_order("full_name")).values_list("full_name", flat=True))
    assert names == EXPECTED
    desc = Member.objects.filter(club=club_a).order_by(vi_order("full_name", descending=True))
    assert list(desc.values_list("full_name", flat=True)) == EXPECTED[::-1]


@pytest.mark.django_db
def test_the_club_list_offers_communes_in_vietnamese_order(officer_client):
    district = commune(COMMUNE_IN_A).parent
    for code, name in [("99001", "Xã Than Uyên"), ("99002", "Xã Tân Uyên"), ("99003", "Xã Đào San"),
                       ("99004", "Xã Dũng"), ("99005", "Xã Én")]:
        Area.objects.create(level=Area.Level.COMMUNE, code=code, name=name, parent=district)
    html = officer_client.get(reverse("clubs:list"), {"district": district.pk}).content.decode()
    at = {name: html.index(f">{name}<") for name in ["Xã Tân Uyên", "Xã Than Uyên", "Xã Dũng", "Xã Đào San", "Xã Én"]}
    assert at["Xã Tân Uyên"] < at["Xã Than Uyên"]
    assert at["Xã Dũng"] < at["Xã Đào San"] < at["Xã Én"]


@pytest.mark.django_db
def test_member_search_lists_names_in_vietnamese_order(staff_a_client, club_a):
    for i, name in enumerate(["Lò Thị Vũ", "Lò Than Uyên", "Lò Tân Uyên", "Lò Đào", "Lò Dũng", "Lò Én"]):
        MemberFactory(club=club_a, code=f"TV{i:03}", full_name=name)
    html = staff_a_client.get(reverse("clubs:member_search"), {"q": "lo"}).content.decode()
    order = sorted(["Lò Thị Vũ", "Lò Than Uyên", "Lò Tân Uyên", "Lò Đào", "Lò Dũng", "Lò Én"], key=html.index)
    assert order == ["Lò Dũng", "Lò Đào", "Lò Én", "Lò Tân Uyên", "Lò Than Uyên", "Lò Thị Vũ"]
