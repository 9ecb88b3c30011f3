"""rollup_areas, compute and compute_breakdown against the plain implementation they replaced (three per-track passes
and one more pass per commune set or count, one rollup per child area): every field of Indicators must
come out identical, down to the key order of the per-track dicts, the exponent of each Decimal and
int versus bool."""
import dataclasses
import datetime
import random
import types
from decimal import Decimal

import pytest

from care.tests.factories import session_with
from clubs.formatting import percent_1dp
from clubs.models import Area, Club, Track
from clubs.tests.factories import ActivityFactory, ClubFactory, add_members, district
from reporting.figures import TRACKS, ClubFigures, Indicators, period_start
from reporting.rollup import club_cells, rollup_areas
from reporting.indicators import _communes_in, club_figures, compute, compute_breakdown

from .builders import D, entry, good_club

# ------------------------------------------------------------------ the reference


def _per_track(clubs, value):
    out = dict.fromkeys(TRACKS, 0)
    for club in clubs:
        out[club.track] = out.get(club.track, 0) + value(club)
    return out


def reference_rollup(clubs, *, as_of, area, communes_total=None):
    clubs = tuple(clubs)
    start = period_start(as_of)

    def total(name):
        return sum(getattr(c, name) for c in clubs)

    members, women, older = total("n"), total("women"), total("older")
    outstanding, par_principal = total("outstanding_principal"), total("par30_principal")
    communes_with_club = len({c.commune_code for c in clubs})
    if communes_total is None:
        communes_total = 1 if area.level == Area.Level.COMMUNE else communes_with_club
    return Indicators(
        as_of=as_of, scope_code=area.code, scope_name=area.name, scope_level=area.level,
        clubs_active=len(clubs),
        clubs_active_by_track=_per_track(clubs, lambda c: 1),
        clubs_founded=_per_track(clubs, lambda c: int(start <= c.founded_on <= as_of)),
        members_active=members,
        members_by_track=_per_track(clubs, lambda c: c.n),
        women=women, older=older,
        women_pct=percent_1dp(women, members), older_pct=percent_1dp(older, members),
        poor_older=total("poor_older"),
        clubs_composition_ok=total("composition_ok"), clubs_funds_ok=total("funds_ok"),
        clubs_areas_ok=total("areas_ok"), clubs_borrowers_ok=total("borrowers_ok"), clubs_well_run=total("well_run"),
        loans_disbursed_count=total("loans_disbursed_count"), loans_disbursed_amount=total("loans_disbursed_amount"),
        outstanding_principal=outstanding, par30_principal=par_principal,
        par30=percent_1dp(par_principal, outstanding) if outstanding > 0 else Decimal("0.0"),
        communes_total=communes_total, communes_with_club=communes_with_club,
        communes_with_club_pct=percent_1dp(communes_with_club, communes_total),
        clubs_meetings_ok=total("meetings_ok"), clubs_standard=total("standard_ok"),
        communes_standard=len({c.commune_code for c in clubs if c.standard_ok}),
        members_joined=total("members_joined"),
        older_women=total("older_women"), older_women_pct=percent_1dp(total("older_women"), older),
        health_sessions=total("health_sessions"),
        clubs_with_health=sum(c.health_sessions >= 1 for c in clubs),
        members_checked=total("members_checked"), older_checked=total("older_checked"),
        members_high=total("members_high"),
        volunteers_active=total("volunteers_active"), recipients_active=total("recipients_active"),
        recipients_visited_ok=total("recipients_visited_ok"), visits=total("visits"),
        clubs=clubs,
    )


def reference_breakdown(*, area, as_of, level, clubs):
    communes = list(_communes_in(area).select_related("parent").order_by("code"))
    if level == "commune":
        return [reference_rollup([c for c in clubs if c.commune_code == a.code], as_of=as_of, area=a, communes_total=1)
                for a in communes]
    districts = {c.parent.code: c.parent for c in communes if c.parent is not None}
    return [
        reference_rollup([c for c in clubs if c.district_code == code], as_of=as_of, area=d,
                         communes_total=sum(1 for c in communes if c.parent is not None and c.parent.code == code))
        for code, d in sorted(districts.items())
    ]


