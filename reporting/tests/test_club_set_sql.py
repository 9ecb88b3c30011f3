"""A set of clubs' figures from SQL compiled once per shape (club_aggregates.run): the kept rows'
recomputation after a write builds no query, and each set still gets its own clubs' figures."""
import dataclasses
import datetime
import re

import pytest
from django.db import connection

from clubs import compiled
from clubs.models import Area, Club
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, ClubFactory, add_members, commune
from reporting import indicators
from reporting.club_aggregates import ClubSet, run
from reporting.tests.builders import all_areas, entry, good_club, loan, monthly_meetings

D = datetime.date(2025, 12, 31)


@pytest.fixture
def clubs(db):
    # Three clubs that differ in every group of figures: members, funds, loans, activities, meetings.
    rich, _ = good_club("CLB-SQ1", borrowers=12)
    plain = ClubFactory(code="CLB-SQ2", commune=commune(COMMUNE_IN_B), founded_on=datetime.date(2025, 2, 1))
    add_members(plain, women=3, men=2, older_women=1, older_men=0)
    third = ClubFactory(code="CLB-SQ3", founded_on=datetime.date(2024, 5, 1))
    women = add_members(third, women=6, men=1)
    entry(third)
    loan(women[0], principal=2_000_000)
    monthly_meetings(third)
    all_areas(third)
    return [rich, plain, third]


def live(club, on=D):
    """The club's row as the area's live figures give it."""
    province = Area.objects.get(level=Area.Level.PROVINCE)
    return next(dataclasses.asdict(r) for r in indicators.club_figures(area=province, as_of=on) if r.code == club.code)


def of_set(ids, on=D, **kwargs):
    return [dataclasses.asdict(r) for r in indicators._club_figures(ClubSet(ids), on, **kwargs)[0]]


def test_each_set_gets_its_own_clubs_from_the_sql_compiled_for_the_first(clubs):
    compiled._COMPILED.clear()
    for club in clubs:  # one shape (one club, D): compiled at the first, reused for the others
        assert of_set([club.pk]) == [live(club)]
    assert len(compiled._COMPILED) == 1
    rich, plain, third = clubs
    assert of_set([third.pk, rich.pk]) == [live(rich), live(third)]  # in code order, as the area's rows
    assert of_set([plain.pk, third.pk]) == [live(plain), live(third)]
    assert len(compiled._COMPILED) == 2
    # Another date is another shape: its dates are in the SQL.
    assert of_set([third.pk], on=datetime.date(2024, 12, 31)) == [live(third, datetime.date(2024, 12, 31))]
    assert len(compiled._COMPILED) == 3


def test_the_same_clubs_within_an_area_and_with_the_chart_series(clubs):
    rich, plain, third = clubs
    district = commune(COMMUNE_IN_A).parent
    # Within the former district of CLB-SQ1 and CLB-SQ3: CLB-SQ2 (another district) has no row there.
    found = indicators._club_figures(ClubSet([plain.pk, rich.pk], district), D, years=[2024, 2025])
    assert [r.code for r in found[0]] == ["CLB-SQ1"]
    alone = indicators.dashboard_figures(area=district, as_of=D, years=[2024, 2025])
    assert found[0][0] == next(r for r in alone["rows"] if r.code == "CLB-SQ1")
    again = indicators._club_figures(ClubSet([plain.pk, third.pk], district), D, years=[2024, 2025])
    assert [r.code for r in again[0]] == ["CLB-SQ3"]
    assert again[1]["loans"] == [(2024, 0, 0), (2025, 2_000_000, 2_000_000)]


def test_the_compiled_sql_is_what_the_ids_themselves_compile_to(clubs):
    ids = [c.pk for c in clubs]
    compiled._COMPILED.clear()
    run(indicators._queries, ClubSet([ids[0] + 1000, ids[1] + 1000, ids[2] + 1000]), D, False, (), True)
    (statements,) = compiled._COMPILED.values()
    direct = indicators._queries(ClubSet(ids), D, False, (), True)
    given = dict(zip(range(compiled.STAND_IN, compiled.STAND_IN - 3, -1), ids))
    for name, statement in statements.items():
        real, real_params = direct[name].query.get_compiler(connection=connection).as_sql()
        assert statement.sql == real, name
        assert [given.get(p, p) if type(p) is int else p for p in statement.params] == list(real_params), name
        if connection.vendor == "postgresql":
            # The prepared text, its $k given the ids, is what psycopg2 sends for the ids' own query.
            sent = re.sub(r"\$(\d+)\b", lambda m: str(ids[int(m[1]) - 1]), statement.text)
            assert sent == connection.ops.compose_sql(real, real_params), name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="chỉ PostgreSQL mới chuẩn bị sẵn câu lệnh")
@pytest.mark.django_db(transaction=True)  # a connection closes only outside a transaction
def test_a_new_connection_prepares_the_statements_again(clubs):
    rich, plain, third = clubs
    assert of_set([rich.pk]) == [live(rich)]
    connection.close()  # as a worker's connection closed between two tasks
    assert of_set([third.pk]) == [live(third)]
    assert len(connection._clubs_prepared) == 9


def test_a_query_holding_an_id_in_its_text_is_refused(clubs):
    def inlined(clubs_, as_of):
        # The ids written into the SQL text on purpose: what run must refuse to reuse for other ids.
        where = [f"id IN ({', '.join(map(str, clubs_.ids))})"]
        return {"clubs": Club.objects.extra(where=where).values_list("pk")}  # noqa: S610

    with pytest.raises(RuntimeError, match="not all parameters"):
        run(inlined, ClubSet([clubs[0].pk]), D)


def test_the_members_counts_are_read_under_their_own_names():
    # _club_figures reads the members query's columns by position, under these names.
    assert list(indicators._member_aggregates(D, False)) == list(indicators.MEMBER_KEYS)
    assert list(indicators._member_aggregates(D, True)) == [*indicators.MEMBER_KEYS, *indicators.BAND_KEYS]


def test_without_prepared_statements_each_set_still_gets_its_own_clubs(clubs, settings):
    settings.PREPARED_STATEMENTS = False  # PgBouncer in transaction mode (docs/deploy.md)
    compiled._COMPILED.clear()
    for club in clubs:
        assert of_set([club.pk]) == [live(club)]
    (statements,) = compiled._COMPILED.values()
    assert not any(statement.name for statement in statements.values())
