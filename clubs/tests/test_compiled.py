"""The club list's rows from SQL compiled once per number of clubs (clubs.compiled): each page still
gets its own clubs, with the values the queryset itself gives (dates, not SQLite's text of them)."""
import datetime

import pytest
from django.urls import reverse

from clubs import compiled
from clubs.models import Club, Track
from clubs.tests.factories import COMMUNE_IN_B, ActivityFactory, ClubFactory, add_members, commune
from clubs.page_rows import _listed_queries

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 12, 31)
TRACKS = [Track.EXISTING, Track.NEW_ROTATION, Track.NEW_BUDGET, Track.OTHER]


@pytest.fixture
def four_clubs():
    made = []
    for i, (women, men) in enumerate([(5, 2), (1, 3), (0, 0), (8, 1)]):
        placed = {"commune": commune(COMMUNE_IN_B)} if i % 2 else {}
        club = ClubFactory(code=f"CLB-CP{i}", founded_on=datetime.date(2020 + i, 3, 9 + i), track=TRACKS[i],
                           dissolved_on=datetime.date(2025, 6, 30) if i == 2 else None, **placed)
        add_members(club, women=women, men=men, older_women=min(women, 2), older_men=0)
        ActivityFactory(club=club, date=datetime.date(2025, 4, 1))
        made.append(club)
    return made


def _compiled(ids):
    return compiled.rows_for_ids(("test", ON), lambda stand_ins: _listed_queries(ON, stand_ins), ids, alias="default",
                                 converted=True)["rows"]


def test_each_pair_of_clubs_gets_its_own_rows_from_the_sql_compiled_for_the_first(four_clubs):
    compiled._COMPILED.clear()
    a, b, c, d = (club.pk for club in four_clubs)
    for ids in ([a, b], [d, c], [b, d]):
        assert _compiled(ids) == list(Club.objects.filter(pk__in=ids).listed(on=ON))
    assert len(compiled._COMPILED) == 1  # two clubs, one date: one shape
    (row,) = _compiled([c])
    assert row[2] == datetime.date(2025, 6, 30) and row[6] == datetime.date(2022, 3, 11)
    assert row[7:] == (0, 0, 0, 1)


def test_no_clubs_no_rows_and_nothing_compiled():
    compiled._COMPILED.clear()
    assert _compiled([]) == []
    assert not compiled._COMPILED


def test_the_list_shows_each_clubs_own_dates_counts_and_place(officer_client, four_clubs):
    html = officer_client.get(reverse("clubs:list")).content.decode()
    first, second = html.index("CLB-CP1"), html.index("CLB-CP2")
    row = html[first:second]
    assert "12/03/2021" not in row and "10/03/2021" in row  # founded 10/03/2021, as dd/mm/yyyy
    assert commune(COMMUNE_IN_B).name in row and commune(COMMUNE_IN_B).parent.name in row
    assert ">4<" in row and "Mới - luân chuyển vốn" in row
    assert "Đã giải thể" in html[second:html.index("CLB-CP3")]


def test_a_filter_that_matches_nothing_shows_no_row(officer_client, four_clubs):
    html = officer_client.get(reverse("clubs:list"), {"q": "không có clb nào như thế"}).content.decode()
    assert "Chưa có câu lạc bộ nào." in html and "CLB-CP" not in html