def rollup(clubs, *, as_of, area, communes_total=None):
    """One area's Indicators from its rows, as rollup_areas gives them."""
    return rollup_areas(clubs, as_of=as_of, areas=[(area, communes_total)])[0]


def exact(ind):
    """Every field as type and repr: a dict's key order, Decimal("6.30") against Decimal("6.3"), True
    against 1 and a list against a tuple all show."""
    return [(f.name, type(getattr(ind, f.name)).__name__, repr(getattr(ind, f.name)))
            for f in dataclasses.fields(Indicators)]


def assert_same(got, expected):
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert exact(g) == exact(e)


# ------------------------------------------------------------------ club rows made up in Python


def made_up_rows(count, seed):
    """Club rows covering what a real register gives and a little more: every track and one no longer
    listed, founded before, inside (both ends) and after the period, zero-member clubs, clubs with and
    without health sessions or the standard, and a club filed under another district than its commune's."""
    rng = random.Random(seed)
    founded = [datetime.date(2019, 5, 1), datetime.date(2024, 12, 31), datetime.date(2025, 1, 1),
               datetime.date(2025, 7, 1), datetime.date(2025, 12, 31), datetime.date(2026, 1, 1)]
    rows = []
    for i in range(count):
        district_no = rng.randrange(3)
        n = rng.choice((0, 1, 7, 25, 40))
        women = rng.randint(0, n)
        older = rng.randint(0, n)
        outstanding = rng.choice((0, 0, 1_000_000, 7_500_000))
        rows.append(ClubFigures(
            code=f"C{i:05d}", name=f"CLB {i}",
            commune_code=f"{district_no}{rng.randrange(4)}", commune_name="x",
            district_code=str(district_no if rng.random() > 0.02 else 9), district_name="y",
            track=rng.choice(TRACKS + (TRACKS[1], "legacy")) if i > 3 else TRACKS[-1 - i],
            founded_on=rng.choice(founded),
            n=n, women=women, older=older, poor_older=rng.randint(0, older), borrowers=rng.randint(0, n),
            size_ok=rng.random() < 0.5, women_ok=rng.random() < 0.5, older_ok=rng.random() < 0.5,
            composition_ok=rng.random() < 0.5, funds_ok=rng.random() < 0.5, areas_ok=rng.random() < 0.5,
            borrowers_ok=rng.random() < 0.5, well_run=rng.random() < 0.5, areas_done=frozenset(),
            loans_disbursed_count=rng.randint(0, 5), loans_disbursed_amount=rng.randint(0, 50) * 1_000_000,
            outstanding_principal=outstanding, par30_principal=rng.randint(0, outstanding // 1000) * 1000 if outstanding else 0,
            older_women=rng.randint(0, min(women, older)), members_joined=rng.randint(0, 3),
            meetings_ok=rng.random() < 0.5, standard_ok=rng.random() < 0.3,
            health_sessions=rng.choice((0, 0, 1, 2, 12)), members_checked=rng.randint(0, n),
            older_checked=rng.randint(0, older), members_high=rng.randint(0, 3),
            volunteers_active=rng.randint(0, 4), recipients_active=rng.randint(0, 4),
            recipients_visited_ok=rng.randint(0, 2), visits=rng.randint(0, 10),
        ))
    return rows


def area(level, code="X"):
    return types.SimpleNamespace(level=level, code=code, name=f"Vùng {code}")


@pytest.mark.parametrize("seed", range(5))
def test_rollup_of_made_up_rows_is_the_reference(seed):
    rows = made_up_rows(300, seed)
    cases = [(rows, {}), (rows[:1], {}), ((), {}), (rows, {"communes_total": 17}), (rows[:40], {"communes_total": 0})]
    for clubs, kwargs in cases:
        for level in (Area.Level.PROVINCE, Area.Level.DISTRICT, Area.Level.COMMUNE):
            for as_of in (D, datetime.date(2025, 6, 30), datetime.date(2026, 1, 1)):
                got = rollup(iter(clubs), as_of=as_of, area=area(level), **kwargs)
                assert exact(got) == exact(reference_rollup(clubs, as_of=as_of, area=area(level), **kwargs))


def test_the_comparison_sees_a_wrong_key_order_or_type():
    ind = reference_rollup(made_up_rows(20, 0), as_of=D, area=area(Area.Level.PROVINCE))
    reordered = dict(reversed(ind.clubs_active_by_track.items()))
    assert reordered == ind.clubs_active_by_track
    assert exact(dataclasses.replace(ind, clubs_active_by_track=reordered)) != exact(ind)
    assert exact(dataclasses.replace(ind, clubs_standard=bool(ind.clubs_standard) if ind.clubs_standard in (0, 1)
                                     else float(ind.clubs_standard))) != exact(ind)
    assert exact(dataclasses.replace(ind, par30=Decimal("0"))) != exact(dataclasses.replace(ind, par30=Decimal("0.0")))


# ------------------------------------------------------------------ club rows from the database


@pytest.fixture
def register():
    """Clubs in two communes of district 105 and one of 106 (its others left without clubs), every
    track, founded before and inside 2025, with and without health sessions, the standard and members."""
    a1, a2 = Area.objects.communes().filter(parent=district("105")).order_by("code")[:2]
    b1, _b_empty = Area.objects.communes().filter(parent=district("106")).order_by("code")[:2]
    good_club("CLB-G1", commune=a1, track=Track.EXISTING, founded_on=datetime.date(2019, 3, 1))
    good_club("CLB-G2", commune=b1, track=Track.NEW_ROTATION, founded_on=datetime.date(2025, 1, 1), borrowers=5)
    specs = [
        ("CLB-S1", a1, Track.NEW_BUDGET, datetime.date(2025, 12, 31), 3, 2, True),
        ("CLB-S2", a2, Track.NEW_BUDGET, datetime.date(2022, 3, 1), 5, 0, False),
        ("CLB-S3", a2, Track.OTHER, datetime.date(2025, 6, 1), 0, 4, True),
        ("CLB-S4", b1, Track.EXISTING, datetime.date(2024, 12, 31), 1, 1, False),
        ("CLB-S5", b1, Track.NEW_BUDGET, datetime.date(2026, 1, 1), 2, 2, True),  # not active at D
    ]
    for code, where, track, founded_on, women, men, health in specs:
        club = ClubFactory(code=code, commune=where, track=track, founded_on=founded_on)
        members = add_members(club, women=women, men=men, older_women=women // 2, older_men=0)
        if health and members:
            session_with(club, datetime.date(2025, 8, 1), {members[0]: (150, 85, None)})
        entry(club, amount=2_000_000, date=max(founded_on, datetime.date(2025, 1, 5)))
        ActivityFactory(club=club, date=max(founded_on, datetime.date(2025, 3, 10)))
    session_with(Club.objects.get(code="CLB-G1"), datetime.date(2025, 2, 1), {})
    return {"district": district("106"), "commune": a1}


@pytest.mark.django_db
def test_compute_and_breakdowns_are_the_reference(register):
    province = Area.objects.get(level=Area.Level.PROVINCE)
    for as_of in (D, datetime.date(2025, 6, 30)):
        rows = club_figures(area=province, as_of=as_of)
        assert {r.track for r in rows} == set(TRACKS)
        assert any(r.standard_ok for r in rows) and not all(r.standard_ok for r in rows)
        assert any(r.health_sessions for r in rows) and not all(r.health_sessions for r in rows)
        for where in (province, register["district"], register["commune"]):
            mine = [r for r in rows if where.level == Area.Level.PROVINCE or where.code in (r.district_code, r.commune_code)]
            expected = reference_rollup(mine, as_of=as_of, area=where, communes_total=_communes_in(where).count())
            assert_same([compute(area=where, as_of=as_of)], [expected])
            assert_same([compute(area=where, as_of=as_of, clubs=mine)], [expected])
            cells = club_cells(mine, as_of)  # computed once and handed to every rollup, as the dashboard does
            assert_same([compute(area=where, as_of=as_of, clubs=mine, cells=cells)], [expected])
            for level in ("district", "commune"):
                if where.level == Area.Level.COMMUNE and level == "district":
                    continue
                expected = reference_breakdown(area=where, as_of=as_of, level=level, clubs=mine)
                if level == "commune" and where.level != Area.Level.COMMUNE:
                    assert any(ind.clubs_active == 0 for ind in expected)
                assert_same(compute_breakdown(area=where, as_of=as_of, level=level), expected)
                assert_same(compute_breakdown(area=where, as_of=as_of, level=level, clubs=mine), expected)
                assert_same(compute_breakdown(area=where, as_of=as_of, level=level, clubs=mine, cells=cells), expected)


@pytest.mark.django_db
def test_breakdowns_group_by_each_rows_own_codes(register):
    """A district sums the clubs whose row names it and a commune those whose row names it, even when a
    row's district is not its commune's parent: nothing may be rolled up from the communes' figures."""
    province = Area.objects.get(level=Area.Level.PROVINCE)
    rows = club_figures(area=province, as_of=D)
    moved = [dataclasses.replace(r, district_code="106") if r.code == "CLB-S2" else r for r in rows]
    for level in ("district", "commune"):
        expected = reference_breakdown(area=province, as_of=D, level=level, clubs=moved)
        assert_same(compute_breakdown(area=province, as_of=D, level=level, clubs=moved), expected)
    with pytest.raises(ValueError):
        compute_breakdown(area=province, as_of=D, level="village", clubs=rows)


@pytest.mark.parametrize("seed", range(3))
def test_rollup_areas_of_made_up_rows_is_the_reference(seed):
    """rollup_areas adds up (district, commune) cells, kept for the last tuple of rows: the same tuple at
    another date, a list, rows of a track outside TRACKS and rows filed under a district that is not
    their commune's all give what rolling each area's rows up directly gives."""
    rows = made_up_rows(400, seed)
    known = tuple(dataclasses.replace(r, track=TRACKS[0]) if r.track not in TRACKS else r for r in rows)
    for clubs in (known, list(known), tuple(rows), known, known[:1], ()):
        for as_of in (D, datetime.date(2025, 6, 30), D):
            everything = [(area(Area.Level.PROVINCE), 40), (area(Area.Level.PROVINCE, "Y"), None)]
            assert_same(rollup_areas(clubs, as_of=as_of, areas=everything),
                        [reference_rollup(clubs, as_of=as_of, area=a, communes_total=t) for a, t in everything])
            for key, level, codes in (("district_code", Area.Level.DISTRICT, ["0", "1", "2", "9", "7"]),
                                      ("commune_code", Area.Level.COMMUNE, sorted({r.commune_code for r in rows}) + ["99"])):
                areas = [(area(level, code), (None, 3, 1)[i % 3]) for i, code in enumerate(codes)]
                expected = [reference_rollup([c for c in clubs if getattr(c, key) == a.code], as_of=as_of, area=a,
                                             communes_total=t) for a, t in areas]
                assert_same(rollup_areas(clubs, as_of=as_of, areas=areas, key=key), expected)


def test_a_cell_is_added_up_again_when_one_of_its_rows_is_rewritten():
    """The parts of the cells are kept for the very rows they were added up from (the kept rows of
    figure_rows.read stay the same objects until rewritten): a rewritten, added or removed row gives
    its cell's part afresh, the other cells are reused, and every area still adds up as the reference."""
    rows = made_up_rows(300, 7)
    known = [dataclasses.replace(r, track=TRACKS[0]) if r.track not in TRACKS else r for r in rows]
    first = club_cells(known, D)
    written = dataclasses.replace(known[10], n=known[10].n + 5, funds_ok=not known[10].funds_ok)
    cell = (written.district_code, written.commune_code)
    for changed in (known[:10] + [written] + known[11:],  # rewritten
                    known[:10] + known[11:],  # gone (dissolved at the date)
                    known + [dataclasses.replace(written, code="C99999")]):  # added
        again = club_cells(changed, D)
        assert all(again[key] is part for key, part in first.items() if key != cell and key in again)
        assert again[cell] is not first[cell]
        province = [(area(Area.Level.PROVINCE), 40)]
        assert_same(rollup_areas(changed, as_of=D, areas=province, cells=again),
                    [reference_rollup(changed, as_of=D, area=province[0][0], communes_total=40)])
    assert club_cells(known, datetime.date(2025, 6, 30))[cell] is not first[cell]  # another date, another part
