"""Diacritics-insensitive search: the database keeps search_text whatever path wrote the row."""
import unicodedata

import pytest
from django.db import connection
from django.urls import reverse

from clubs.formatting import fold
from clubs.models import Club, Member
from clubs.search import _LETTERS, Fold, matching
from clubs.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_database_folds_every_vietnamese_letter_like_python(club_a):
    member = MemberFactory(club=club_a, full_name=_LETTERS)
    stored = Member.objects.get(pk=member.pk).search_text
    assert stored == fold(_LETTERS)
    assert stored.isascii() and stored == stored.lower()


def test_decomposed_text_from_phone_keyboards_is_folded_too(club_a):
    member = MemberFactory(club=club_a, full_name=unicodedata.normalize("NFD", "Nguyễn Thị Ước"))
    assert Member.objects.get(pk=member.pk).search_text == "nguyen thi uoc"


def test_rows_written_without_the_services_are_searchable(club_a):
    """The workbook import, the admin and bulk loads do not go through clubs.services."""
    Member.objects.bulk_create([Member(club=club_a, code="B1", full_name="Đèo Văn Ún", gender="male",
                                       birth_year=1950, joined_on=club_a.founded_on)])
    Club.objects.filter(pk=club_a.pk).update(name="CLB Điện Biên Phủ")
    assert Member.objects.filter(matching("deo van un")).count() == 1
    assert Club.objects.filter(matching("dien bien")).get() == club_a


@pytest.mark.parametrize("query", ["nguyen", "NGUYEN", "Nguyễn", "nguyễn thị", "thi nguyen", "  nguyen   hoa "])
def test_member_words_match_in_any_order_and_case(club_a, query):
    MemberFactory(club=club_a, full_name="Nguyễn Thị Hoa")
    MemberFactory(club=club_a, full_name="Trần Văn Nguyên")
    found = set(Member.objects.filter(matching(query)).values_list("full_name", flat=True))
    assert "Nguyễn Thị Hoa" in found
    if "thi" in fold(query) or "hoa" in fold(query):
        assert found == {"Nguyễn Thị Hoa"}


def test_dao_finds_dao_with_a_stroke(officer_client, club_a):
    MemberFactory(club=club_a, full_name="Đào Thị Lan")
    MemberFactory(club=club_a, full_name="Lò Thị Mai")
    html = officer_client.get(reverse("clubs:member_search"), {"q": "dao"}).content.decode()
    assert "Đào Thị Lan" in html and "Lò Thị Mai" not in html


def test_search_runs_in_the_database_on_the_stored_folded_column(club_a):
    Member.objects.bulk_create([
        Member(club=club_a, code=f"P{i:05d}", full_name=f"Giàng Thị Sua {i}", gender="female", birth_year=1950,
               joined_on=club_a.founded_on)
        for i in range(5000)
    ])
    MemberFactory(club=club_a, full_name="Đào Thị Lan")
    sql = str(Member.objects.filter(matching("dao lan")).query)
    assert "search_text" in sql
    # Speed is measured by the benchmark command, not by a timed test.
    assert Member.objects.filter(matching("dao lan")).count() == 1
    if connection.vendor == "postgresql":
        assert "TRANSLATE" in str(Member.objects.annotate(f=Fold("full_name")).query)


def test_admin_search_ignores_diacritics(client, django_user_model, club_a):
    admin = django_user_model.objects.create_superuser("root", password="x-pass-123")
    client.force_login(admin)
    MemberFactory(club=club_a, full_name="Nguyễn Thị Hoa")
    MemberFactory(club=club_a, full_name="Lò Thị Mai")
    html = client.get("/admin/clubs/member/", {"q": "nguyen"}).content.decode()
    assert "Nguyễn Thị Hoa" in html and "Lò Thị Mai" not in html
