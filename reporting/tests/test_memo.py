"""{% memo %}: a fragment repeated for the same values, rendered again when one changes."""
import dataclasses
import datetime

import pytest
from django.template import engines
from django.utils import translation

from reporting.figures import ClubFigures
from clubs.templatetags import clb as memo_tags

ROW = engines["django"].from_string(
    "{% load i18n %}{% for club in rows %}{% memo club day %}<tr>{{ club.code }} {{ club.n }} {{ day }} "
    "{{ club.members_checked_pct }} {% translate 'đạt' %}</tr>{% endmemo %}{% endfor %}"
)


def _club(**changes):
    base = ClubFigures(
        code="CLB-1", name="CLB Một", commune_code="1", commune_name="Xã", district_code="105",
        district_name="Huyện", track="new_budget", founded_on=datetime.date(2024, 1, 1), n=1234, women=800,
        older=700, poor_older=1, borrowers=20, size_ok=True, women_ok=True, older_ok=True, composition_ok=True,
        funds_ok=True, areas_ok=True, borrowers_ok=True, well_run=True, areas_done=frozenset({1, 2}),
        loans_disbursed_count=1, loans_disbursed_amount=1, outstanding_principal=1, par30_principal=0,
        members_checked=617,
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture(autouse=True)
def _empty_memo():
    memo_tags._memo.clear()


def test_the_same_values_render_once(monkeypatch):
    rendered = []
    real = memo_tags.MemoNode.render

    def counting(self, context):
        before = len(memo_tags._memo)
        html = real(self, context)
        rendered.append(len(memo_tags._memo) > before)
        return html

    monkeypatch.setattr(memo_tags.MemoNode, "render", counting)
    first = ROW.render({"rows": [_club()], "day": "2025-12-31"})
    again = ROW.render({"rows": [_club()], "day": "2025-12-31"})
    assert first == again and rendered == [True, False]


def test_a_changed_value_renders_afresh():
    assert "1.234" in ROW.render({"rows": [_club()], "day": "2025-12-31"})
    assert "1.235" in ROW.render({"rows": [_club(n=1235)], "day": "2025-12-31"})
    assert "2026-12-31" in ROW.render({"rows": [_club()], "day": "2026-12-31"})


def test_each_language_has_its_own_fragment():
    with translation.override("vi"):
        vietnamese = ROW.render({"rows": [_club()], "day": "d"})
    with translation.override("en"):
        english = ROW.render({"rows": [_club()], "day": "d"})
    assert vietnamese.endswith(" đạt</tr>") and english.endswith(" met</tr>")


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(memo_tags, "MEMO_SIZE", 3)
    for n in range(10):
        ROW.render({"rows": [_club(n=n)], "day": "d"})
    assert len(memo_tags._memo) == 3


@pytest.mark.django_db
def test_the_dashboard_matrix_is_the_same_from_the_memo(officer_client):
    from clubs.tests.factories import ClubFactory, add_members

    for i in range(3):
        add_members(ClubFactory(code=f"CLB-M{i}"), women=3 + i, men=2)
    def matrix():
        page = officer_client.get("/reporting/").content.decode()
        return page[page.index('id="club-matrix"'):page.index("</table>", page.index('id="club-matrix"'))]

    first = matrix()
    rows = [key for key in memo_tags._memo if not key[0].endswith("base.html")]  # the menu is kept too
    assert len(rows) == 3 and first.count("<tr data-club=") == 3
    memo_tags._memo.clear()
    fresh = matrix()
    assert matrix() == fresh == first
